"""Every environment variable the project reads, with its default and its check, in one place.

``load_settings()`` reads the assistant's variables into :class:`Settings`,
``load_suite_settings()`` those of the test suite into :class:`SuiteSettings`. Both are
pydantic dataclasses, so every value is checked, whether it comes from the environment or is
passed as a keyword (as tests do); from the environment, a bad value raises
:class:`SettingsError` naming the variable. An empty variable counts as unset.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import ValidationError, conint, validator
from pydantic.dataclasses import dataclass

PROJECT_DIR = Path(__file__).resolve().parent

Port = conint(ge=1, le=65535)
PerMinute = conint(ge=0)  # 0 switches the limit off
Positive = conint(ge=1)
Count = conint(ge=0)  # 0 switches the limit off
Bytes = conint(ge=1024)

# Telegram's rule for a webhook's secret token.
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(ValueError):
    """One or more environment variables have a value the project cannot use."""


def _env(variable: str, *, unset: Any = MISSING, secret: bool = False) -> dict[str, Any]:
    """A field's metadata: its variable, its value when that is unset (default: the field's
    default) and whether the value is a secret, never shown in an error."""
    return {"variable": variable, "unset": unset, "secret": secret}


def _check_database_url(cls: type, value: str | None) -> str | None:
    if value is not None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL (dialect://user:password@host/database)") from None
    return value


@dataclass(frozen=True)
class Settings:
    """Run-time settings of the local stack."""

    rasa_port: Port = field(metadata=_env("RASA_PORT", unset=5005))
    action_port: Port = field(metadata=_env("ACTION_PORT", unset=5055))
    rasa_token: str | None = field(repr=False, metadata=_env("RASA_TOKEN", unset=None, secret=True))
    var_dir: Path = field(metadata=_env("VAR_DIR", unset=PROJECT_DIR / "var"))
    model_path: Path | None = field(metadata=_env("ASSISTANT_MODEL", unset=None))
    database_url: str | None = field(
        default=None, repr=False, metadata=_env("DATABASE_URL", secret=True)
    )
    web_port: Port = field(default=8080, metadata=_env("WEB_PORT"))
    opening_hours_file: Path | None = field(default=None, metadata=_env("OPENING_HOURS_FILE"))
    telegram_token: str | None = field(
        default=None, repr=False, metadata=_env("TELEGRAM_TOKEN", secret=True)
    )
    telegram_secret_token: str | None = field(
        default=None, repr=False, metadata=_env("TELEGRAM_SECRET_TOKEN", secret=True)
    )
    telegram_api_url: str = field(
        default="https://api.telegram.org", metadata=_env("TELEGRAM_API_URL")
    )
    # keys the hash that replaces channel user ids and the sealing of Telegram chat ids in
    # Redis (privacy.channel_ids); required with Telegram, never the Telegram secret
    id_hash_key: str | None = field(
        default=None, repr=False, metadata=_env("ID_HASH_KEY", secret=True)
    )
    retention_days: Positive = field(default=30, metadata=_env("RETENTION_DAYS"))
    # per minute; 0 switches the limit off
    messages_per_conversation: PerMinute = field(
        default=30, metadata=_env("MESSAGES_PER_CONVERSATION")
    )
    # per minute; behind a proxy every address is the proxy's
    messages_per_address: PerMinute = field(default=300, metadata=_env("MESSAGES_PER_ADDRESS"))
    # the largest request body on any of Rasa's routes (Sanic's REQUEST_MAX_SIZE)
    max_body_bytes: Bytes = field(default=64 * 1024, metadata=_env("MAX_BODY_BYTES"))
    # the largest widget socket message (Sanic's WEBSOCKET_MAX_SIZE)
    max_frame_bytes: Bytes = field(default=16 * 1024, metadata=_env("MAX_FRAME_BYTES"))
    # widget sockets one address may hold open at once, per Rasa process
    sockets_per_address: Count = field(default=20, metadata=_env("SOCKETS_PER_ADDRESS"))
    # frames of any type per widget socket, per minute
    frames_per_socket: PerMinute = field(default=60, metadata=_env("FRAMES_PER_SOCKET"))
    # allowed Origins of the widget socket (comma-separated in the environment); empty: any
    widget_origins: tuple[str, ...] = field(default=(), metadata=_env("WIDGET_ORIGINS"))
    # set: the scaled set-up (Redis locks and pub/sub)
    redis_url: str | None = field(default=None, repr=False, metadata=_env("REDIS_URL", secret=True))
    # Sanic workers per Rasa server in the scaled set-up
    rasa_workers: Positive = field(default=2, metadata=_env("RASA_WORKERS"))
    # the counsellor account the launcher creates (or gives this password) at start
    counsellor_user: str | None = field(default=None, metadata=_env("COUNSELLOR_USER"))
    counsellor_password: str | None = field(
        default=None, repr=False, metadata=_env("COUNSELLOR_PASSWORD", secret=True)
    )
    # the scaled set-up's RabbitMQ: Rasa's Pika event broker publishes the events there
    rabbitmq_url: str = field(
        default="amqp://guest:guest@127.0.0.1:5672/",
        repr=False,
        metadata=_env("RABBITMQ_URL", secret=True),
    )
    # the statistics' own database (analytics/); default: a SQLite file, or in the scaled
    # set-up a database named after DATABASE_URL's with "_statistics" on the same server
    statistics_database_url: str | None = field(
        default=None, repr=False, metadata=_env("STATISTICS_DATABASE_URL", secret=True)
    )
    # Prometheus metrics of the statistics consumer on 127.0.0.1 (analytics/metrics.py); 0: off
    metrics_port: conint(ge=0, le=65535) = field(default=9464, metadata=_env("METRICS_PORT"))
    # reverse proxies in front of the web server (comma-separated addresses or CIDR ranges in
    # the environment): only from these is X-Forwarded-For read for the console's login limit
    trusted_proxies: tuple[str, ...] = field(default=(), metadata=_env("TRUSTED_PROXIES"))
    # the console's session cookie is Secure even over HTTP (behind a TLS-terminating proxy)
    secure_cookies: bool = field(default=False, metadata=_env("SECURE_COOKIES"))
    # the PostgreSQL server of the benchmark's scaled runs, without a database
    bench_postgres_url: str = field(
        default="postgresql://postgres@127.0.0.1:5432",
        repr=False,
        metadata=_env("BENCH_POSTGRES", secret=True),
    )

    _database_url = validator(
        "database_url", "bench_postgres_url", "statistics_database_url", allow_reuse=True
    )(_check_database_url)

    @validator("telegram_api_url")
    def _telegram_api_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("not an http(s) URL")
        return value.rstrip("/")

    @validator("telegram_secret_token")
    def _telegram_secret(cls, value: str | None) -> str | None:
        if value is not None and not _TELEGRAM_SECRET.fullmatch(value):
            raise ValueError("1-256 letters, digits, _ or - (Telegram's rule)")
        return value

    @validator("id_hash_key", always=True)
    def _id_hash_key(cls, value: str | None, values: dict[str, Any]) -> str | None:
        from privacy.channel_ids import key_problem

        telegram = values.get("telegram_token") and values.get("telegram_secret_token")
        secret = values.get("telegram_secret_token")
        problem = key_problem(value, secret) if telegram or value else None
        if problem:
            raise ValueError(problem)
        return value

    @validator("widget_origins", each_item=True)
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in ("http", "https") or not parts.netloc or value != origin:
            raise ValueError(f"{value!r} is not an origin like https://www.example.org")
        return value

    @validator("rabbitmq_url")
    def _rabbitmq_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in ("amqp", "amqps"):
            raise ValueError("not a RabbitMQ URL (amqp://user:password@host:port/)")
        return value

    @validator("trusted_proxies", each_item=True)
    def _proxy(cls, value: str) -> str:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"{value!r} is not an address or a CIDR range") from None
        return value

    @validator("redis_url")
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("not a Redis URL (redis://host:port/db)")
        return value

    @property
    def scaled(self) -> bool:
        """Several workers share conversations: Redis and a PostgreSQL DATABASE_URL."""
        return bool(self.redis_url and (self.database_url or "").startswith("postgresql"))

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token and self.telegram_secret_token)

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "rasa_tracker.db"

    @property
    def tracker_url(self) -> str:
        """SQLAlchemy URL of Rasa's SQL tracker store (for retention and erasure)."""
        return self.database_url if self.scaled else f"sqlite:///{self.tracker_db}"

    @property
    def handoff_url(self) -> str:
        """SQLAlchemy URL of the handoff store (queue, accounts): the same database settings.

        A SQLite knowledge store is replaced as a whole file on every rebuild, so with SQLite
        the handoff store is a file of its own beside it; a server database holds both.
        """
        url = self.database_url
        if url is None:
            return f"sqlite:///{self.var_dir / 'handoff.db'}"
        if url.startswith("sqlite:///") and url.endswith(".db"):
            return url.removesuffix(".db") + "-handoff.db"
        return url

    @property
    def events_db(self) -> Path:
        """The SQLite file Rasa's events go to in the embedded set-up (the statistics)."""
        return self.var_dir / "rasa_events.db"

    @property
    def events_url(self) -> str:
        return f"sqlite:///{self.events_db}"

    @property
    def statistics_url(self) -> str:
        """SQLAlchemy URL of the statistics database (aggregates; analytics/)."""
        if self.statistics_database_url:
            return self.statistics_database_url
        if self.scaled:
            from sqlalchemy.engine import make_url

            url = make_url(self.database_url)
            return url.set(database=f"{url.database}_statistics").render_as_string(
                hide_password=False
            )
        return f"sqlite:///{self.var_dir / 'statistics.db'}"

    @property
    def statistics_queue(self) -> str:
        """The RabbitMQ queue of the scaled set-up's events: named after the statistics
        database it feeds, so that set-ups sharing a RabbitMQ never count each other's."""
        from sqlalchemy.engine import make_url

        return make_url(self.statistics_url).database.rsplit("/", 1)[-1] or "statistics"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def knowledge_url(self) -> str:
        """SQLAlchemy URL of the knowledge store: DATABASE_URL, else a SQLite file."""
        return self.database_url or f"sqlite:///{self.var_dir / 'knowledge.db'}"


