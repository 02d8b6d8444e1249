"""Issue 13: schemathesis against the intranet API's OpenAPI, with a valid token for each role.

A bounded run (SONGDA_FUZZ_EXAMPLES per operation, 4 by default) in `make test`: no 5xx, no
response outside its documented schema or content type, and nothing stored by a refused call.
"""

from __future__ import annotations

import itertools
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy import Engine

from api.app import create_app
from domain.settings import Settings
from tests.fuzz.conftest import MAX_EXAMPLES, PHASES
from tests.fuzz.support import ROLES as ROLE_NAMES
from tests.fuzz.support import Seeds, aim, changed, row_counts

# The document is the app's own; building the app opens nothing (the lifespan does).
schema = schemathesis.openapi.from_dict(create_app(Settings(DATABASE_URL="sqlite://")).openapi())
# Examples and random generation; the coverage phase's hundreds of boundary cases per operation
# are for a long hunt (SONGDA_FUZZ_PHASES=examples,coverage,fuzzing).
schema.config.phases.update(phases=PHASES)
# Valid and invalid data both: a refusal must be a 4xx that stores nothing, never a 500.
schema.config.generation.update(
    modes=["positive", "negative"], allow_x00=True, no_shrink=True, with_security_parameters=False
)
ROLES = itertools.cycle(ROLE_NAMES)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_holds_under_fuzzing(
    case: Any, api_app: Any, seeds: Seeds, fuzz_engine: Engine
) -> None:
    aim(case.path_parameters, seeds.ids)
    # Each example as nobody and as two roles in turn: every role meets every operation.
    for role in ("anonymous", next(ROLES), next(ROLES)):
        token = seeds.tokens.get(role, "")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        before = row_counts(fuzz_engine)
        response = case.call(headers=headers, app=api_app)
        case.validate_response(response, checks=CHECKS, headers=headers)
        if 400 <= response.status_code < 500:
            stored = changed(before, row_counts(fuzz_engine))
            assert not stored, (
                f"{case.method} {case.formatted_path} as {role} answered "
                f"{response.status_code} and stored rows: {stored}"
            )
