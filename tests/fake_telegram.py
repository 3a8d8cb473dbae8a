"""A local fake of the Telegram Bot API, for the connector and end-to-end tests."""

from __future__ import annotations

import asyncio
import threading

from ops.launcher import free_port


class FakeTelegram:
    """A local fake of the Telegram Bot API: a real HTTP server that records every call.

    ``failures[method]`` is a list of HTTP statuses to answer before answering normally.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.failures: dict[str, list[int]] = {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()

    async def _handle(self, request):
        from aiohttp import web

        method = request.match_info["method"]
        payload = await request.json() if request.can_read_body else {}
        with self._lock:
            self.calls.append((method, payload))
            planned = self.failures.get(method) or []
            status = planned.pop(0) if planned else 200
        if status == 429:
            body = {"ok": False, "error_code": 429, "parameters": {"retry_after": 0.2}}
            return web.json_response(body, status=429)
        if status != 200:
            return web.json_response({"ok": False, "error_code": status}, status=status)
        result = {"message_id": len(self.calls)} if method == "sendMessage" else True
        return web.json_response({"ok": True, "result": result})

    def start(self) -> None:
        from aiohttp import web

        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            runner = web.AppRunner(app)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        ready.wait(10)

    def sent(self, chat_id: int) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == "sendMessage" and p.get("chat_id") == chat_id]

    def called(self, method: str, chat_id: int) -> list[dict]:
        """The payloads of every ``method`` call for ``chat_id``."""
        with self._lock:
            return [p for m, p in self.calls if m == method and p.get("chat_id") == chat_id]

    def methods(self) -> list[str]:
        with self._lock:
            return [m for m, _ in self.calls]
