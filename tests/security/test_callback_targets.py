"""Issue 13 (9): callbacks go only to the case system's origins, never to inside addresses."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.callback_targets import RefusedTarget, check_callback_url
from domain.settings import Settings
from domain.tables.core import Party, ServiceRequest, ServiceTask
from tests.api.conftest import count, stored_files, valid_body

ORIGINS = (
    "cms-hx=https://cms.court.example http://cms.court.example:8080,cms-other=https://x.example"
)
PUBLIC = "93.184.216.34"


def _production(**values: str) -> Settings:
    return Settings(SONGDA_ENV="production", SONGDA_CALLBACK_ORIGINS=ORIGINS, **values)  # type: ignore[arg-type]


def _check(url: str, settings: Settings, resolved: str = PUBLIC, account: str = "cms-hx") -> str:
    return check_callback_url(
        url, account=account, settings=settings, resolver=lambda _host, _port: [resolved]
    )


def test_a_configured_origin_on_a_public_address_is_allowed() -> None:
    assert _check("https://cms.court.example/hooks/songda", _production()) == (
        "https://cms.court.example:443"
    )
    assert _check("http://CMS.court.example:8080/x", _production()).endswith(":8080")


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "169.254.169.254", "10.0.0.5", "192.168.1.20", "::1", "fe80::1",
     "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1", "fd00::1"],
)  # fmt: skip
def test_a_name_that_resolves_inside_is_refused(address: str) -> None:
    with pytest.raises(RefusedTarget, match="reaches"):
        _check("https://cms.court.example/hooks", _production(), resolved=address)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://127.0.0.1:8000/v1/users",  # songda's own API
        "http://[::1]:5432/",
        "https://attacker.example/steal",
        "https://cms.court.example:8443/",  # another port is another origin
        "http://cms.court.example/",  # http where https was configured
    ],
)
def test_anything_but_the_configured_origins_is_refused(url: str) -> None:
    with pytest.raises(RefusedTarget):
        _check(url, _production())


def test_an_account_without_origins_is_refused_outside_development() -> None:
    with pytest.raises(RefusedTarget, match="no callback origin is configured for cms-new"):
        _check("https://cms.court.example/", _production(), account="cms-new")


def test_a_private_network_is_reached_only_when_listed() -> None:
    listed = _production(SONGDA_CALLBACK_PRIVATE_NETWORKS="10.20.0.0/16")
    assert _check("https://cms.court.example/", listed, resolved="10.20.3.4")
    with pytest.raises(RefusedTarget):
        _check("https://cms.court.example/", listed, resolved="10.30.3.4")
    with pytest.raises(RefusedTarget):  # listing never opens loopback or metadata
        _check("https://cms.court.example/", _production(SONGDA_CALLBACK_PRIVATE_NETWORKS=
               "127.0.0.0/8 169.254.0.0/16"), resolved="169.254.169.254")  # fmt: skip


def test_credentials_and_other_schemes_are_refused() -> None:
    for url in ("https://u:p@cms.court.example/", "file:///etc/passwd", "gopher://x/"):
        with pytest.raises(RefusedTarget):
            _check(url, _production())


def test_development_allows_loopback_but_keeps_configured_origins() -> None:
    dev = Settings(SONGDA_ENV="development", SONGDA_CALLBACK_ORIGINS=ORIGINS)
    assert _check("http://127.0.0.1:9000/hooks", dev, account="demo-case-system")
    with pytest.raises(RefusedTarget):
        _check("http://127.0.0.1:9000/hooks", dev, account="cms-hx")


# The submission (API) and the delivery (activity) apply the same check.

SSRF_TARGETS = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:5432/",
    "http://10.0.0.1/admin",
]


@pytest.mark.parametrize("target", SSRF_TARGETS)
def test_a_submission_calling_back_inside_is_422_and_stores_nothing(
    client: TestClient, case_system: dict[str, str], db: Session, settings: Settings, target: str
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    origins = "case-system=https://cms.court.example"
    app.state.settings = settings.model_copy(
        update={"environment": "production", "callback_origins": origins}
    )
    body = {**valid_body(), "callback_url": target}
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["detail"]] == ["callback_url"]
    for model in (ServiceRequest, Party, ServiceTask):
        assert count(db, model) == 0
    assert stored_files(settings) == []


def test_a_submission_outside_its_configured_origins_is_422_in_development_too(
    client: TestClient, case_system: dict[str, str], db: Session, settings: Settings
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    app.state.settings = settings.model_copy(
        update={"callback_origins": "case-system=http://127.0.0.1:9001"}
    )
    response = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    assert response.status_code == 422  # valid_body calls back to 127.0.0.1:9000
    assert "not a callback origin of case-system" in response.text
    assert count(db, ServiceRequest) == 0
