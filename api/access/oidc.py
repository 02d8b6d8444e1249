"""OIDC / JWT bearer tokens from a court's own identity provider, checked against its JWKS."""

from __future__ import annotations

from typing import Any

import jwt
import structlog

from domain.settings import Settings

log = structlog.get_logger(__name__)

# Asymmetric algorithms only: HS256 would let anyone holding the JWKS forge tokens, and
# "none" would accept unsigned ones.
ALGORITHMS = ["RS256", "ES256"]
# How long the fetched key set is trusted before it is fetched again (seconds).
JWKS_LIFESPAN = 300
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


def looks_like_jwt(token: str) -> bool:
    """Tells whether a bearer token has the three dot-separated parts of a JWS."""
    return token.count(".") == 2


def oidc_enabled(settings: Settings) -> bool:
    """Tells whether the issuer, audience and JWKS URL are all configured."""
    return bool(settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url)


class OidcVerifier:
    """Validates JWTs: signature by the provider's JWKS, issuer, audience and times."""

    def __init__(self, settings: Settings) -> None:
        self._issuer = settings.oidc_issuer
        self._audience = settings.oidc_audience
        self._leeway = settings.oidc_leeway_seconds
        self._keys = jwt.PyJWKClient(
            settings.oidc_jwks_url, cache_keys=True, lifespan=JWKS_LIFESPAN, timeout=10
        )

    def claims(self, token: str) -> dict[str, Any] | None:
        """Returns the verified claims of a token, or None when any check fails."""
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            # The reason only (expired, wrong audience, ...): never the token or its claims.
            log.info("auth.jwt_refused", reason=type(exc).__name__)
            return None
        return claims

    def subject(self, token: str) -> str | None:
        """Returns the verified `sub` of a token, or None."""
        claims = self.claims(token)
        subject = claims.get("sub") if claims else None
        return subject if isinstance(subject, str) and subject else None


def verifier_for(state: Any, settings: Settings) -> OidcVerifier | None:
    """Returns the app's verifier (made once, so the JWKS cache lives), or None when off."""
    if not oidc_enabled(settings):
        return None
    verifier: OidcVerifier | None = getattr(state, "oidc_verifier", None)
    if verifier is None:
        verifier = OidcVerifier(settings)
        state.oidc_verifier = verifier
    return verifier
