"""Counsellors' sessions: log in and out, who is logged in, and the guard of the JSON API."""

from __future__ import annotations

import hmac

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.orm import Session

from channels.console.security import COOKIE, CSRF_HEADER, SAFE_METHODS, set_session_cookie
from channels.console.state import LIMITER, in_transaction
from channels.console.texts import ERRORS
from handoff import accounts
from handoff.models import Counsellor

OPEN_API = frozenset({"/api/login"})


@web.middleware
async def require_counsellor(request: web.Request, handler: Handler) -> web.StreamResponse:
    """401 without a live session, 403 on a state change without the CSRF token.

    Sets ``request["counsellor_id"]``, ``request["counsellor_name"]`` and
    ``request["csrf_token"]`` for the handlers of the JSON API.
    """
    if not request.path.startswith("/api/") or request.path in OPEN_API:
        return await handler(request)
    found = await in_transaction(request.app, _live_session, request.cookies.get(COOKIE))
    if found is None:
        raise web.HTTPUnauthorized(text=ERRORS.login_first)
    request["counsellor_id"], request["csrf_token"], request["counsellor_name"] = found
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "").encode("utf-8", "surrogateescape")
        if not given or not hmac.compare_digest(given, request["csrf_token"].encode()):
            raise web.HTTPForbidden(text=ERRORS.csrf)
    return await handler(request)


def _live_session(session: Session, token: str | None) -> tuple[int, str, str] | None:
    """The counsellor's id, the session's CSRF token and the username; None if not live."""
    live = accounts.active_session(session, token)
    if live is None:
        return None
    username = session.get(Counsellor, live.counsellor_id).username
    return live.counsellor_id, live.csrf_token, username


async def login(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        username, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError) as error:
        raise web.HTTPBadRequest(text=ERRORS.credentials_needed) from error
    limiter = request.app[LIMITER]
    keys = (f"user:{username.lower()}", f"addr:{request.remote}")
    if limiter.blocked(*keys):
        raise web.HTTPTooManyRequests(text=ERRORS.too_many_attempts)

    def check(session: Session) -> tuple[str, str] | None:
        counsellor = accounts.authenticate(session, username, password)
        return accounts.open_session(session, counsellor) if counsellor else None

    opened = await in_transaction(request.app, check)
    if opened is None:
        limiter.failed(*keys)
        raise web.HTTPUnauthorized(text=ERRORS.wrong_credentials)
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
