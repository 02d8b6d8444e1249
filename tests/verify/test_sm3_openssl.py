"""SM3 from OpenSSL (hashlib) gives gmssl's digest: the archive's seal signs the same e."""

from __future__ import annotations

import pytest
from gmssl import sm3 as gm_sm3

from songda_verify import sm2


@pytest.mark.parametrize("size", [0, 1, 3, 55, 56, 63, 64, 65, 127, 128, 1000, 4096])
def test_sm3_is_gmssls_digest(size: int) -> None:
    data = bytes((i * 37 + size) % 256 for i in range(size))
    assert sm2.sm3(data) == bytes.fromhex(gm_sm3.sm3_hash(list(data)))


def test_the_standards_example_digest() -> None:
    # GB/T 32905-2016, appendix A.1
    assert sm2.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
