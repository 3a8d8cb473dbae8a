"""Every environment variable the assistant reads, with its default, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    """Run-time settings of the local stack."""

    rasa_port: int
    action_port: int
    rasa_token: str | None
    var_dir: Path
    model_path: Path | None
    database_url: str | None = None
    web_port: int = 8080
    opening_hours_file: Path | None = None
    telegram_token: str | None = None
    telegram_secret_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    id_hash_key: str | None = None  # key of the hash that replaces channel user ids
    retention_days: int = 30
    messages_per_conversation: int = 30  # per minute; 0 switches the limit off
    messages_per_address: int = 300  # per minute; behind a proxy every address is the proxy's
    widget_origins: tuple[str, ...] = ()  # allowed Origins of the widget socket; empty: any
    redis_url: str | None = None  # set: the scaled set-up (Redis locks and pub/sub)
    rasa_workers: int = 2  # Sanic workers per Rasa server in the scaled set-up

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
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def knowledge_url(self) -> str:
        """SQLAlchemy URL of the knowledge store: DATABASE_URL, else a SQLite file."""
        return self.database_url or f"sqlite:///{self.var_dir / 'knowledge.db'}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    model = env.get("ASSISTANT_MODEL")
    return Settings(
        rasa_port=int(env.get("RASA_PORT", "5005")),
        action_port=int(env.get("ACTION_PORT", "5055")),
        rasa_token=env.get("RASA_TOKEN") or None,
        var_dir=Path(env.get("VAR_DIR", str(PROJECT_DIR / "var"))),
        model_path=Path(model) if model else None,
        database_url=env.get("DATABASE_URL") or None,
        web_port=int(env.get("WEB_PORT", "8080")),
        retention_days=int(env.get("RETENTION_DAYS", "30")),
        redis_url=env.get("REDIS_URL") or None,
        rasa_workers=int(env.get("RASA_WORKERS", "2")),
        messages_per_conversation=int(env.get("MESSAGES_PER_CONVERSATION", "30")),
        messages_per_address=int(env.get("MESSAGES_PER_ADDRESS", "300")),
        widget_origins=tuple(
            o.strip() for o in env.get("WIDGET_ORIGINS", "").split(",") if o.strip()
        ),
        telegram_token=env.get("TELEGRAM_TOKEN") or None,
        telegram_secret_token=env.get("TELEGRAM_SECRET_TOKEN") or None,
        telegram_api_url=(env.get("TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/"),
        id_hash_key=env.get("ID_HASH_KEY") or env.get("TELEGRAM_SECRET_TOKEN") or None,
        opening_hours_file=Path(env["OPENING_HOURS_FILE"])
        if env.get("OPENING_HOURS_FILE")
        else None,
    )
