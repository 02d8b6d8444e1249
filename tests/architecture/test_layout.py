"""The layout's rules hold: no import circles, workflows see only the pure contracts, rooms."""

from __future__ import annotations

import sys

import pytest

from tests.architecture.imports import cycles, import_graph, imported_roots

GRAPH = import_graph()
API_FEATURES = (
    "access", "requests", "tasks", "work_orders", "evidence", "calls", "providers", "archive",
    "stats", "audit", "ops", "admin",
)  # fmt: skip


def test_finds_a_circle_when_there_is_one() -> None:
    """The circle finder itself can fail: a planted circle is found."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_among_songda_modules() -> None:
    """No module of songda reaches itself through its imports."""
    assert cycles(GRAPH) == []


def test_workflows_import_only_workflows_and_the_pure_contracts() -> None:
    """A workflow module imports nothing of songda outside workflows/ and domain/pure/."""
    wrong = {
        module: sorted(t for t in targets if not t.startswith(("workflows", "domain.pure")))
        for module, targets in GRAPH.items()
        if module.startswith("workflows")
    }
    assert {m: t for m, t in wrong.items() if t} == {}


def test_workflows_import_no_third_party_module_but_temporalio() -> None:
    """Beyond songda's pure set, workflows import only the standard library and temporalio."""
    allowed = {*sys.stdlib_module_names, "temporalio", "workflows", "domain"}
    wrong = {
        module: sorted(name for name in imported_roots(module) if name not in allowed)
        for module in GRAPH
        if module.startswith("workflows")
    }
    assert {m: t for m, t in wrong.items() if t} == {}


def test_api_imports_no_workflow_or_activity() -> None:
    """The API talks to Temporal by names and contracts, never by importing workflow code."""
    wrong = {
        module: sorted(t for t in targets if t.startswith(("workflows", "activities")))
        for module, targets in GRAPH.items()
        if module.startswith("api")
    }
    assert {m: t for m, t in wrong.items() if t} == {}


@pytest.mark.parametrize("feature", API_FEATURES)
def test_no_feature_imports_another_features_routes(feature: str) -> None:
    """A feature may use another feature's services and bodies, never its routes."""
    room = f"api.{feature}"
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith(room + ".") or module == room
        for target in targets
        if target.startswith("api.") and ".routes" in target and not target.startswith(room)
    )
    assert wrong == []


def test_console_and_portal_call_services_not_feature_routes() -> None:
    """The console and the portal are faces over the feature services."""
    feature_routes = tuple(f"api.{feature}.routes" for feature in API_FEATURES)
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith(("api.console", "api.portal"))
        for target in targets
        if target.startswith(feature_routes)
    )
    assert wrong == []


def test_api_root_holds_only_the_shell() -> None:
    """Beside the feature packages, api/ holds only the shell."""
    shell = {"api", "api.__main__", "api.app", "api.deps", "api.errors", "api.temporal",
             "api.request_context", "api.fields", "api.body_limit", "api.openapi",
             "api.input_guard", "api.rate_limit"}  # fmt: skip
    roots = {m for m in GRAPH if m.count(".") == 1 and m.startswith("api.")} | {"api"}
    packages = {f"api.{name}" for name in (*API_FEATURES, "cli", "console", "portal")}
    assert roots - shell - packages == set()


def test_console_labels_cover_every_call_result_and_relation() -> None:
    """The clerk's choices are the domain's codes, each with a Chinese label."""
    from api.console.labels import CALL_RESULT_LABELS, RELATION_LABELS
    from domain.pure.work_order_rules import CALL_RESULTS, RELATIONS

    assert set(CALL_RESULT_LABELS) == CALL_RESULTS
    assert set(RELATION_LABELS) == RELATIONS
