"""One conversation: its transcript and notes, claim, messages, typing, handback and close."""

from __future__ import annotations

from typing import Any, NamedTuple

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console import access
from channels.console.auth import reader
from channels.console.queue import counsellor_names, describe, iso
from channels.console.rasa_api import RasaUnavailable
from channels.console.services import service_names
from channels.console.state import HUB, RASA, in_transaction
from channels.console.texts import ERRORS, MAX_TEXT, TEXTS
from channels.console.transcript import transcript
from handoff.accounts import LiveSession
from handoff.models import BOT, WITH_COUNSELLOR, Conversation, Note
from handoff.queue import audit, claim, end, utc_now
from privacy.redaction import redact


class Held(NamedTuple):
    """A conversation the logged-in counsellor has now."""

    conversation_id: str
    channel: str


async def messages_of(app: web.Application, conversation_id: str) -> list[dict[str, Any]]:
    """The redacted transcript, from the conversation's Rasa tracker."""
    return transcript(await app[RASA].tracker(conversation_id))


def _found(session: Session, conversation_id: str) -> Conversation:
    row = session.get(Conversation, conversation_id)
    if row is None:
        raise web.HTTPNotFound(text=ERRORS.no_such_conversation)
    return row


def _visible_notes(session: Session, conversation_id: str, me: LiveSession) -> list[Note]:
    """The conversation's notes; a whisper only for the counsellor it is for and its writer."""
    notes = session.scalars(
        select(Note).where(Note.conversation_id == conversation_id).order_by(Note.created_at)
    ).all()
    mine = me.counsellor_id
    return [n for n in notes if n.whisper_to is None or mine in (n.whisper_to, n.counsellor_id)]


def _details(
    session: Session, conversation_id: str, me: LiveSession, services: dict[str, str]
) -> dict[str, Any]:
    """What the reader may see of the conversation; 403 with the reason when it may not
    read it. The read is written to the audit log, allowed or refused."""
    row = _found(session, conversation_id)
    refused = access.why_not_read(me, row, utc_now())
    audit(session, "read_refused" if refused else "read", me.counsellor_id, conversation_id)
    if refused:
        return {"refused": refused}
    names = counsellor_names(session)
    language = (row.summary or {}).get("language") or "nl"
    return {
        **describe(row, names, services),
        "language": language,
        "quick_replies": TEXTS.quick_replies.get(language, TEXTS.quick_replies["nl"]),
        "signposted": [services.get(k, k) for k in (row.summary or {}).get("signposted", [])],
        "rating": row.rating,
        "read_only": not access.holds(me, row),
        "notes": [
            {
                "text": n.text,
                "by": names.get(n.counsellor_id),
                "at": iso(n.created_at),
                "whisper": n.whisper_to is not None,
            }
            for n in _visible_notes(session, conversation_id, me)
        ],
    }


async def conversation(request: web.Request) -> web.Response:
    """The conversation with its transcript, for a reader allowed to read it (audited)."""
    conversation_id = request.match_info["id"]
    me = reader(request)
    services = await service_names(request.app)
    data = await in_transaction(request.app, _details, conversation_id, me, services)
    if "refused" in data:
        raise web.HTTPForbidden(text=data["refused"])
    request.app[HUB].opens(me.token_hash, conversation_id)
    try:
        data["transcript"] = await messages_of(request.app, conversation_id)
    except RasaUnavailable:
        data["transcript"] = None
    return web.json_response(data)


async def claim_conversation(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]

    def claim_it(session: Session) -> str | None:
        """The conversation's channel when this counsellor won it, else None."""
        access.check_claim(reader(request), _found(session, conversation_id))
        if not claim(session, conversation_id, request["counsellor_id"]):
            return None
        return session.get(Conversation, conversation_id).channel

    channel = await in_transaction(request.app, claim_it)
    if channel is None:
        raise web.HTTPConflict(text=ERRORS.claimed_by_another)
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


async def held_conversation(request: web.Request) -> Held:
    """The conversation of the URL if this counsellor has it now; else 404, 403 when
    another counsellor has it (a supervisor reads it, read-only), 409 when it can be
    claimed first."""
    conversation_id = request.match_info["id"]

    def check(session: Session) -> str:
        row = _found(session, conversation_id)
        if row.status == WITH_COUNSELLOR and row.claimed_by != request["counsellor_id"]:
            raise web.HTTPForbidden(text=ERRORS.someone_elses)
        if row.status != WITH_COUNSELLOR:
            raise web.HTTPConflict(text=ERRORS.claim_first)
        return row.channel

    return Held(conversation_id, await in_transaction(request.app, check))


