"""Start the Rasa server, the action server and the web server together; Ctrl-C (SIGINT)
or SIGTERM stops them all.

``python -m ops.launcher`` is what ``make run`` calls. The end-to-end tests start the
same stack through :func:`start_stack`.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from analytics.store import create_schema as create_statistics_schema
from handoff.accounts import add_counsellor
from handoff.schema import migrate
from knowledge.build import build_store
from ops.processes import Stack, StopRequested, wait_until_ready
from ops.processes import free_port as free_port  # still importable from here, as before
from ops.processes import stop_processes as stop_processes  # (tools/evaluation.py on main)
from ops.scaled_setup import ensure_database
from settings import PROJECT_DIR, Settings, SettingsError, load_settings


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
            "MAX_BODY_BYTES": str(settings.max_body_bytes),
            "MAX_FRAME_BYTES": str(settings.max_frame_bytes),
            "SOCKETS_PER_ADDRESS": str(settings.sockets_per_address),
            "FRAMES_PER_SOCKET": str(settings.frames_per_socket),
            "ACTION_SERVER_URL": settings.action_server_url,
            "TRACKER_DIALECT": "sqlite",
            "VAR_DIR": str(settings.var_dir),
            "TRACKER_DB": str(settings.tracker_db),
            "EVENTS_DB": str(settings.events_db),  # bot/endpoints.yml's event broker
            "METRICS_PORT": str(settings.metrics_port),  # the statistics consumer's
            "PYTHONPATH": str(PROJECT_DIR),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            # No telemetry or error reports leave the machine (anonymity, no network).
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    if settings.opening_hours_file:
        env["OPENING_HOURS_FILE"] = str(settings.opening_hours_file)
    if settings.telegram_enabled:  # what bot/credentials-telegram.yml reads
        env["TELEGRAM_TOKEN"] = settings.telegram_token
        env["TELEGRAM_SECRET_TOKEN"] = settings.telegram_secret_token
        env["TELEGRAM_API_URL"] = settings.telegram_api_url
    if settings.id_hash_key:  # required with Telegram (checked by the settings)
        env["ID_HASH_KEY"] = settings.id_hash_key
    if settings.scaled:
        env.update(_scaled_env(settings))
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    env["STATISTICS_DATABASE_URL"] = settings.statistics_url  # the consumer's, as here
    return env


def _scaled_env(settings: Settings) -> dict[str, str]:
    """Tracker on PostgreSQL, locks on Redis, several workers per server."""
    database = urlsplit(settings.database_url)
    redis = urlsplit(settings.redis_url)
    rabbitmq = urlsplit(settings.rabbitmq_url)
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
        # Rasa's Pika broker builds its URL from these (as they stand in RABBITMQ_URL)
        "RABBITMQ_URL": settings.rabbitmq_url,
        "RABBITMQ_PORT": str(rabbitmq.port or 5672),
        "RABBITMQ_USER": rabbitmq.username or "guest",
        "RABBITMQ_PASSWORD": rabbitmq.password or "guest",
        "RABBITMQ_QUEUE": settings.statistics_queue,
        "SANIC_WORKERS": str(settings.rasa_workers),
        "ACTION_SERVER_SANIC_WORKERS": str(settings.rasa_workers),
    }


def _credentials(settings: Settings) -> str:
    """bot/credentials.yml, or with Telegram (TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN set)
    bot/credentials-telegram.yml; Rasa fills in their ${...} from the environment."""
    return "bot/credentials-telegram.yml" if settings.telegram_enabled else "bot/credentials.yml"


def rasa_run_arguments(settings: Settings, token: str) -> list[str]:
    """The arguments of ``rasa run``. The token goes in as ``--auth-token=<token>``: a
    generated token may start with "-", which Rasa's parser would take for an option."""
    return [
        "run",
        "--model",
        str(settings.model_path),
        "--endpoints",
        "bot/endpoints-scaled.yml" if settings.scaled else "bot/endpoints.yml",
        "--credentials",
        _credentials(settings),
        "--interface",
        "127.0.0.1",
        "--port",
        str(settings.rasa_port),
        "--enable-api",
        f"--auth-token={token}",
    ]


