"""Handlers of the console's JSON API (see ../shared/INTERFACES.md) and its pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from html import escape
from typing import Any

from aiohttp import WSMsgType, web
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from channels.console.rasa_api import RasaUnavailable
from channels.console.security import (
    COOKIE,
    content_security_policy,
    same_origin,
    set_session_cookie,
)
from channels.console.state import CONFIG, HUB, KNOWLEDGE, LIMITER, RASA, in_transaction
from channels.console.transcript import transcript
from handoff import accounts
from handoff.models import BOT, QUEUED, WITH_COUNSELLOR, Conversation, Counsellor, Note
from handoff.queue import claim, end, places, utc_now
from knowledge.repository import ServiceCard, all_services

LIVE_WINDOW = dt.timedelta(minutes=30)  # bot conversations shown in the live view
MAX_TEXT = 4000
UNAUTHORISED = {"error": "Log eerst in."}


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds") if value else None


def _summary_text(row: Conversation) -> str:
    summary = row.summary or {}
    parts = []
    if row.crisis:
        parts.append("CRISIS")
    if summary.get("asked"):
        parts.append("vragen: " + ", ".join(summary["asked"]))
    if summary.get("occupation"):
        parts.append("beroep: " + summary["occupation"])
    if summary.get("signposted"):
        parts.append("doorverwezen naar: " + ", ".join(summary["signposted"]))
    return "; ".join(parts) or "nog geen vraag"


def _describe(row: Conversation, names: dict[int, str]) -> dict[str, Any]:
    """What the console shows of a conversation in lists and in its header."""
    return {
        "id": row.id,
        "channel": row.channel,
        "status": row.status,
        "priority": row.priority,
        "crisis": row.crisis,
        "waiting_since": _iso(row.queued_at),
        "last_active": _iso(row.last_active),
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "claimed_by": names.get(row.claimed_by),
        "user_group": row.user_group,
        "topic": row.topic,
        "summary": _summary_text(row),
    }


def _overview(session: Session) -> dict[str, Any]:
    now = utc_now()
    names = dict(session.execute(select(Counsellor.id, Counsellor.username)).all())
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
            **_describe(row, names),
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
    return await in_transaction(app, _overview)


async def messages_of(app: web.Application, conversation_id: str) -> list[dict[str, Any]]:
    return transcript(await app[RASA].tracker(conversation_id))


# ---- pages -------------------------------------------------------------------------


def _page(request: web.Request, name: str, extra_connect: str = "") -> web.FileResponse:
    response = web.FileResponse(request.app[CONFIG].static_dir / name)
    response.headers["Content-Security-Policy"] = content_security_policy(extra_connect)
    return response


async def demo_page(request: web.Request) -> web.Response:
    """The demo page with the widget; the socket address is filled in here."""
    config = request.app[CONFIG]
    html = (config.static_dir / "index.html").read_text(encoding="utf-8")
    html = html.replace("{{WIDGET_SOCKET}}", escape(config.widget_socket_url))
    script = escape(f"{request.scheme}://{request.host}/widget.js")
    html = html.replace("{{WIDGET_SCRIPT}}", script)
    response = web.Response(text=html, content_type="text/html")
    response.headers["Content-Security-Policy"] = content_security_policy(config.widget_socket_url)
    return response


async def console_page(request: web.Request) -> web.FileResponse:
    return _page(request, "console/index.html")


# ---- auth --------------------------------------------------------------------------


async def login(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        username, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "Gebruikersnaam en wachtwoord nodig."}, status=400)
    limiter = request.app[LIMITER]
    keys = (f"user:{username.lower()}", f"addr:{request.remote}")
    if limiter.blocked(*keys):
        return web.json_response(
            {"error": "Te veel pogingen. Probeer het over enkele minuten opnieuw."}, status=429
        )

    def check(session: Session) -> tuple[str, str] | None:
        counsellor = accounts.authenticate(session, username, password)
        return accounts.open_session(session, counsellor) if counsellor else None

    opened = await in_transaction(request.app, check)
    if opened is None:
        limiter.failed(*keys)
        return web.json_response({"error": "Onjuiste gebruikersnaam of wachtwoord."}, status=401)
    limiter.succeeded(*keys)
    token, csrf = opened
    response = web.json_response({"csrf_token": csrf, "username": username})
    set_session_cookie(response, request, token)
    return response


async def logout(request: web.Request) -> web.Response:
    token = request.cookies.get(COOKIE, "")
    await in_transaction(request.app, accounts.close_session, token)
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    return web.json_response(
        {"username": request["counsellor_name"], "csrf_token": request["csrf_token"]}
    )


# ---- queue and conversations -------------------------------------------------------


async def queue(request: web.Request) -> web.Response:
    data = await overview(request.app)
    keys = ("id", "priority", "waiting_since", "user_group", "topic", "summary", "position",
            "minutes", "channel")  # fmt: skip
    return web.json_response([{k: item[k] for k in keys} for item in data["queue"]])


async def conversations(request: web.Request) -> web.Response:
    return web.json_response(await overview(request.app))


def _conversation(session: Session, conversation_id: str) -> dict[str, Any] | None:
    row = session.get(Conversation, conversation_id)
    if row is None:
        return None
    names = dict(session.execute(select(Counsellor.id, Counsellor.username)).all())
    notes = session.scalars(
        select(Note).where(Note.conversation_id == conversation_id).order_by(Note.created_at)
    ).all()
    return {
        **_describe(row, names),
        "signposted": (row.summary or {}).get("signposted", []),
        "rating": row.rating,
        "notes": [
            {"text": n.text, "by": names.get(n.counsellor_id), "at": _iso(n.created_at)}
            for n in notes
        ],
    }


async def conversation(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    data = await in_transaction(request.app, _conversation, conversation_id)
    if data is None:
        return web.json_response({"error": "Dat gesprek bestaat niet."}, status=404)
    try:
        data["transcript"] = await messages_of(request.app, conversation_id)
    except RasaUnavailable:
        data["transcript"] = None
    return web.json_response(data)


async def claim_conversation(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]

    def claim_it(session: Session) -> str | None:
        """The conversation's channel when this counsellor won it, else None."""
        if not claim(session, conversation_id, request["counsellor_id"]):
            return None
        return session.get(Conversation, conversation_id).channel

    channel = await in_transaction(request.app, claim_it)
    if channel is None:
        return web.json_response(
            {"error": "Een andere begeleider heeft dit gesprek al, of het wacht niet meer."},
            status=409,
        )
    rasa = request.app[RASA]
    try:
        await rasa.say(conversation_id, "utter_counsellor_joined")
        await rasa.append(
            conversation_id,
            [
                {"event": "pause"},
                {"event": "slot", "name": "handoff_status", "value": WITH_COUNSELLOR},
            ],
        )
    except RasaUnavailable:
        # The claim stands; until Rasa answers again the person is not told and the bot
        # is not paused (nothing retries this).
        pass
    await rasa.signal(channel, conversation_id, {"type": "status", "status": WITH_COUNSELLOR})
    return web.json_response({"claimed": True})


