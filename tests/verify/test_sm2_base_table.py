"""The archive's seal signs with k * G from a precomputed table: the very (r, s) gmssl gives."""

from __future__ import annotations

import random

from gmssl import sm2 as gm_sm2

from songda_verify import sm2

CURVE = sm2.SM2P256V1


def _gmssl_kg(k: int) -> tuple[int, int]:
    engine = gm_sm2.CryptSM2("01", "", ecc_table=CURVE.table())
    point = str(engine._kg(k, CURVE.table()["g"]))
    return int(point[:64], 16), int(point[64:], 16)


def test_base_multiples_are_gmssls() -> None:
    rng = random.Random(16)
    scalars = [1, 2, 3, 15, 16, 17, 255, 256, CURVE.n - 1, CURVE.n - 2, (1 << 255) + 1]
    scalars += [rng.randrange(1, CURVE.n) for _ in range(20)]
    for k in scalars:
        assert sm2.base_multiple(k) == _gmssl_kg(k), hex(k)
    assert sm2.base_multiple(0) is None


def test_signatures_are_gmssls_and_verify() -> None:
    rng = random.Random(32)
    for size in (0, 1, 100, 5000):
        d = rng.randrange(1, CURVE.n - 1)
        message = rng.randbytes(size)
        r, s = sm2.sign(d, message)
        public = sm2.public_key_of(d)
        e = sm2.digest(public, message)
        k = sm2._nonce(d, e, CURVE, 0)
        raw = sm2._engine(CURVE, d).sign(e, f"{k:064x}")
        assert (r, s) == (int(raw[:64], 16), int(raw[64:], 16))
        assert sm2.verify(public, message, (r, s))
        assert not sm2.verify(public, message + b"x", (r, s))