async def text_from(request: web.Request) -> str:
    """The ``text`` of the JSON body, stripped; 400 when empty or too long."""
    try:
        text = str((await request.json())["text"]).strip()
    except (ValueError, KeyError, TypeError):
        text = ""
    if not text or len(text) > MAX_TEXT:
        raise web.HTTPBadRequest(text=ERRORS.text_needed)
    return text


async def send_message(request: web.Request) -> web.Response:
    held = await held_conversation(request)
    text = await text_from(request)
    try:
        await request.app[RASA].deliver_counsellor_message(held.conversation_id, text)
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=ERRORS.message_not_delivered) from error
    return web.json_response({"delivered": True})


async def typing(request: web.Request) -> web.Response:
    held = await held_conversation(request)
    await request.app[RASA].signal(
        held.channel, held.conversation_id, {"type": "typing", "from": "counsellor"}
    )
    return web.json_response({"ok": True})


async def add_note(request: web.Request) -> web.Response:
    """Store an internal note (the holder or a supervisor), redacted like the person's
    messages: a note is kept as long as the conversation, so a phone number or a name in
    it is not."""
    conversation_id = request.match_info["id"]
    text = redact(await text_from(request))

    def add(session: Session) -> None:
        access.check_note(reader(request), _found(session, conversation_id), utc_now())
        session.add(
            Note(
                conversation_id=conversation_id, counsellor_id=request["counsellor_id"],
                text=text, created_at=utc_now(),
            )
        )  # fmt: skip

    await in_transaction(request.app, add)
    return web.json_response({"saved": True}, status=201)


async def whisper(request: web.Request) -> web.Response:
    """A supervisor's note for the counsellor who holds the conversation, and only for
    them: never shown to the person or to other counsellors; pushed to the holder at once."""
    conversation_id = request.match_info["id"]
    me = reader(request)
    if not access.is_supervisor(me):
        raise web.HTTPForbidden(text=ERRORS.whisper_supervisor_only)
    text = redact(await text_from(request))

    def add(session: Session) -> int:
        row = _found(session, conversation_id)
        if row.status != WITH_COUNSELLOR:
            raise web.HTTPConflict(text=ERRORS.whisper_needs_holder)
        session.add(
            Note(
                conversation_id=conversation_id, counsellor_id=me.counsellor_id, text=text,
                created_at=utc_now(), whisper_to=row.claimed_by,
            )
        )  # fmt: skip
        audit(session, "whisper", me.counsellor_id, conversation_id)
        return row.claimed_by

    holder = await in_transaction(request.app, add)
    await request.app[HUB].send(
        {"type": "whisper", "id": conversation_id, "by": me.username, "text": text},
        lambda viewer: viewer.session.counsellor_id == holder,
    )
    return web.json_response({"saved": True}, status=201)


async def _finish(request: web.Request, action: str) -> web.Response:
    """Hand back (``handback``) or close (``close``) a conversation, then tell Rasa."""
    conversation_id = request.match_info["id"]
    counsellor_id = request["counsellor_id"]

    def finish(session: Session) -> str:
        row = _found(session, conversation_id)
        me = reader(request)
        someone_elses = row.status == WITH_COUNSELLOR and row.claimed_by != counsellor_id
        if action == "close":
            access.check_close(me, row)
        elif someone_elses:
            raise web.HTTPForbidden(text=ERRORS.someone_elses)
        if not end(session, conversation_id, counsellor_id, action):
            raise web.HTTPConflict(text=ERRORS.not_yours_or_finished)
        return row.channel

    channel = await in_transaction(request.app, finish)
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
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=ERRORS.finished_without_rasa) from error
    await rasa.signal(channel, conversation_id, {"type": "status", "status": status or BOT})
    return web.json_response({action: True})


async def handback(request: web.Request) -> web.Response:
    return await _finish(request, "handback")


async def close(request: web.Request) -> web.Response:
    return await _finish(request, "close")
