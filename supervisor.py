"""Keeps a stack's processes running: a dead one is restarted with backoff, a crash loop stops."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from launcher import Stack, StackError

TEMPORAL = "temporal"


@dataclass(frozen=True)
class RestartPolicy:
    """How often a process may die before the stack gives up, and how long to wait between."""

    max_crashes: int = 5  # this many deaths of one process within the window stop the stack
    window_seconds: float = 60.0
    first_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, recent: int) -> float:
        """Returns the wait before a restart after `recent` deaths in the window (doubling)."""
        return float(min(self.max_delay, self.first_delay * 2.0 ** max(0, recent - 1)))


@dataclass
class Supervisor:
    """Watches the stack's children (and its own Temporal dev server) and restarts the dead."""

    stack: Stack
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    say: Callable[[str], None] = lambda line: None
    restarts: dict[str, int] = field(default_factory=dict)
    _deaths: dict[str, deque[float]] = field(default_factory=dict)
    _due: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        """Asks run() to return after its current round."""
        self._stop.set()

    def run(self, poll: float = 0.5, timeout: float | None = None) -> None:
        """Supervises until stop() or the timeout; raises StackError on a crash loop."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stop.is_set():
            if deadline is not None and time.monotonic() > deadline:
                return
            self.step(time.monotonic())
            self._stop.wait(poll)

    def step(self, now: float) -> None:
        """Notes new deaths, schedules their restarts, and restarts those that are due."""
        for name, code in self._dead():
            if name not in self._due:
                self._schedule(name, code, now)
        for name, at in list(self._due.items()):
            if now >= at:
                del self._due[name]
                self._restart(name)

    def _dead(self) -> list[tuple[str, int | None]]:
        dead = [(name, self.stack.procs[name].returncode) for name in self.stack.dead_children()]
        temporal = self.stack.temporal
        if temporal is not None and temporal.poll() is not None:
            dead.append((TEMPORAL, temporal.returncode))
        return dead

    def _schedule(self, name: str, code: int | None, now: float) -> None:
        deaths = self._deaths.setdefault(name, deque())
        deaths.append(now)
        while deaths and now - deaths[0] > self.policy.window_seconds:
            deaths.popleft()
        log = self.stack.log_path(name)
        if len(deaths) >= self.policy.max_crashes:
            raise StackError(
                f"{name} exited {len(deaths)} times within {self.policy.window_seconds:.0f}s "
                f"(last exit code {code}); its log is {log}"
            )
        delay = self.policy.delay(len(deaths))
        line = f"{name} exited (code {code}); restarting in {delay:.0f}s; its log is {log}"
        self.say(f"songda: {line}")
        self._note(name, line)
        self._due[name] = now + delay

    def _restart(self, name: str) -> None:
        if name == TEMPORAL:
            self.stack.spawn_temporal()
        else:
            self.stack.start_child(name)
        self.restarts[name] = self.restarts.get(name, 0) + 1
        self.say(f"songda: {name} restarted (restart {self.restarts[name]})")
        self._note(name, f"restarted by the launcher (restart {self.restarts[name]})")

    def _note(self, name: str, line: str) -> None:
        """Writes the supervisor's line into the process's own log, so the log tells it all."""
        self.stack.ensure_state()
        with self.stack.log_path(name).open("a", encoding="utf-8") as log:
            log.write(f"--- launcher: {line}\n")