@dataclass(frozen=True)
class SuiteSettings:
    """What the test suite reads: where its PostgreSQL and Chromium are, and whether a
    missing PostgreSQL or Redis (or the control of those servers) fails instead of skipping."""

    postgres_url: str = field(
        default="postgresql://postgres@127.0.0.1:5432/test",
        repr=False,
        metadata=_env("TEST_POSTGRES_URL", secret=True),
    )
    require_postgres: bool = field(default=False, metadata=_env("REQUIRE_POSTGRES"))
    require_redis: bool = field(default=False, metadata=_env("REQUIRE_REDIS"))
    require_rabbitmq: bool = field(default=False, metadata=_env("REQUIRE_RABBITMQ"))
    ci: bool = field(default=False, metadata=_env("CI"))  # set to true by CI services
    chromium_path: Path = field(default=Path("/usr/bin/chromium"), metadata=_env("CHROMIUM_PATH"))

    _postgres_url = validator("postgres_url", allow_reuse=True)(_check_database_url)

    @property
    def postgres_required(self) -> bool:
        return self.require_postgres or self.ci

    @property
    def rabbitmq_required(self) -> bool:
        """RabbitMQ and the control of it (its restart test) are required."""
        return self.require_rabbitmq or self.ci

    @property
    def redis_required(self) -> bool:
        """Redis and the control of the machine's servers (the fault tests) are required."""
        return self.require_redis or self.ci


