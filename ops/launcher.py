"""Start the Rasa server and the action server together; Ctrl-C stops both.

``python -m ops.launcher`` is what ``make run`` calls. The end-to-end tests start the
same stack through :func:`start_stack`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from handoff.accounts import add_counsellor
from handoff.schema import migrate
from knowledge.build import build_store
from settings import PROJECT_DIR, Settings, load_settings

READY_TIMEOUT_S = 180.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a stack that must not clash with another."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal a process and the workers it started (they share its process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


@dataclass
class Stack:
    """The running processes of the assistant."""

    settings: Settings
    token: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    spawn_options: dict = field(default_factory=dict)

    def start(self, args: list[str]) -> subprocess.Popen:
        """Start one process of the stack."""
        process = subprocess.Popen(args, **self.spawn_options)
        self.processes.append(process)
        return process

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again (tests of a restart mid-conversation)."""
        old = self.processes[1]
        _signal_group(old, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            old.wait(timeout=15)
        _signal_group(old, signal.SIGKILL)
        old.wait()
        self.processes[1] = subprocess.Popen(old.args, **self.spawn_options)
        _wait_until_ready(f"{self.settings.rasa_url}/status?token={self.token}", self)

    def stop(self) -> None:
        """Stop every process and its workers (its process group), politely first."""
        stop_processes(self.processes)


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """SIGINT to each process group, SIGKILL to what is left after 15 s."""
    for process in processes:
        _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + 15
    for process in processes:
        remaining = max(0.1, deadline - time.monotonic())
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=remaining)
        _signal_group(process, signal.SIGKILL)  # workers left behind, if any
        process.wait()


