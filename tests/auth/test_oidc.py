"""OIDC: JWTs checked against a real JWKS served over HTTP by a local server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.app import create_app
from domain.settings import Settings
from tests.auth.conftest import auth

ISSUER = "https://idp.court.example"
AUDIENCE = "songda"
LIST = "/v1/service-requests"


class Keys:
    """The identity provider's signing keys (an RSA and an EC key) and its JWKS document."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa.public_key()))
        ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec.public_key()))
        self.jwks = {
            "keys": [
                {**rsa_jwk, "kid": "rsa-1", "use": "sig", "alg": "RS256"},
                {**ec_jwk, "kid": "ec-1", "use": "sig", "alg": "ES256"},
            ]
        }
        self.fetches = 0


@pytest.fixture(scope="module")
def keys() -> Keys:
    """Keys generated for this test module."""
    return Keys()


@pytest.fixture
def jwks_url(keys: Keys) -> Iterator[str]:
    """A real HTTP server answering the JWKS at /jwks."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            keys.fetches += 1
            body = json.dumps(keys.jwks).encode()
            self.send_response(200 if self.path == "/jwks" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keeps the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks"
    server.shutdown()
    server.server_close()


@pytest.fixture
def oidc_client(tmp_path: Path, engine: Engine, jwks_url: str) -> Iterator[TestClient]:
    """The API with OIDC configured against the local JWKS."""
    settings = Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_OIDC_ISSUER=ISSUER,
        SONGDA_OIDC_AUDIENCE=AUDIENCE,
        SONGDA_OIDC_JWKS_URL=jwks_url,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def mapped_user(db: Session) -> None:
    """A judge mapped to the provider's subject `idp|judge-li`."""
    create_user(
        session=db, name="judge-li", role="judge", court_code="J12", oidc_subject="idp|judge-li"
    )


def token(keys: Keys, *, kid: str = "rsa-1", signer: Any = None, **claims: Any) -> str:
    """Returns a JWT signed like the provider would; claims override (None drops one)."""
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "idp|judge-li", "iat": now, "exp": now + 300}
    payload.update(claims)
    # A claim given as None is left out of the token.
    payload = {key: value for key, value in payload.items() if value is not None}
    algorithm = "ES256" if kid == "ec-1" else "RS256"
    key = signer or (keys.ec if kid == "ec-1" else keys.rsa)
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def test_good_tokens_authenticate_the_mapped_user(oidc_client: TestClient, keys: Keys) -> None:
    assert oidc_client.get(LIST, headers=auth(token(keys))).status_code == 200
    assert oidc_client.get(LIST, headers=auth(token(keys, kid="ec-1"))).status_code == 200
    # The key set is cached: two tokens, one fetch.
    assert keys.fetches == 1


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-app"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nbf": int(time.time()) + 3600},
        {"iat": None},
        {"sub": "idp|nobody"},
    ],
    ids=["wrong-issuer", "wrong-audience", "expired", "not-yet-valid", "no-iat", "unmapped-sub"],
)
def test_bad_claims_are_refused(
    oidc_client: TestClient, keys: Keys, claims: dict[str, Any]
) -> None:
    bad = token(keys, **claims)
    assert oidc_client.get(LIST, headers=auth(bad)).status_code == 401


def test_bad_signatures_are_refused(oidc_client: TestClient, keys: Keys) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = token(keys, signer=stranger)
    assert oidc_client.get(LIST, headers=auth(forged)).status_code == 401
    tampered = token(keys).split(".")
    tampered[1] = jwt.utils.base64url_encode(json.dumps({"sub": "idp|judge-li"}).encode()).decode()
    assert oidc_client.get(LIST, headers=auth(".".join(tampered))).status_code == 401
    unknown_kid = token(keys, kid="rsa-9", signer=keys.rsa)
    assert oidc_client.get(LIST, headers=auth(unknown_kid)).status_code == 401


def test_symmetric_and_unsigned_tokens_are_refused(oidc_client: TestClient, keys: Keys) -> None:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "idp|judge-li", "iat": now, "exp": now + 300}
    hs = jwt.encode(
        claims, "a-shared-secret-of-32-bytes-min!", algorithm="HS256", headers={"kid": "rsa-1"}
    )
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "rsa-1"})
    for bad in (hs, unsigned):
        assert oidc_client.get(LIST, headers=auth(bad)).status_code == 401


def test_disabled_user_is_refused(oidc_client: TestClient, keys: Keys, db: Session) -> None:
    from api.access.accounts import disable_user, find_user

    disable_user(session=db, user=find_user(session=db, name="judge-li"))
    db.commit()
    assert oidc_client.get(LIST, headers=auth(token(keys))).status_code == 401


def test_jwts_are_refused_when_oidc_is_off(client: TestClient, keys: Keys) -> None:
    assert client.get(LIST, headers=auth(token(keys))).status_code == 401
