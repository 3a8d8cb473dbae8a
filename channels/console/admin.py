"""Account management for admins: list, create, set roles, disable or enable, new passwords.

Disabling an account or giving it a new password ends its sessions in the store and closes
its sockets in this process at once (other web server processes close theirs within a
second: every socket's session is checked again on each of the watcher's rounds).
Every change is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from channels.console.access import is_admin
from channels.console.auth import reader
from channels.console.state import HUB, in_transaction
from channels.console.texts import ERRORS, TEXTS
from handoff import accounts

_STATUS = {"no_such_account": web.HTTPNotFound, "not_yourself": web.HTTPForbidden}


def _admin(request: web.Request) -> int:
    """The admin's account id; 403 for everyone else."""
    me = reader(request)
    if not is_admin(me):
        raise web.HTTPForbidden(text=ERRORS.admin_only)
    return me.counsellor_id


def _shown(account: accounts.Account) -> dict[str, Any]:
    return {**asdict(account), "role_label": TEXTS.roles[account.role]}


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


async def _change(
    request: web.Request, work: Callable[[Session], accounts.Account], ends_sessions: bool
) -> web.Response:
    try:
        account = await in_transaction(request.app, work)
    except accounts.AccountError as error:
        status = _STATUS.get(error.reason, web.HTTPBadRequest)
        raise status(text=TEXTS.account_errors[error.reason]) from error
    if ends_sessions:
        await request.app[HUB].end_account(account.id)
    return web.json_response(_shown(account))


async def list_accounts(request: web.Request) -> web.Response:
    _admin(request)
    listed = await in_transaction(request.app, accounts.accounts)
    return web.json_response({"accounts": [_shown(a) for a in listed], "roles": TEXTS.roles})


async def create_account(request: web.Request) -> web.Response:
    actor = _admin(request)
    body = await _body(request)
    username, password = str(body.get("username", "")), str(body.get("password", ""))
    role = str(body.get("role", "counsellor"))
    response = await _change(
        request,
        lambda s: accounts.create_account(s, actor, username, password, role),
        ends_sessions=False,
    )
    response.set_status(201)
    return response


async def set_role(request: web.Request) -> web.Response:
    actor = _admin(request)
    role = str((await _body(request)).get("role", ""))
    username = request.match_info["username"]
    return await _change(
        request, lambda s: accounts.set_role(s, actor, username, role), ends_sessions=False
    )


async def disable(request: web.Request) -> web.Response:
    actor = _admin(request)
    username = request.match_info["username"]
    return await _change(
        request, lambda s: accounts.set_disabled(s, actor, username, True), ends_sessions=True
    )


async def enable(request: web.Request) -> web.Response:
    actor = _admin(request)
    username = request.match_info["username"]
    return await _change(
        request, lambda s: accounts.set_disabled(s, actor, username, False), ends_sessions=False
    )


async def reset_password(request: web.Request) -> web.Response:
    actor = _admin(request)
    password = str((await _body(request)).get("password", ""))
    username = request.match_info["username"]
    return await _change(
        request,
        lambda s: accounts.reset_password(s, actor, username, password),
        ends_sessions=True,
    )