def rasa_command(*args: str) -> list[str]:
    """The ``rasa`` command next to this Python."""
    return [str(Path(sys.executable).with_name("rasa")), *args]


def start_stack(settings: Settings, log: IO[bytes] | None = None) -> Stack:
    """Prepare the stores, start the servers and wait until they answer."""
    prepare_stores(settings)
    return start_servers(settings, log)


def prepare_stores(settings: Settings) -> None:
    """Build the knowledge store when its sources changed; migrate the handoff store; make
    the statistics tables; set up the counsellor account."""
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
    if settings.statistics_url.startswith("postgresql"):
        ensure_database(settings.statistics_url)
    create_statistics_schema(settings.statistics_url)
    if settings.counsellor_user and settings.counsellor_password:
        try:
            add_counsellor(
                settings.handoff_url, settings.counsellor_user, settings.counsellor_password
            )
        except ValueError as error:
            raise SettingsError(f"COUNSELLOR_USER, COUNSELLOR_PASSWORD: {error}") from None
        print(f"Counsellor account {settings.counsellor_user!r} is ready.", flush=True)


def start_servers(
    settings: Settings,
    log: IO[bytes] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Stack:
    """Start the action server, the Rasa server, the web server and the statistics consumer;
    wait until the servers answer.

    When ``should_stop()`` turns true meanwhile, stop what was started and raise StopRequested.
    """
    token = settings.rasa_token or secrets.token_urlsafe(24)
    env = _child_env(settings, token)
    stack = Stack(settings=settings, token=token, should_stop=should_stop)
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
    stack.start(rasa_command(*rasa_run_arguments(settings, token)))
    stack.start([sys.executable, "-m", "channels.console", "serve"])
    stack.start([sys.executable, "-m", "analytics", "consume"])  # last: indexes stay
    try:
        wait_until_ready(f"http://127.0.0.1:{settings.action_port}/health", stack)
        wait_until_ready(f"{settings.rasa_url}/status?token={token}", stack)
        wait_until_ready(f"{settings.web_url}/", stack)
    except BaseException:
        stack.stop()
        raise
    return stack


ACCOUNT_HINT = "  (no account yet? python -m channels.console add-counsellor NAME)"


class StopSignals:
    """SIGINT and SIGTERM stop the launcher.

    Before any server runs they interrupt at once (KeyboardInterrupt). Once ``deferred`` is
    set they are only recorded and the launcher stops at its next check, so that a signal
    never falls between starting a process and recording it, nor into stopping them.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self.deferred = False

    @classmethod
    def install(cls) -> StopSignals:
        """Handle SIGINT and SIGTERM from now on."""
        signals = cls()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signals._handle)
        return signals

    def _handle(self, signum: int, _frame: object) -> None:
        self.received = signum
        if not self.deferred:
            raise KeyboardInterrupt

    def stop_requested(self) -> bool:
        return self.received is not None


def main() -> int:
    signals = StopSignals.install()
    print("Starting the action server and the Rasa server ...", flush=True)
    try:
        settings = load_settings()
        prepare_stores(settings)
        signals.deferred = True
        stack = start_servers(settings, should_stop=signals.stop_requested)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except (KeyboardInterrupt, StopRequested):  # start_servers has stopped what it started
        print("\nStopped.", flush=True)
        return 0
    try:
        print(
            "\nThe assistant is ready.\n"
            f"  Web chat (demo): {settings.web_url}/\n"
            f"  Counsellors:     {settings.web_url}/console/"
            f"{'' if settings.counsellor_user else ACCOUNT_HINT}\n"
            f"  Chat over REST:  POST {settings.rasa_url}/webhooks/rest/webhook\n"
            f'                   body {{"sender": "<random id>", "message": "hallo"}}\n'
            f"  Rasa HTTP API:   {settings.rasa_url} (token in RASA_TOKEN"
            f"{'' if settings.rasa_token else ', generated for this run: ' + stack.token})\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while not signals.stop_requested() and all(p.poll() is None for p in stack.processes):
            time.sleep(0.2)
        if signals.stop_requested():
            print("\nStopping ...", flush=True)
            return 0
        print("A process stopped; stopping the rest.", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
