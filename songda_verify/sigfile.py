"""manifest.sig: the court's SM2 signature over manifest.json's exact bytes, and its public key.

One module writes and reads the file, so the signer and the verifier never drift apart. The
file is JSON:

    format           "songda-manifest-sig/1"
    signed_file      "manifest.json"
    algorithm        "SM2-with-SM3" (GB/T 32918.2 over SM3(Z || manifest.json))
    user_id          the signer's ID in Z, "1234567812345678" (GM/T 0009's default)
    key_id           which of the court's seal keys signed (keys rotate)
    court_code       the court the key belongs to
    public_key       the key, uncompressed hex 04 || x || y; public_key_pem the same for OpenSSL
    fingerprint      SM3 of the uncompressed key, hex: what a court publishes to be checked
    signature        base64 of the DER SEQUENCE { r, s }
    manifest_sha256  and audit_head: copies of what was signed, so a verdict can say what
                     changed; only the signature vouches for them

With OpenSSL 3: `openssl pkeyutl -verify -pubin -inkey court.pem -rawin -in manifest.json
-sigfile sig.der -digest sm3 -pkeyopt distid:1234567812345678`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import textwrap
from dataclasses import dataclass
from typing import Any

from songda_verify import sm2

FORMAT = "songda-manifest-sig/1"
ALGORITHM = "SM2-with-SM3"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


class SigFileError(ValueError):
    """manifest.sig is missing a field or holds a malformed one; the message is in Chinese."""


@dataclass(frozen=True)
class SigFile:
    """What manifest.sig says."""

    key_id: str
    court_code: str
    public_key: bytes
    user_id: bytes
    signature: tuple[int, int]
    fingerprint: str
    manifest_sha256: str
    audit_head: Any


def fingerprint(public_key: bytes) -> str:
    """Returns the key's fingerprint: SM3 of its uncompressed form, 64 lowercase hex digits."""
    return sm2.sm3(public_key).hex()


def normalize_fingerprint(text: str) -> str:
    """Returns a fingerprint as typed (any case, spaces, colons, an `sm3:` prefix) in hex."""
    text = text.strip().lower().removeprefix("sm3:")
    return "".join(c for c in text if c not in " :-")


def grouped(fingerprint_hex: str) -> str:
    """Returns a fingerprint in groups of four, easier to read out over the phone."""
    return " ".join(textwrap.wrap(fingerprint_hex.upper(), 4))


def public_key_pem(public_key: bytes) -> str:
    """Returns the public key as a PEM SubjectPublicKeyInfo."""
    body = base64.encodebytes(sm2.spki_der(public_key)).decode()
    return f"-----BEGIN PUBLIC KEY-----\n{body}-----END PUBLIC KEY-----\n"


def build(
    manifest: bytes,
    private_key: int,
    *,
    key_id: str,
    court_code: str,
    user_id: bytes = sm2.DEFAULT_USER_ID,
) -> bytes:
    """Signs manifest.json's bytes with the court's key; returns manifest.sig's bytes."""
    public_key = sm2.public_key_of(private_key)
    r, s = sm2.sign(private_key, manifest, user_id)
    head = json.loads(manifest).get("audit_head")
    document = {
        "format": FORMAT,
        "signed_file": MANIFEST,
        "algorithm": ALGORITHM,
        "user_id": user_id.decode(),
        "key_id": key_id,
        "court_code": court_code,
        "public_key": public_key.hex(),
        "public_key_pem": public_key_pem(public_key),
        "fingerprint": fingerprint(public_key),
        "signature": base64.b64encode(sm2.der_signature(r, s)).decode(),
        "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
        "audit_head": head,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2).encode()


def _text(document: dict[str, Any], field: str) -> str:
    value = document.get(field)
    if not isinstance(value, str) or not value:
        raise SigFileError(f"签名文件缺少字段 {field}")
    return value


def parse(raw: bytes) -> SigFile:
    """Reads manifest.sig; raises SigFileError naming what is wrong with it."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SigFileError("签名文件不是有效的 JSON") from None
    if not isinstance(document, dict):
        raise SigFileError("签名文件不是 JSON 对象")
    if document.get("format") != FORMAT or document.get("algorithm") != ALGORITHM:
        raise SigFileError(f"签名文件的格式或算法不受支持（应为 {FORMAT}、{ALGORITHM}）")
    if document.get("signed_file") != MANIFEST:
        raise SigFileError("签名文件所签的不是 manifest.json")
    key_hex, signature_b64 = _text(document, "public_key"), _text(document, "signature")
    try:
        public_key = bytes.fromhex(key_hex)
        sm2.decode_point(public_key)
    except ValueError:  # InvalidKey is a ValueError
        raise SigFileError("签名文件中的公钥不是有效的 SM2 公钥") from None
    try:
        signature = sm2.parse_der_signature(base64.b64decode(signature_b64, validate=True))
    except ValueError:
        raise SigFileError("签名值不是有效的 DER 编码 SM2 签名") from None
    return SigFile(
        key_id=_text(document, "key_id"),
        court_code=_text(document, "court_code"),
        public_key=public_key,
        user_id=_text(document, "user_id").encode(),
        signature=signature,
        fingerprint=normalize_fingerprint(str(document.get("fingerprint") or "")),
        manifest_sha256=str(document.get("manifest_sha256") or ""),
        audit_head=document.get("audit_head"),
    )
