"""SM2 signatures with SM3 (GB/T 32918.2 / GM/T 0003.2), on gmssl's arithmetic.

gmssl (pure Python) does the curve arithmetic, the signature equations and SM3. Around it, this
module does what gmssl leaves out: the Z value with any user ID (gmssl fixes it to
1234567812345678), checks that r and s lie in [1, n-1] and that a public key is a point of the
curve, the DER form of a signature (GM/T 0009), and the nonce: gmssl draws k from `random`,
which is no cryptographic source, so k is never left to it. Here k is derived from the private
key and the message digest with HMAC-SHA512 (the way RFC 6979 does for ECDSA): it is secret and
different for every message, and the same message signed twice gives the same bytes, so an
archive filed again is the same file.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from gmssl import sm2 as gm_sm2
from gmssl import sm3 as gm_sm3

DEFAULT_USER_ID = b"1234567812345678"
# SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey with the SM2 curve's OID, then the point.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")


@dataclass(frozen=True)
class Curve:
    """A prime curve y^2 = x^3 + ax + b over F_p with base point (gx, gy) of order n."""

    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int

    def table(self) -> dict[str, str]:
        """Returns the curve as gmssl's table of hex strings."""
        return {
            "p": f"{self.p:064x}",
            "a": f"{self.a:064x}",
            "b": f"{self.b:064x}",
            "n": f"{self.n:064x}",
            "g": f"{self.gx:064x}{self.gy:064x}",
        }


# The recommended curve of GB/T 32918.5-2017 (sm2p256v1).
SM2P256V1 = Curve(
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
)


class InvalidKey(ValueError):
    """A key is not a valid SM2 key of the curve."""


def _openssl_sm3() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == (
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905 A.1
        )
    except ValueError:  # an OpenSSL built without SM3
        return False


# OpenSSL's SM3 when Python's hashlib has it: gmssl's, in pure Python, took a tenth of an
# archive's CPU for a manifest of a few kilobytes (issue 16). The same digest either way.
_HASHLIB_SM3 = _openssl_sm3()


def sm3(data: bytes) -> bytes:
    """Returns the SM3 digest (GB/T 32905) of data."""
    if _HASHLIB_SM3:
        return hashlib.new("sm3", data).digest()
    return bytes.fromhex(str(gm_sm3.sm3_hash(list(data))))


def _engine(curve: Curve, private_key: int = 0, public: tuple[int, int] | None = None) -> Any:
    engine = gm_sm2.CryptSM2(f"{private_key:064x}", "", ecc_table=curve.table())
    # Set after construction: gmssl's constructor strips any leading "0" and "4" characters.
    if public is not None:
        engine.public_key = f"{public[0]:064x}{public[1]:064x}"
    return engine


def encode_point(x: int, y: int) -> bytes:
    """Returns the uncompressed form 04 || x || y."""
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def decode_point(raw: bytes, curve: Curve = SM2P256V1) -> tuple[int, int]:
    """Returns (x, y) of an uncompressed public key, refusing any point not on the curve."""
    if len(raw) != 65 or raw[0] != 4:
        raise InvalidKey("an SM2 public key is 65 bytes: 04 || x || y")
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")
    if not (x < curve.p and y < curve.p):
        raise InvalidKey("the public key's coordinates exceed the field")
    if (y * y - (x * x * x + curve.a * x + curve.b)) % curve.p != 0:
        raise InvalidKey("the public key is not a point of the curve")
    return x, y  # the curve's cofactor is 1: a point of the curve is in the group


# A scalar multiplication in pure Python: signing a manifest asked for the same court key's
# public key twice, 6% of the worker's samples (issue 16). A worker holds a court's key or two.
@functools.lru_cache(maxsize=16)
def public_key_of(private_key: int, curve: Curve = SM2P256V1) -> bytes:
    """Returns the uncompressed public key dG of a private key d in [1, n-2]."""
    if not 1 <= private_key <= curve.n - 2:
        raise InvalidKey("an SM2 private key lies in [1, n-2]")
    engine = _engine(curve)
    point = str(engine._kg(private_key, curve.table()["g"]))
    return encode_point(int(point[:64], 16), int(point[64:], 16))


