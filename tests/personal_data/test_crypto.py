"""The crypto suites: DOMAIN.md's national-cryptography vectors, SM4-GCM sealing, suite checks."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from domain.crypto.keyring import (
    SealError,
    SuiteUnavailableError,
    check_suite,
    is_sealed,
    key_id_of,
)
from domain.settings import Settings
from tests.personal_data.conftest import key, ring_of


def test_sm3_vector() -> None:
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert digest.finalize().hex() == expected


def test_sm4_ecb_vector() -> None:
    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(block), modes.ECB()).encryptor()
    assert (encryptor.update(block) + encryptor.finalize()).hex() == (
        "681edf34d206965e86b3e94f536e4246"
    )


def test_sm4_suite_seals_with_sm4_gcm_and_opens_aes_values_too() -> None:
    aes = ring_of(f"k1:{key(1)}")
    sm4 = ring_of(f"k2:{base64.b64encode(bytes(16)).decode()},k1:{key(1)}", "sm4")
    old = aes.seal("11010119950612101X")
    new = sm4.seal("13800000002")
    assert new.startswith("g1:k2:") and is_sealed(new) and key_id_of(new) == "k2"
    assert "13800000002" not in new
    assert sm4.open(new) == "13800000002"
    assert sm4.open(old) == "11010119950612101X"


def test_sm4_suite_indexes_with_hmac_sm3() -> None:
    aes = ring_of(f"k1:{key(1)}")
    sm4 = ring_of(f"k1:{key(1)}", "sm4")
    assert aes.blind_index("id", "x") != sm4.blind_index("id", "x")
    assert len(sm4.blind_index("id", "x")) == 64
    assert sm4.blind_index("id", "x") == sm4.blind_index("id", "x")


def test_a_tampered_value_fails_without_echoing_it() -> None:
    ring = ring_of(f"k1:{key(1)}")
    sealed = ring.seal("13800000002")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(SealError) as caught:
        ring.open(tampered)
    assert "1380" not in str(caught.value)


def test_an_unknown_suite_is_refused_at_start_up_with_a_clear_error() -> None:
    with pytest.raises(SuiteUnavailableError, match="aes or sm4"):
        check_suite("des")
    with pytest.raises(SuiteUnavailableError):
        _ = Settings(SONGDA_CRYPTO_SUITE="rot13").key_ring


def test_settings_build_an_sm4_ring() -> None:
    ring = Settings(SONGDA_CRYPTO_SUITE="sm4").key_ring
    assert ring.suite == "sm4" and ring.seal("x").startswith("g1:")
