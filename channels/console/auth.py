"""Counsellors' sessions: log in and out, who is logged in, and the guard of the JSON API."""

from __future__ import annotations

import hmac
from functools import partial

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.orm import Session

from channels.console.security import (
    COOKIE,
    CSRF_HEADER,
    SAFE_METHODS,
    client_address,
    set_session_cookie,
)
from channels.console.state import CONFIG, HUB, LIMITER, PROXIES, in_transaction
from channels.console.texts import ERRORS, TEXTS
from handoff import accounts

OPEN_API = frozenset({"/api/login"})
STREAM = "/api/stream"


def reader(request: web.Request) -> accounts.LiveSession:
    """The live session of the logged-in counsellor making this API request."""
    return request["reader"]


@web.middleware
async def require_counsellor(request: web.Request, handler: Handler) -> web.StreamResponse:
    """401 without a live session, 403 on a state change without the CSRF token.

    Every API request is something the counsellor did, so it restarts the idle time.
    Sets ``request["reader"]`` (the live session: id, username, role, CSRF token) and, as
    before, ``counsellor_id``, ``counsellor_name`` and ``csrf_token``.
    """
    if not request.path.startswith("/api/") or request.path in OPEN_API:
        return await handler(request)
    token = request.cookies.get(COOKIE)
    # The stream's handshake is the page reconnecting, not the counsellor acting.
    action = request.path != STREAM
    live = await in_transaction(request.app, partial(accounts.active_session, action=action), token)
    if live is None:
        raise web.HTTPUnauthorized(text=ERRORS.login_first)
    request["reader"] = live
    request["counsellor_id"], request["counsellor_name"] = live.counsellor_id, live.username
    request["csrf_token"] = live.csrf_token
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "").encode("utf-8", "surrogateescape")
        # Constant time: how much of a guess was right must not show in the answer's timing.
        if not given or not hmac.compare_digest(given, live.csrf_token.encode()):
            raise web.HTTPForbidden(text=ERRORS.csrf)
    return await handler(request)


def _me(live: accounts.LiveSession) -> dict[str, str]:
    return {
        "username": live.username,
        "role": live.role,
        "role_label": TEXTS.roles[live.role],
        "csrf_token": live.csrf_token,
    }


async def login(request: web.Request) -> web.Response:
    """Log in. The attempt counts (per username and per client address) before the
    password is verified, so concurrent guesses are limited too."""
    try:
        body = await request.json()
        username, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError) as error:
        raise web.HTTPBadRequest(text=ERRORS.credentials_needed) from error
    limiter = request.app[LIMITER]
    user_key = f"user:{username.lower()}"
    address_key = f"addr:{client_address(request, request.app[PROXIES])}"
    if not limiter.attempt(user_key, address_key):
        raise web.HTTPTooManyRequests(text=ERRORS.too_many_attempts)

    def check(session: Session) -> tuple[str, accounts.LiveSession] | None:
        counsellor = accounts.authenticate(session, username, password)
        if counsellor is None:
            return None
        token, _ = accounts.open_session(session, counsellor)
        return token, accounts.active_session(session, token)

    opened = await in_transaction(request.app, check)
    if opened is None:
        raise web.HTTPUnauthorized(text=ERRORS.wrong_credentials)
    limiter.succeeded(user_key, address_key)
    token, live = opened
    response = web.json_response(_me(live))
    set_session_cookie(response, request, token, request.app[CONFIG].secure_cookies)
    return response


async def logout(request: web.Request) -> web.Response:
    """End the session on the server and close its sockets at once."""
    token = request.cookies.get(COOKIE, "")
    await in_transaction(request.app, accounts.close_session, token)
    await request.app[HUB].end_session(accounts.token_hash(token))
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    return web.json_response(_me(reader(request)))
