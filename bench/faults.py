"""Fault suite, long form: a few hundred parties while every kind of fault happens, repeatedly.

kill -9 of the worker, the API, the portal, the sandbox and the Temporal dev server (restarted
on its db file by the supervisor), pg_terminate_backend of songda's connections, the database
refusing connections, the SMS gateway, e-mail and post down or hung, the callback receiver down.
Prints the table of tests/faults/report.py and exits 1 if anything was lost or doubled.
Usage: python -m bench.faults [--requests N] [--rounds R] [--outage S] [--seconds-per-day D]
"""

from __future__ import annotations

import argparse
import os
import sys

import httpx

from bench.common import case_system_token, running_stack
from tests.faults.report import SuiteSize, problems, run_suite, table


def main() -> None:
    """Runs the long fault suite on a fresh stack and prints its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="times each fault kind happens")
    parser.add_argument("--outage", type=float, default=30.0, help="seconds an outage lasts")
    parser.add_argument("--seconds-per-day", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    size = SuiteSize(
        requests=min(args.requests, 2000),
        rounds=min(args.rounds, 10),
        seconds_per_day=args.seconds_per_day,
        outage_seconds=min(args.outage, 120.0),
        gap=(3.0, 12.0),
        settle_seconds=1200,
        seed=args.seed,
    )
    os.environ.setdefault("SONGDA_ENV", "development")  # development secrets, loopback only
    with running_stack() as stack:
        token = case_system_token(stack)
        base = f"http://127.0.0.1:{stack.settings.api_port}"
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as api:
            figures = run_suite(stack, api, size)
    print(table(figures))
    found = problems(figures)
    print("lost or doubled: " + ("; ".join(found) if found else "nothing"))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
