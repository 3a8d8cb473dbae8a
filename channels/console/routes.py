"""URL map of the web server: the demo page, the widget, the console and its API."""

from __future__ import annotations

from aiohttp import web

from channels.console import views


def setup_routes(app: web.Application, static_dir) -> None:
    app.router.add_get("/", views.demo_page)
    app.router.add_get("/console/", views.console_page)
    app.router.add_get("/console", lambda _: web.HTTPFound("/console/"))
    app.router.add_post("/api/login", views.login)
    app.router.add_post("/api/logout", views.logout)
    app.router.add_get("/api/me", views.me)
    app.router.add_get("/api/queue", views.queue)
    app.router.add_get("/api/conversations", views.conversations)
    app.router.add_get("/api/conversations/{id}", views.conversation)
    app.router.add_post("/api/conversations/{id}/claim", views.claim_conversation)
    app.router.add_post("/api/conversations/{id}/messages", views.send_message)
    app.router.add_post("/api/conversations/{id}/typing", views.typing)
    app.router.add_post("/api/conversations/{id}/notes", views.add_note)
    app.router.add_get("/api/services", views.services)
    app.router.add_post("/api/conversations/{id}/cards", views.send_card)
    app.router.add_post("/api/conversations/{id}/handback", views.handback)
    app.router.add_post("/api/conversations/{id}/close", views.close)
    app.router.add_get("/api/stream", views.stream)
    app.router.add_get("/widget.js", _static(static_dir / "widget.js"))
    app.router.add_get("/widget.css", _static(static_dir / "widget.css"))
    app.router.add_get("/console/console.js", _static(static_dir / "console" / "console.js"))
    app.router.add_get("/console/console.css", _static(static_dir / "console" / "console.css"))


def _static(path):
    async def handler(_: web.Request) -> web.FileResponse:
        return web.FileResponse(path)

    return handler
