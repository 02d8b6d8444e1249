"""A child that dies at once, for the supervisor's crash-loop test."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    sys.stderr.write("crasher: exiting on purpose\n")
    sys.exit(3)