def generate_private_key(curve: Curve = SM2P256V1) -> int:
    """Returns a fresh private key from the operating system's random source."""
    return secrets.randbelow(curve.n - 2) + 1


def spki_der(public_key: bytes) -> bytes:
    """Returns the public key as DER SubjectPublicKeyInfo (what OpenSSL reads)."""
    decode_point(public_key)
    return SPKI_PREFIX + public_key


# The same court key signs every archive: its Z is the same each time.
@functools.lru_cache(maxsize=64)
def z_value(public_key: bytes, user_id: bytes = DEFAULT_USER_ID, curve: Curve = SM2P256V1) -> bytes:
    """Returns Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)."""
    if len(user_id) * 8 > 0xFFFF:
        raise ValueError("the user ID is longer than 8191 bytes")
    x, y = decode_point(public_key, curve)
    fields = (curve.a, curve.b, curve.gx, curve.gy, x, y)
    body = b"".join(value.to_bytes(32, "big") for value in fields)
    return sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + body)


def digest(
    public_key: bytes, message: bytes, user_id: bytes = DEFAULT_USER_ID, curve: Curve = SM2P256V1
) -> bytes:
    """Returns e = SM3(Z || M), what the signature equations take."""
    return sm3(z_value(public_key, user_id, curve) + message)


Point = tuple[int, int]
Jacobian = tuple[int, int, int] | None  # None: the point at infinity

WINDOW = 4  # bits of the scalar per precomputed row


def _affine_add(curve: Curve, p1: Point | None, p2: Point) -> Point | None:
    p = curve.p
    if p1 is None:
        return p2
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % p == 0:
            return None
        slope = (3 * x1 * x1 + curve.a) * pow(2 * y1, -1, p) % p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


