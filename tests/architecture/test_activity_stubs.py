"""The stubs the workflows call name exactly the activities the worker registers."""

from __future__ import annotations

import inspect

import httpx
from temporalio import activity

from activities.channels.choose import sms_providers
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from worker import build_activities
from workflows import activity_stubs


def _stubs() -> dict[str, object]:
    functions = inspect.getmembers(activity_stubs, inspect.isfunction)
    named = {fn: activity._Definition.from_callable(fn) for _, fn in functions}
    return {d.name: fn for fn, d in named.items() if d is not None}


def test_every_stub_names_a_registered_activity_with_the_same_types() -> None:
    """Each stub's name is registered by the worker, with the same argument and result types."""
    settings = Settings()
    sessions = make_session_factory(make_engine("sqlite://"))
    with httpx.Client() as http:
        registered = build_activities(
            settings, http, sessions, sms_providers(settings, http, sessions)
        )
    real = {activity._Definition.must_from_callable(fn).name: fn for fn in registered}
    stubs = _stubs()
    assert set(stubs) <= set(real), sorted(set(stubs) - set(real))
    for name, stub in stubs.items():
        want = inspect.signature(stub)
        got = inspect.signature(real[name])
        assert [p.annotation for p in got.parameters.values()] == [
            p.annotation for p in want.parameters.values()
        ], name
        assert got.return_annotation == want.return_annotation, name