async def _own_open_conversation(request: web.Request) -> tuple[str, str] | web.Response:
    """(id, channel) of a conversation this counsellor has now, or an error response."""
    conversation_id = request.match_info["id"]

    def check(session: Session) -> tuple[str | None, str | None]:
        row = session.get(Conversation, conversation_id)
        if row is None:
            return "missing", None
        if row.status != WITH_COUNSELLOR or row.claimed_by != request["counsellor_id"]:
            return "not_yours", None
        return None, row.channel

    problem, channel = await in_transaction(request.app, check)
    if problem == "missing":
        return web.json_response({"error": "Dat gesprek bestaat niet."}, status=404)
    if problem == "not_yours":
        return web.json_response({"error": "Neem het gesprek eerst over."}, status=409)
    return conversation_id, channel


async def _text_from(request: web.Request) -> str | web.Response:
    try:
        text = str((await request.json())["text"]).strip()
    except (ValueError, KeyError, TypeError):
        text = ""
    if not text or len(text) > MAX_TEXT:
        return web.json_response(
            {"error": f"Een bericht heeft tekst nodig, hoogstens {MAX_TEXT} tekens."}, status=400
        )
    return text


async def send_message(request: web.Request) -> web.Response:
    own = await _own_open_conversation(request)
    if isinstance(own, web.Response):
        return own
    text = await _text_from(request)
    if isinstance(text, web.Response):
        return text
    try:
        await request.app[RASA].deliver_counsellor_message(own[0], text)
    except RasaUnavailable:
        return web.json_response(
            {"error": "Het bericht kon niet worden bezorgd. Probeer opnieuw."}, status=502
        )
    return web.json_response({"delivered": True})


# A signposting card a counsellor sends: the store's record with its source and date.
CARD_TEXT = "{name}: {what}\n{details}\n(bron: {source}, stand {as_of})"


async def _service_cards(request: web.Request, user_group: str | None) -> list[ServiceCard] | None:
    if KNOWLEDGE not in request.app:
        return None

    def read() -> list[ServiceCard]:
        with request.app[KNOWLEDGE]() as session:
            return all_services(session, user_group)

    try:
        return await asyncio.to_thread(read)
    except SQLAlchemyError:
        return None


