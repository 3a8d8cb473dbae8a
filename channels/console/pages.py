"""HTML pages and the few static files."""

from __future__ import annotations

from html import escape
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from channels.console.security import content_security_policy
from channels.console.state import CONFIG


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
    return web.FileResponse(request.app[CONFIG].static_dir / "console" / "index.html")


async def to_console(_: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/console/")


def static_file(path: Path) -> Handler:
    """A handler that sends this one file (no directory is served as a whole)."""

    async def send(_: web.Request) -> web.FileResponse:
        return web.FileResponse(path)

    return send