_S = TypeVar("_S", Settings, SuiteSettings)


def _from_environment(cls: type[_S], env: Mapping[str, str]) -> _S:
    """``cls`` from the variables in ``env``; SettingsError naming each bad one."""
    values: dict[str, Any] = {}
    variables: dict[str, tuple[str, str | None, bool]] = {}
    for item in dataclasses.fields(cls):
        variable = item.metadata["variable"]
        raw = env.get(variable) or None
        variables[item.name] = (variable, raw, item.metadata["secret"])
        if raw is not None:
            values[item.name] = raw
        elif item.metadata["unset"] is not MISSING:
            values[item.name] = item.metadata["unset"]
    if cls is Settings:
        for name in ("widget_origins", "trusted_proxies"):  # comma-separated lists
            listed = values.pop(name, "")
            values[name] = tuple(o.strip() for o in listed.split(",") if o.strip())
    try:
        return cls(**values)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            variable, raw, secret = variables[str(problem["loc"][0])]
            shown = "" if secret or raw is None else f"={raw!r}"
            problems.append(f"  {variable}{shown}: {problem['msg']}")
        heading = "Invalid environment variable" + ("s" if len(problems) > 1 else "")
        raise SettingsError(heading + ":\n" + "\n".join(problems)) from None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: the process environment)."""
    return _from_environment(Settings, os.environ if environ is None else environ)


def load_suite_settings(environ: Mapping[str, str] | None = None) -> SuiteSettings:
    """Read the test suite's settings from ``environ`` (default: the process environment)."""
    return _from_environment(SuiteSettings, os.environ if environ is None else environ)
