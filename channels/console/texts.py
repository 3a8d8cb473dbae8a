"""The console's Dutch text catalogue: ``texts.yml``, loaded once into typed records.

A key missing from the file or unknown to these records fails at import, so at the web
server's start rather than in front of a counsellor.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).with_name("texts.yml")
MAX_TEXT = 4000  # the longest message or note a counsellor may send, in characters


@dataclass(frozen=True)
class Errors:
    """Answers of the JSON API, sent as ``{"error": text}`` (see ``errors.py``)."""

    login_first: str
    csrf: str
    credentials_needed: str
    too_many_attempts: str
    wrong_credentials: str
    no_such_conversation: str
    claimed_by_another: str
    claim_first: str
    text_needed: str
    message_not_delivered: str
    knowledge_unavailable: str
    no_such_service: str
    card_not_delivered: str
    not_yours_or_finished: str
    finished_without_rasa: str
    read_claim_first: str
    read_someone_elses: str
    read_bot_supervisor_only: str
    read_not_active: str
    claim_bot_supervisor_only: str
    someone_elses: str
    note_needs_claim: str
    close_needs_claim: str
    whisper_supervisor_only: str
    whisper_needs_holder: str
    admin_only: str
    statistics_supervisor_only: str
    statistics_bad_range: str
    statistics_unavailable: str

    def messages(self) -> frozenset[str]:
        return frozenset(astuple(self))


@dataclass(frozen=True)
class Summary:
    """Parts of a conversation's one-line summary in the queue and the live view."""

    crisis: str
    language: str
    languages: dict[str, str]
    asked: str
    occupation: str
    signposted: str
    nothing_yet: str


@dataclass(frozen=True)
class Labels:
    """Dutch names of the bot's user groups and topics, for the counsellor."""

    unknown_group: str
    user_groups: dict[str, str]
    topics: dict[str, str]

    def group(self, value: str | None) -> str:
        return self.user_groups.get(value, value) if value else self.unknown_group

    def topic(self, value: str | None) -> str | None:
        return self.topics.get(value, value) if value else None


@dataclass(frozen=True)
class TranscriptTexts:
    """How a button the person pressed shows in the transcript."""

    button: str
    other_button: str
    buttons: dict[str, str]


@dataclass(frozen=True)
class Accounts:
    """The account commands' prompt and answers."""

    password_prompt: str
    not_created: str
    ready: str
    not_changed: str
    changed: str
    listed: str
    role_set: str
    disabled: str
    enabled: str
    password_reset: str
    active: str


@dataclass(frozen=True)
class StatisticsTexts:
    """The supervisors' dashboard: headings, what each chart shows, table columns."""

    title: str
    heading: str
    intro: str
    back_to_console: str
    range: str
    to: str
    show: str
    per_day: str
    per_month: str
    suppressed: str
    suppressed_note: str
    no_data: str
    unknown_topic: str
    table: str
    chart: str
    export: str
    export_over_time: str
    export_by_group: str
    export_by_topic: str
    refused_title: str
    over_time: str
    over_time_about: str
    by_group: str
    by_group_about: str
    by_topic: str
    by_topic_about: str
    funnel: str
    funnel_about: str
    waiting: str
    waiting_about: str
    ratings: str
    ratings_about: str
    funnel_steps: dict[str, str]
    columns: dict[str, str]
    stars: str
    from_: str
    link: str  # in the console's header, for supervisors and admins


@dataclass(frozen=True)
class Texts:
    errors: Errors
    summary: Summary
    labels: Labels
    transcript: TranscriptTexts
    card: str
    accounts: Accounts
    quick_replies: dict[str, list[str]]
    account_errors: dict[str, str]  # AccountError.reason -> what the admin reads
    roles: dict[str, str]  # role -> its Dutch name
    statistics: StatisticsTexts

    def messages(self) -> frozenset[str]:
        """Every message a handler may send as ``{"error": ...}``."""
        return self.errors.messages() | frozenset(self.account_errors.values())


def load_texts(path: Path = CATALOGUE) -> Texts:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = {key: text.format(max_text=MAX_TEXT) for key, text in data["errors"].items()}
    return Texts(
        errors=Errors(**errors),
        summary=Summary(**data["summary"]),
        labels=Labels(**data["labels"]),
        transcript=TranscriptTexts(**data["transcript"]),
        card=data["card"],
        accounts=Accounts(**data["accounts"]),
        quick_replies=data["quick_replies"],
        account_errors=data["account_errors"],
        roles=data["roles"],
        statistics=StatisticsTexts(
            **{
                ("from_" if key == "from" else key): text
                for key, text in data["statistics"].items()
            }
        ),
    )


TEXTS = load_texts()
ERRORS = TEXTS.errors
