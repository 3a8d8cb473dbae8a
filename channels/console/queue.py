"""The queue and the live view: what the console lists, most urgent first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console.access import LIVE_WINDOW
from channels.console.services import service_names
from channels.console.state import in_transaction
from channels.console.texts import TEXTS
from handoff import accounts
from handoff.models import BOT, QUEUED, WITH_COUNSELLOR, Conversation, Counsellor
from handoff.queue import places, utc_now

QUEUE_FIELDS = ("id", "priority", "waiting_since", "user_group", "topic", "user_group_label",
                "topic_label", "summary", "position", "minutes", "channel")  # fmt: skip


def iso(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with its offset."""
    return value.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds") if value else None


def counsellor_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Counsellor.id, Counsellor.username)).all())


def summary_text(row: Conversation, services: dict[str, str]) -> str:
    summary, texts = row.summary or {}, TEXTS.summary
    parts = []
    if row.crisis:
        parts.append(texts.crisis)
    if summary.get("language"):  # the counsellor may answer in it
        code = summary["language"]
        parts.append(texts.language.format(language=texts.languages.get(code, code)))
    if summary.get("asked"):
        asked = ", ".join(TEXTS.labels.topic(topic) for topic in summary["asked"])
        parts.append(texts.asked.format(topics=asked))
    if summary.get("occupation"):
        parts.append(texts.occupation.format(occupation=summary["occupation"]))
    if summary.get("signposted"):
        named = (services.get(key, key) for key in summary["signposted"])
        parts.append(texts.signposted.format(services=", ".join(named)))
    return "; ".join(parts) or texts.nothing_yet


def describe(row: Conversation, names: dict[int, str], services: dict[str, str]) -> dict[str, Any]:
    """What the console shows of a conversation in lists and in its header; ``services``
    names the services it was signposted to."""
    return {
        "id": row.id,
        "channel": row.channel,
        "status": row.status,
        "priority": row.priority,
        "crisis": row.crisis,
        "waiting_since": iso(row.queued_at),
        "last_active": iso(row.last_active),
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "claimed_by": names.get(row.claimed_by),
        "user_group": row.user_group,
        "topic": row.topic,
        "user_group_label": TEXTS.labels.group(row.user_group),
        "topic_label": TEXTS.labels.topic(row.topic),
        "summary": summary_text(row, services),
    }


def _overview(session: Session, services: dict[str, str]) -> dict[str, Any]:
    now = utc_now()
    names = counsellor_names(session)
    online = accounts.counsellors_online(session, now)
    place = places(session, online)
    rows = session.scalars(
        select(Conversation).where(
            (Conversation.status.in_((QUEUED, WITH_COUNSELLOR)))
            | ((Conversation.status == BOT) & (Conversation.last_active >= now - LIVE_WINDOW))
        )
    ).all()

    def item(row: Conversation) -> dict[str, Any]:
        return {
            **describe(row, names, services),
            "position": place[row.id].position if row.id in place else None,
            "minutes": place[row.id].minutes if row.id in place else None,
        }

    queue = sorted((item(r) for r in rows if r.status == QUEUED), key=lambda i: i["position"])
    return {
        "queue": queue,
        "with_counsellor": [item(r) for r in rows if r.status == WITH_COUNSELLOR],
        "with_bot": sorted(
            (item(r) for r in rows if r.status == BOT), key=lambda i: i["last_active"], reverse=True
        ),
        "counsellors_online": online,
    }


async def overview(app: web.Application) -> dict[str, Any]:
    """The queue, the conversations with a counsellor and the live ones with the bot."""
    return await in_transaction(app, _overview, await service_names(app))


async def queue(request: web.Request) -> web.Response:
    data = await overview(request.app)
    return web.json_response([{k: item[k] for k in QUEUE_FIELDS} for item in data["queue"]])


async def conversations(request: web.Request) -> web.Response:
    return web.json_response(await overview(request.app))