@functools.lru_cache(maxsize=4)
def _base_table(curve: Curve) -> list[list[Point | None]]:
    """Returns rows[i][j] = j * 2^(4i) * G: k * G is then one addition per 4 bits of k."""
    rows: list[list[Point | None]] = []
    base: Point | None = (curve.gx, curve.gy)
    for _ in range((curve.n.bit_length() + WINDOW - 1) // WINDOW):
        row: list[Point | None] = [None]
        for _ in range(1, 1 << WINDOW):
            assert base is not None
            row.append(_affine_add(curve, row[-1], base))
        rows.append(row)
        last = row[-1]
        base = None if last is None else _affine_add(curve, last, base)  # type: ignore[arg-type]
    return rows


def _double(curve: Curve, point: Jacobian) -> Jacobian:
    if point is None or point[1] == 0:
        return None
    p = curve.p
    x, y, z = point
    yy = y * y % p
    zz = z * z % p
    s = 4 * x * yy % p
    m = (3 * x * x + curve.a * zz * zz) % p
    x3 = (m * m - 2 * s) % p
    return x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p


def _add_affine(curve: Curve, point: Jacobian, other: Point) -> Jacobian:
    """Returns point + other, point in Jacobian coordinates, other affine."""
    if point is None:
        return other[0], other[1], 1
    p = curve.p
    x1, y1, z1 = point
    z1z1 = z1 * z1 % p
    h = (other[0] * z1z1 - x1) % p
    r = (other[1] * z1 * z1z1 - y1) % p
    if h == 0:
        return _double(curve, point) if r == 0 else None
    hh = h * h % p
    hhh = h * hh % p
    v = x1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    return x3, (r * (v - x3) - y1 * hhh) % p, z1 * h % p


def base_multiple(k: int, curve: Curve = SM2P256V1) -> Point | None:
    """Returns k * G (None for the point at infinity), k in [0, n)."""
    acc: Jacobian = None
    for i, row in enumerate(_base_table(curve)):
        entry = row[(k >> (WINDOW * i)) & ((1 << WINDOW) - 1)]
        if entry is not None:
            acc = _add_affine(curve, acc, entry)
    if acc is None:
        return None
    x, y, z = acc
    z_inv = pow(z, -1, curve.p)
    z_inv2 = z_inv * z_inv % curve.p
    return x * z_inv2 % curve.p, y * z_inv2 * z_inv % curve.p


def _sign_digest(private_key: int, e: bytes, k: int, curve: Curve) -> tuple[int, int] | None:
    """The signature equations of GB/T 32918.2 (6.1), as gmssl's CryptSM2.sign writes them,
    with k * G from the precomputed table: gmssl's scalar multiplication, on hex strings, was a
    tenth of an archive's CPU (issue 16). The same (r, s) for the same k."""
    n = curve.n
    point = base_multiple(k % n, curve)
    if point is None:
        return None
    r = (int.from_bytes(e, "big") + point[0]) % n
    if r == 0 or r + k == n:
        return None
    s = (pow(private_key + 1, n - 2, n) * (k + r) - r) % n
    return None if s == 0 else (r, s)


def _nonce(private_key: int, e: bytes, curve: Curve, counter: int) -> int:
    message = b"songda-sm2-nonce" + e + counter.to_bytes(4, "big")
    mac = hmac.new(private_key.to_bytes(32, "big"), message, hashlib.sha512).digest()
    return int.from_bytes(mac, "big") % (curve.n - 1) + 1


def sign(
    private_key: int,
    message: bytes,
    user_id: bytes = DEFAULT_USER_ID,
    curve: Curve = SM2P256V1,
    k: int | None = None,
) -> tuple[int, int]:
    """Signs message (SM3 with SM2); returns (r, s). `k` only for the standard's examples."""
    e = digest(public_key_of(private_key, curve), message, user_id, curve)
    for counter in range(100):
        nonce = k if k is not None else _nonce(private_key, e, curve, counter)
        signature = _sign_digest(private_key, e, nonce, curve)
        if signature is not None:
            return signature
        if k is not None:
            break
    raise ValueError("no signature with this nonce (r = 0, r + k = n or s = 0)")


def verify(
    public_key: bytes,
    message: bytes,
    signature: tuple[int, int],
    user_id: bytes = DEFAULT_USER_ID,
    curve: Curve = SM2P256V1,
) -> bool:
    """Tells whether (r, s) is a valid SM2 signature of message under public_key."""
    try:
        e = digest(public_key, message, user_id, curve)
    except InvalidKey:
        return False
    return verify_digest(public_key, e, signature, curve)


def verify_digest(
    public_key: bytes, e: bytes, signature: tuple[int, int], curve: Curve = SM2P256V1
) -> bool:
    """Tells whether (r, s) signs the digest e = SM3(Z || M) under public_key."""
    r, s = signature
    if not (1 <= r < curve.n and 1 <= s < curve.n) or len(e) != 32:
        return False
    try:
        engine = _engine(curve, public=decode_point(public_key, curve))
        return bool(engine.verify(f"{r:064x}{s:064x}", e))
    except (InvalidKey, TypeError, ValueError):  # gmssl fails on the point at infinity
        return False


def _der_int(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")  # a leading 0 keeps it positive
    return b"\x02" + bytes([len(body)]) + body


def der_signature(r: int, s: int) -> bytes:
    """Returns SEQUENCE { r INTEGER, s INTEGER } in DER (GM/T 0009's SM2Signature)."""
    body = _der_int(r) + _der_int(s)
    return b"\x30" + bytes([len(body)]) + body


def parse_der_signature(raw: bytes) -> tuple[int, int]:
    """Returns (r, s) of a DER SM2Signature, refusing anything not in strict DER."""
    if len(raw) < 8 or raw[0] != 0x30 or raw[1] != len(raw) - 2 or raw[1] > 0x7F:
        raise ValueError("not a DER SEQUENCE of two integers")
    values, rest = [], raw[2:]
    for _ in range(2):
        if len(rest) < 3 or rest[0] != 0x02 or not 1 <= rest[1] <= 33 or len(rest) < 2 + rest[1]:
            raise ValueError("not a DER INTEGER")
        body, rest = rest[2 : 2 + rest[1]], rest[2 + rest[1] :]
        if body[0] & 0x80 or (len(body) > 1 and body[0] == 0 and not body[1] & 0x80):
            raise ValueError("an INTEGER that is negative or not minimally encoded")
        values.append(int.from_bytes(body, "big"))
    if rest:
        raise ValueError("bytes after the signature")
    return values[0], values[1]
