"""(c) Burst: 10,000 service requests in one go, and none lost.

Every request must be answered 201, stored once, and its workflow started in Temporal.
Usage: python bench/burst.py [--requests N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import sys

from bench.intake import run_intake


def main() -> None:
    """Runs the burst and exits 1 if any request was lost."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=128)
    args = parser.parse_args()
    figures = run_intake(args.requests, args.concurrency, name="burst")
    lost = args.requests - min(figures["accepted"], figures["stored"])
    print(f"lost: {lost}")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
