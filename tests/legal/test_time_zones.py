"""Issue 12, item 5: no time without a zone; the server's own zone never moves a legal date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter with TZ set, so the process zone is what a misconfigured server has.
PROBE = r"""
import json
from datetime import date, datetime
from pydantic import TypeAdapter
from api.fields import Instant
from domain.pure.clock import legal_date
from domain.pure.ladder import Clock, ProviderEvent
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.served_on import act_date, event_day, mail_served
from workflows.state import event_date

clock = Clock()
late = "2026-09-30T23:30:00"  # no offset: Beijing time by contract, never the server's
aware = "2026-09-30T16:30:00+00:00"
events = [ProviderEvent("r", "refused", "2026-10-08T09:00:00"),
          ProviderEvent("r", "returned", "2026-10-12T23:59:00", {"reason": "refused"})]
served = mail_served(clock, events, address_ok=True, mediation=False)
calendar = LegalCalendar()
print(json.dumps({
    "event_naive": event_day(clock, ProviderEvent("r", "delivered", late)).isoformat(),
    "event_aware": event_date(clock, ProviderEvent("r", "delivered", aware)).isoformat(),
    "act": act_date(clock, late, datetime.now()).isoformat(),
    "naive": legal_date(clock, datetime.fromisoformat(late)).isoformat(),
    "instant": legal_date(clock, TypeAdapter(Instant).validate_python(late)).isoformat(),
    "mail": served.on.isoformat() if served else None,
    "plus15": calendar.add_days(date(2026, 9, 22), 15).value.isoformat(),
    "notice": calendar.add_days(date(2026, 9, 1), 30).value.isoformat(),
}))
"""


def dates_in(zone: str) -> dict[str, str]:
    """Returns the probe's dates computed by a process whose local zone is the given one."""
    env = {**os.environ, "TZ": zone}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_dates_are_the_same_in_any_server_zone(zone: str) -> None:
    """The date logic in UTC (or anywhere) gives the dates it gives in Asia/Shanghai."""
    assert (
        dates_in(zone)
        == dates_in("Asia/Shanghai")
        == {
            "event_naive": "2026-09-30",
            "event_aware": "2026-10-01",
            "act": "2026-09-30",
            "naive": "2026-09-30",
            "instant": "2026-09-30",
            "mail": "2026-10-12",
            "plus15": "2026-10-08",
            "notice": "2026-10-08",
        }
    )