async def services(request: web.Request) -> web.Response:
    """The services a counsellor can send as a card, those for ``group`` first."""
    cards = await _service_cards(request, request.query.get("group"))
    if cards is None:
        return web.json_response({"error": "De kennisbank is nu niet bereikbaar."}, status=503)
    return web.json_response(
        [{"key": c.key, "name": c.name, "for_group": c.for_group} for c in cards]
    )


async def send_card(request: web.Request) -> web.Response:
    own = await _own_open_conversation(request)
    if isinstance(own, web.Response):
        return own
    try:
        key = str((await request.json())["service"])
    except (ValueError, KeyError, TypeError):
        key = ""
    cards = await _service_cards(request, None)
    if cards is None:
        return web.json_response({"error": "De kennisbank is nu niet bereikbaar."}, status=503)
    card = next((c for c in cards if c.key == key), None)
    if card is None:
        return web.json_response({"error": "Die dienst bestaat niet."}, status=400)
    text = CARD_TEXT.format(
        name=card.name,
        what=card.what,
        details=card.details,
        source=card.citation.cite_as,
        as_of=card.citation.as_of,
    )
    try:
        await request.app[RASA].deliver_counsellor_message(own[0], text)
    except RasaUnavailable:
        return web.json_response(
            {"error": "De kaart kon niet worden bezorgd. Probeer opnieuw."}, status=502
        )
    return web.json_response({"delivered": True})


async def typing(request: web.Request) -> web.Response:
    own = await _own_open_conversation(request)
    if isinstance(own, web.Response):
        return own
    await request.app[RASA].signal(own[1], own[0], {"type": "typing", "from": "counsellor"})
    return web.json_response({"ok": True})


async def add_note(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    text = await _text_from(request)
    if isinstance(text, web.Response):
        return text

    def add(session: Session) -> bool:
        if session.get(Conversation, conversation_id) is None:
            return False
        session.add(
            Note(
                conversation_id=conversation_id, counsellor_id=request["counsellor_id"],
                text=text, created_at=utc_now(),
            )
        )  # fmt: skip
        return True

    if not await in_transaction(request.app, add):
        return web.json_response({"error": "Dat gesprek bestaat niet."}, status=404)
    return web.json_response({"saved": True}, status=201)


async def _finish(request: web.Request, action: str) -> web.Response:
    conversation_id = request.match_info["id"]

    def finish(session: Session) -> str | None:
        row = session.get(Conversation, conversation_id)
        if row is None:
            return None
        if row.status == WITH_COUNSELLOR and row.claimed_by != request["counsellor_id"]:
            return ""
        return (
            row.channel if end(session, conversation_id, request["counsellor_id"], action) else ""
        )

    channel = await in_transaction(request.app, finish)
    if channel is None:
        return web.json_response({"error": "Dat gesprek bestaat niet."}, status=404)
    if channel == "":
        return web.json_response(
            {"error": "Dat gesprek is niet van jou of al afgerond."}, status=409
        )
    rasa = request.app[RASA]
    status = None if action == "handback" else "closed"
    try:
        await rasa.append(
            conversation_id,
            [{"event": "resume"}, {"event": "slot", "name": "handoff_status", "value": status}],
        )
        await rasa.say(
            conversation_id,
            "utter_handback" if action == "handback" else "utter_conversation_closed",
        )
    except RasaUnavailable:
        return web.json_response(
            {"error": "Rasa antwoordt niet; het gesprek is wel afgerond."}, status=502
        )
    await rasa.signal(channel, conversation_id, {"type": "status", "status": status or BOT})
    return web.json_response({action: True})


async def handback(request: web.Request) -> web.Response:
    return await _finish(request, "handback")


async def close(request: web.Request) -> web.Response:
    return await _finish(request, "close")


async def stream(request: web.Request) -> web.WebSocketResponse:
    if not same_origin(request):
        raise web.HTTPForbidden(text="origin")
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    hub = request.app[HUB]
    hub.sockets.add(socket)
    try:
        await socket.send_json({"type": "overview", **await overview(request.app)}, dumps=_dumps)
        async for message in socket:
            if message.type == WSMsgType.TEXT:  # a ping keeps the session and presence alive
                token = request.cookies.get(COOKIE)
                alive = await in_transaction(request.app, accounts.active_session, token)
                if alive is None:
                    break
    finally:
        hub.sockets.discard(socket)
    return socket


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str)
