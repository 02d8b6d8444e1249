"""SM2 and SM3 against published vectors, OpenSSL, and the round trips songda relies on."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from gmssl import sm2 as gm_sm2

from songda_verify import sigfile, sm2

# GB/T 32918.2-2016 (= GM/T 0003.2-2012) Annex A.2, "F_p-256 上椭圆曲线数字签名": the standard's
# example curve (not the recommended one), key pair, user ID, Z_A, e, k and signature (r, s).
# The same figures are the self-tests of GmSSL (sm2test.c) and Bouncy Castle (SM2SignerTest).
ANNEX_A_CURVE = sm2.Curve(
    p=0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
    a=0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
    b=0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
    gx=0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
    gy=0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
    n=0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
)
ANNEX_A_ID = b"ALICE123@YAHOO.COM"
ANNEX_A_MESSAGE = b"message digest"
ANNEX_A_D = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
ANNEX_A_PUBLIC = bytes.fromhex(
    "04"
    "0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"
    "7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857"
)
ANNEX_A_Z = "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A"
ANNEX_A_E = "B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76"
ANNEX_A_K = 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F
ANNEX_A_R = 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1
ANNEX_A_S = 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7

# On the recommended curve: OpenSSL's test data, test/recipes/30-test_evp_data/evppkey_sm2.txt,
# key SM2_key1 and its two "Verify ... digest:SM3" vectors (the input is e, the output DER).
OPENSSL_KEY1_D = 0xD09156733017BDAD809FD9BBD8C693F60230593169B6F94AAF1C8EE138CC99B5
OPENSSL_KEY1_PUBLIC = bytes.fromhex(
    "04393a2ad9e27e43acaaab85a19d3b85591e14406157175addd37bf77ff0caf9ed"
    "37fcf3a8b4f55c038523261fca6636afe6a7afa2a1482a606f5cb3a18b2e2a1e"
)
OPENSSL_VECTORS = [
    (
        "D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8",
        "3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037022100EBA7"
        "14451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A54621",
    ),
    (
        "B1139602C6ECC9E15E2F3F9C635A1AFE737058BC15387479C1EA0D0B3D90E9E5",
        "3045022100E6E0414EBD3A656C35602AF14AB20287DBF30D57AF75C49A188ED4B42391F22402202F54F2"
        "77C606F4605E1CE9514947FFDDF94C67A539804A4ED17F852288BDBE2E",
    ),
]


def test_sm3_matches_gb_t_32905_examples() -> None:
    # GB/T 32905-2016 Annex A: "abc" and "abcd" repeated 16 times.
    assert sm2.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert sm2.sm3(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_annex_a_key_pair_z_and_digest() -> None:
    assert sm2.public_key_of(ANNEX_A_D, ANNEX_A_CURVE) == ANNEX_A_PUBLIC
    z = sm2.z_value(ANNEX_A_PUBLIC, ANNEX_A_ID, ANNEX_A_CURVE)
    assert z.hex().upper() == ANNEX_A_Z
    e = sm2.digest(ANNEX_A_PUBLIC, ANNEX_A_MESSAGE, ANNEX_A_ID, ANNEX_A_CURVE)
    assert e.hex().upper() == ANNEX_A_E


def test_annex_a_signature_is_reproduced_and_verifies() -> None:
    signature = sm2.sign(ANNEX_A_D, ANNEX_A_MESSAGE, ANNEX_A_ID, ANNEX_A_CURVE, k=ANNEX_A_K)
    assert signature == (ANNEX_A_R, ANNEX_A_S)
    assert sm2.verify(ANNEX_A_PUBLIC, ANNEX_A_MESSAGE, signature, ANNEX_A_ID, ANNEX_A_CURVE)


@pytest.mark.parametrize(
    ("message", "user_id", "signature"),
    [
        (b"message digesT", ANNEX_A_ID, (ANNEX_A_R, ANNEX_A_S)),
        (ANNEX_A_MESSAGE, b"1234567812345678", (ANNEX_A_R, ANNEX_A_S)),
        (ANNEX_A_MESSAGE, ANNEX_A_ID, (ANNEX_A_R, ANNEX_A_S + 1)),
        (ANNEX_A_MESSAGE, ANNEX_A_ID, (ANNEX_A_R, 0)),
        (ANNEX_A_MESSAGE, ANNEX_A_ID, (ANNEX_A_R + ANNEX_A_CURVE.n, ANNEX_A_S)),
    ],
)
def test_annex_a_refuses_other_message_id_or_signature(
    message: bytes, user_id: bytes, signature: tuple[int, int]
) -> None:
    assert not sm2.verify(ANNEX_A_PUBLIC, message, signature, user_id, ANNEX_A_CURVE)


def test_the_recommended_curve_is_gmssls() -> None:
    assert sm2.SM2P256V1.table() == {k: v.lower() for k, v in gm_sm2.default_ecc_table.items()}


@pytest.mark.parametrize(("e", "der"), OPENSSL_VECTORS)
def test_openssl_vectors_on_the_recommended_curve(e: str, der: str) -> None:
    assert sm2.public_key_of(OPENSSL_KEY1_D) == OPENSSL_KEY1_PUBLIC
    signature = sm2.parse_der_signature(bytes.fromhex(der))
    assert sm2.der_signature(*signature) == bytes.fromhex(der)
    assert sm2.verify_digest(OPENSSL_KEY1_PUBLIC, bytes.fromhex(e), signature)
    assert not sm2.verify_digest(OPENSSL_KEY1_PUBLIC, bytes.fromhex(e)[::-1], signature)


def test_round_trip_with_the_default_user_id() -> None:
    key = sm2.generate_private_key()
    public = sm2.public_key_of(key)
    message = b'{"files": []}'
    signature = sm2.sign(key, message)
    assert sm2.verify(public, message, signature)
    assert sm2.verify(public, message, signature, sm2.DEFAULT_USER_ID)
    assert not sm2.verify(public, message + b" ", signature)
    assert not sm2.verify(public, message, signature, b"another-signer")
    # The nonce comes from the key and the digest: the same bytes give the same signature.
    assert sm2.sign(key, message) == signature
    assert sm2.sign(key, message + b" ")[0] != signature[0]


def test_keys_off_the_curve_and_loose_der_are_refused() -> None:
    off_curve = ANNEX_A_PUBLIC[:-1] + bytes([ANNEX_A_PUBLIC[-1] ^ 1])
    with pytest.raises(sm2.InvalidKey):
        sm2.decode_point(off_curve)
    assert not sm2.verify(off_curve, b"m", (1, 1))
    with pytest.raises(sm2.InvalidKey):
        sm2.public_key_of(0)
    with pytest.raises(ValueError):
        sm2.parse_der_signature(bytes.fromhex("3008020200010202000a"))  # non-minimal INTEGERs
    with pytest.raises(ValueError):
        sm2.parse_der_signature(bytes.fromhex("300602018102010a"))  # a negative r


def test_sig_file_round_trip() -> None:
    key = sm2.generate_private_key()
    manifest = b'{\n  "audit_head": {"hash": "' + b"a" * 64 + b'", "seq": 7},\n  "files": []\n}'
    raw = sigfile.build(manifest, key, key_id="J12-k1", court_code="J12")
    parsed = sigfile.parse(raw)
    assert parsed.public_key == sm2.public_key_of(key)
    assert parsed.fingerprint == sigfile.fingerprint(parsed.public_key)
    assert parsed.audit_head == {"hash": "a" * 64, "seq": 7}
    assert sm2.verify(parsed.public_key, manifest, parsed.signature, parsed.user_id)
    spaced = sigfile.grouped(parsed.fingerprint).replace(" ", ":")
    assert sigfile.normalize_fingerprint(f"SM3:{spaced}") == parsed.fingerprint


def _openssl_has_sm2() -> bool:
    openssl = shutil.which("openssl")
    if openssl is None:
        return False
    listed = subprocess.run(
        [openssl, "list", "-public-key-algorithms"], capture_output=True, text=True
    )
    return "SM2" in listed.stdout


@pytest.mark.skipif(not _openssl_has_sm2(), reason="no OpenSSL with SM2 on this machine")
def test_openssl_verifies_ours_and_we_verify_openssls(tmp_path: Path) -> None:
    key = sm2.generate_private_key()
    public = sm2.public_key_of(key)
    message = tmp_path / "manifest.json"
    message.write_bytes('{"court": "天津"}'.encode())
    pem = tmp_path / "court.pem"
    pem.write_text(sigfile.public_key_pem(public))
    ours = tmp_path / "ours.der"
    ours.write_bytes(sm2.der_signature(*sm2.sign(key, message.read_bytes())))
    common = ["-rawin", "-in", str(message), "-digest", "sm3"]
    distid = ["-pkeyopt", "distid:1234567812345678"]
    checked = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pem), "-sigfile", str(ours)]
        + common
        + distid,
        capture_output=True,
        text=True,
    )
    assert "Signature Verified Successfully" in checked.stdout, checked.stderr
    private_pem = tmp_path / "key1.pem"
    private_pem.write_text(OPENSSL_KEY1_PEM)
    theirs = tmp_path / "theirs.der"
    subprocess.run(
        ["openssl", "pkeyutl", "-sign", "-inkey", str(private_pem), "-out", str(theirs)]
        + common
        + distid,
        check=True,
        capture_output=True,
    )
    signature = sm2.parse_der_signature(theirs.read_bytes())
    assert sm2.verify(OPENSSL_KEY1_PUBLIC, message.read_bytes(), signature)


OPENSSL_KEY1_PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg0JFWczAXva2An9m7\n"
    "2MaT9gIwWTFptvlKrxyO4TjMmbWhRANCAAQ5OirZ4n5DrKqrhaGdO4VZHhRAYVcX\n"
    "Wt3Te/d/8Mr57Tf886i09VwDhSMmH8pmNq/mp6+ioUgqYG9cs6GLLioe\n"
    "-----END PRIVATE KEY-----\n"
)


def test_pem_is_the_key_in_spki() -> None:
    pem = sigfile.public_key_pem(OPENSSL_KEY1_PUBLIC)
    der = base64.b64decode("".join(pem.splitlines()[1:-1]))
    assert der == sm2.SPKI_PREFIX + OPENSSL_KEY1_PUBLIC
