"""HTML pages (Jinja2 templates in templates/, autoescaped) and the few static files."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler

from channels.console.security import content_security_policy
from channels.console.state import CONFIG
from channels.console.texts import MAX_TEXT, TEXTS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def setup_templates(app: web.Application) -> None:
    """Every template is autoescaped; a variable the handler forgot is an error, not ''."""
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


async def demo_page(request: web.Request) -> web.Response:
    """The demo page with the widget, which connects to Rasa's socket."""
    config = request.app[CONFIG]
    context = {
        "widget_socket": config.widget_socket_url,
        "widget_script": f"{request.scheme}://{request.host}/widget.js",
    }
    response = aiohttp_jinja2.render_template("demo.html", request, context)
    response.headers["Content-Security-Policy"] = content_security_policy(config.widget_socket_url)
    return response


async def console_page(request: web.Request) -> web.Response:
    context = {"max_text": MAX_TEXT, "statistics_link": TEXTS.statistics.link}
    return aiohttp_jinja2.render_template("console.html", request, context)


async def to_console(_: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/console/")


def static_file(path: Path) -> Handler:
    """A handler that sends this one file (no directory is served as a whole)."""

    async def send(_: web.Request) -> web.FileResponse:
        return web.FileResponse(path)

    return send
