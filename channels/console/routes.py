"""URL map of the web server: the demo page, the widget, the console and its API."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from channels.console import admin, auth, cards, conversations, pages, queue, statistics, stream


def setup_routes(app: web.Application, static_dir: Path) -> None:
    app.router.add_get("/", pages.demo_page)
    app.router.add_get("/console/", pages.console_page)
    app.router.add_get("/console", pages.to_console)
    app.router.add_get("/console/statistics", statistics.dashboard_page)
    app.router.add_post("/api/login", auth.login)
    app.router.add_post("/api/logout", auth.logout)
    app.router.add_get("/api/me", auth.me)
    app.router.add_get("/api/queue", queue.queue)
    app.router.add_get("/api/conversations", queue.conversations)
    app.router.add_get("/api/conversations/{id}", conversations.conversation)
    app.router.add_post("/api/conversations/{id}/claim", conversations.claim_conversation)
    app.router.add_post("/api/conversations/{id}/messages", conversations.send_message)
    app.router.add_post("/api/conversations/{id}/typing", conversations.typing)
    app.router.add_post("/api/conversations/{id}/notes", conversations.add_note)
    app.router.add_post("/api/conversations/{id}/whisper", conversations.whisper)
    app.router.add_get("/api/services", cards.services)
    app.router.add_post("/api/conversations/{id}/cards", cards.send_card)
    app.router.add_post("/api/conversations/{id}/handback", conversations.handback)
    app.router.add_post("/api/conversations/{id}/close", conversations.close)
    app.router.add_get("/api/stream", stream.stream)
    app.router.add_get("/api/statistics.csv", statistics.export_csv)
    app.router.add_get("/api/accounts", admin.list_accounts)
    app.router.add_post("/api/accounts", admin.create_account)
    app.router.add_post("/api/accounts/{username}/role", admin.set_role)
    app.router.add_post("/api/accounts/{username}/disable", admin.disable)
    app.router.add_post("/api/accounts/{username}/enable", admin.enable)
    app.router.add_post("/api/accounts/{username}/password", admin.reset_password)
    for name in ("widget.js", "widget.css"):
        app.router.add_get(f"/{name}", pages.static_file(static_dir / name))
    for name in ("console.js", "alerts.js", "console.css", "statistics.css"):
        app.router.add_get(f"/console/{name}", pages.static_file(static_dir / "console" / name))
