"""Temporal payloads encrypted by a payload codec, so histories hold no personal data in clear.

Every payload is sealed whole (its metadata and data) with the current data key; the key id and
the cipher travel in the new payload's metadata, so old keys still decode after a rotation.
Decode passes payloads that are not encrypted through unchanged: histories recorded before the
codec still replay. Lives outside domain/ because domain/ does not import temporalio.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

from domain.crypto.keyring import CIPHERS, KeyRing
from domain.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
CIPHER = "encryption-cipher"


class EncryptionCodec(PayloadCodec):
    """Encrypts payloads with the data key ring (AES-256-GCM, or SM4-GCM under the sm4 suite)."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Returns each payload encrypted whole, tagged with its key id and cipher."""
        return [self._encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Returns each payload decrypted; payloads that are not encrypted pass unchanged."""
        return [self._decrypt(payload) for payload in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        key_id, data = self._ring.encrypt_bytes(payload.SerializeToString())
        metadata = {
            "encoding": ENCODING,
            KEY_ID: key_id.encode(),
            CIPHER: CIPHERS[self._ring.scheme].encode(),
        }
        return Payload(metadata=metadata, data=data)

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        cipher = payload.metadata.get(CIPHER, b"aes-256-gcm").decode()
        return Payload.FromString(self._ring.decrypt_bytes(key_id, payload.data, cipher))


def data_converter(ring: KeyRing) -> DataConverter:
    """Returns the default converter with the codec; failure messages are encrypted too."""
    return dataclasses.replace(
        DataConverter.default,
        payload_codec=EncryptionCodec(ring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect(settings: Settings) -> Client:
    """Connects a Temporal client that encrypts payloads (worker, API, CLI, tests)."""
    return await Client.connect(
        settings.effective_temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings.key_ring),
    )