def _child_env(settings: Settings, token: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "RASA_TOKEN": token,
            "SANIC_HOST": "127.0.0.1",  # the action server listens on localhost only
            "RASA_PORT": str(settings.rasa_port),
            "ACTION_PORT": str(settings.action_port),
            "WEB_PORT": str(settings.web_port),
            "MESSAGES_PER_CONVERSATION": str(settings.messages_per_conversation),
            "MESSAGES_PER_ADDRESS": str(settings.messages_per_address),
            "ACTION_SERVER_URL": settings.action_server_url,
            "TRACKER_DIALECT": "sqlite",
            "VAR_DIR": str(settings.var_dir),
            "TRACKER_DB": str(settings.tracker_db),
            "PYTHONPATH": str(PROJECT_DIR),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            # No telemetry or error reports leave the machine (anonymity, no network).
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    if settings.opening_hours_file:
        env["OPENING_HOURS_FILE"] = str(settings.opening_hours_file)
    if settings.telegram_enabled:
        env["TELEGRAM_TOKEN"] = settings.telegram_token
        env["TELEGRAM_SECRET_TOKEN"] = settings.telegram_secret_token
        env["TELEGRAM_API_URL"] = settings.telegram_api_url
    if settings.id_hash_key:
        env["ID_HASH_KEY"] = settings.id_hash_key
    if settings.scaled:
        env.update(_scaled_env(settings))
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return env


def _scaled_env(settings: Settings) -> dict[str, str]:
    """Tracker on PostgreSQL, locks on Redis, several workers per server."""
    database = urlsplit(settings.database_url)
    redis = urlsplit(settings.redis_url)
    return {
        "TRACKER_HOST": database.hostname or "127.0.0.1",
        "TRACKER_PORT": str(database.port or 5432),
        "TRACKER_DB": database.path.lstrip("/") or "postgres",
        "TRACKER_USER": database.username or "postgres",
        "TRACKER_PASSWORD": database.password or "",
        "REDIS_HOST": redis.hostname or "127.0.0.1",
        "REDIS_PORT": str(redis.port or 6379),
        "REDIS_DB": redis.path.lstrip("/") or "0",
        "REDIS_URL": settings.redis_url,
        "SANIC_WORKERS": str(settings.rasa_workers),
        "ACTION_SERVER_SANIC_WORKERS": str(settings.rasa_workers),
    }


def _credentials(settings: Settings) -> Path:
    """bot/credentials.yml, plus the Telegram channel when its token and secret are set."""
    text = (PROJECT_DIR / "bot" / "credentials.yml").read_text(encoding="utf-8")
    if settings.telegram_enabled:
        text += "# Added by the launcher: TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN are set.\n"
        text += "channels.telegram.TelegramInput:\n"
    path = settings.var_dir / "credentials.yml"
    path.write_text(text, encoding="utf-8")
    return path


def rasa_command(*args: str) -> list[str]:
    """The ``rasa`` command next to this Python."""
    return [str(Path(sys.executable).with_name("rasa")), *args]


def start_stack(settings: Settings, log: IO[bytes] | None = None) -> Stack:
    """Start the action server and the Rasa server and wait until both answer."""
    if settings.model_path is None or not settings.model_path.exists():
        raise SystemExit(f"No trained model at {settings.model_path}: run `make train` first.")
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    report = build_store(settings.knowledge_url)
    print(
        "Knowledge store "
        + ("up to date" if report.skipped else f"built in {report.seconds:.1f} s"),
        flush=True,
    )
    migrate(settings.handoff_url)  # before any server opens the handoff store
    counsellor = os.environ.get("COUNSELLOR_USER")
    if counsellor and os.environ.get("COUNSELLOR_PASSWORD"):
        add_counsellor(settings.handoff_url, counsellor, os.environ["COUNSELLOR_PASSWORD"])
        print(f"Counsellor account {counsellor!r} is ready.", flush=True)
    token = settings.rasa_token or secrets.token_urlsafe(24)
    env = _child_env(settings, token)
    stack = Stack(settings=settings, token=token)
    # Each process leads a group of its own, so that stop() reaches its Sanic workers too.
    stack.spawn_options = {
        "cwd": PROJECT_DIR,
        "env": env,
        "stdout": log,
        "stderr": log,
        "start_new_session": True,
    }
    stack.start(
        rasa_command("run", "actions", "--actions", "actions", "--port", str(settings.action_port))
    )
    stack.start(
        rasa_command(
            "run",
            "--model",
            str(settings.model_path),
            "--endpoints",
            "bot/endpoints-scaled.yml" if settings.scaled else "bot/endpoints.yml",
            "--credentials",
            str(_credentials(settings)),
            "--interface",
            "127.0.0.1",
            "--port",
            str(settings.rasa_port),
            "--enable-api",
            "--auth-token",
            token,
        )
    )
    stack.start([sys.executable, "-m", "channels.console", "serve"])
    try:
        _wait_until_ready(f"http://127.0.0.1:{settings.action_port}/health", stack)
        _wait_until_ready(f"{settings.rasa_url}/status?token={token}", stack)
        _wait_until_ready(f"{settings.web_url}/", stack)
    except BaseException:
        stack.stop()
        raise
    return stack


def _wait_until_ready(url: str, stack: Stack) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        for process in stack.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {READY_TIMEOUT_S:.0f} s")


ACCOUNT_HINT = "  (no account yet? python -m channels.console add-counsellor NAME)"


def main() -> int:
    settings = load_settings()
    print("Starting the action server and the Rasa server ...", flush=True)
    try:
        stack = start_stack(settings)
    except KeyboardInterrupt:  # start_stack has stopped what it started
        print("\nStopped.", flush=True)
        return 0
    try:
        # The ready message is printed inside the try, so that Ctrl-C right after it is
        # still handled.
        print(
            "\nThe assistant is ready.\n"
            f"  Web chat (demo): {settings.web_url}/\n"
            f"  Counsellors:     {settings.web_url}/console/"
            f"{'' if os.environ.get('COUNSELLOR_USER') else ACCOUNT_HINT}\n"
            f"  Chat over REST:  POST {settings.rasa_url}/webhooks/rest/webhook\n"
            f'                   body {{"sender": "<random id>", "message": "hallo"}}\n'
            f"  Rasa HTTP API:   {settings.rasa_url} (token in RASA_TOKEN"
            f"{'' if settings.rasa_token else ', generated for this run: ' + stack.token})\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes):
            time.sleep(0.5)
        print("A process stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
