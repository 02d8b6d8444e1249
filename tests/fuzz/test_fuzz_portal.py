"""Issue 13: schemathesis against the recipient portal, with real link tokens now and then.

The portal publishes no OpenAPI (it is an extranet of HTML pages), so the document is built from
its own routes; the run checks no 5xx, the documented content types, and no rows stored by a
refused call (the portal's receipts of failed identity checks are evidence, kept on purpose).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from sqlalchemy import Engine

from api.portal import routes_documents, routes_identity
from api.portal.app import create_portal_app
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import Base
from tests.fuzz.conftest import MAX_EXAMPLES, PHASES
from tests.fuzz.support import aim, changed, row_counts
from tests.portal.conftest import gateway_url, portal_settings
from tests.portal.support import publish_attempt


def portal_openapi() -> dict[str, Any]:
    """Returns an OpenAPI document of the portal's routers (they are hidden from its schema)."""
    routes = []
    for route in [*routes_identity.router.routes, *routes_documents.router.routes]:
        if isinstance(route, APIRoute):
            shown = copy.copy(route)
            shown.include_in_schema = True
            routes.append(shown)
    return get_openapi(title="songda portal", version="fuzz", routes=routes)


schema = schemathesis.openapi.from_dict(portal_openapi())
schema.config.phases.update(phases=PHASES)
__all__ = ["gateway_url"]  # the real sandbox as the SMS gateway (tests/portal/conftest.py)
schema.config.generation.update(modes=["positive", "negative"], allow_x00=True, no_shrink=True)


@pytest.fixture(scope="module")
def portal_world(
    tmp_path_factory: pytest.TempPathFactory, gateway_url: str
) -> Iterator[tuple[Any, Engine, dict[str, list[str]]]]:
    """The portal on a fresh database with two published attempts; codes go to the sandbox."""
    tmp = tmp_path_factory.mktemp("fuzz-portal")
    config = portal_settings(tmp, gateway_url)
    engine = make_engine(config.effective_database_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        store = DocumentStore(config.document_dir)
        tokens = [publish_attempt(session, config, store).token for _ in range(2)]
    yield create_portal_app(config), engine, {"token": tokens}
    engine.dispose()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)  # fmt: skip
def test_the_portal_holds_under_fuzzing(
    case: Any, portal_world: tuple[Any, Engine, dict[str, list[str]]]
) -> None:
    app, engine, ids = portal_world
    aim(case.path_parameters, ids)
    before = row_counts(engine)
    response = case.call(app=app, allow_redirects=False)
    case.validate_response(response, checks=[not_a_server_error, content_type_conformance])
    if 400 <= response.status_code < 500:
        stored = changed(before, row_counts(engine))
        assert not stored, f"{case.method} {case.path} answered {response.status_code}: {stored}"
