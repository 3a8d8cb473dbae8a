"""What the web server needs to know, read once from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handoff.opening_hours import DEFAULT_FILE
from settings import Settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class ConsoleConfig:
    """Settings of the web server (console, its API, the widget's demo page)."""

    database_url: str
    rasa_url: str
    rasa_token: str
    tracker_url: str | None = None  # for the daily retention purge; None: no purge
    knowledge_url: str | None = None  # signposting cards; None: no cards
    statistics_url: str | None = None  # the supervisors' dashboard; None: no statistics
    retention_days: int = 30
    redis_url: str | None = None  # the scaled set-up: the purge also removes Redis keys
    opening_hours_file: Path = DEFAULT_FILE
    static_dir: Path = STATIC_DIR
    soft_limit_minutes: int = 45  # as CLB Ch@t: the counsellor gets a reminder
    poll_seconds: float = 1.0  # how often new messages and queue places are looked up
    login_attempts: int = 5  # per username (four times as many per address) ...
    login_window_seconds: int = 300  # ... in this window
    # proxies whose X-Forwarded-For names the client (addresses or CIDR ranges); none: the
    # connection's peer is the client
    trusted_proxies: tuple[str, ...] = ()
    secure_cookies: bool = False  # Secure cookies even when the request is HTTP (TLS proxy)

    @property
    def widget_socket_url(self) -> str:
        return self.rasa_url.replace("http", "ws", 1) + "/webhooks/widget/ws"

    @classmethod
    def from_settings(cls, settings: Settings, rasa_token: str) -> ConsoleConfig:
        return cls(
            database_url=settings.handoff_url,
            tracker_url=settings.tracker_url,
            knowledge_url=settings.knowledge_url,
            statistics_url=settings.statistics_url,
            retention_days=settings.retention_days,
            redis_url=settings.redis_url if settings.scaled else None,
            rasa_url=settings.rasa_url,
            rasa_token=rasa_token,
            opening_hours_file=settings.opening_hours_file or DEFAULT_FILE,
            trusted_proxies=settings.trusted_proxies,
            secure_cookies=settings.secure_cookies,
        )
