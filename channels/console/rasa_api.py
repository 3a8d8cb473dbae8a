"""The console's client for Rasa's HTTP API: transcripts, pause/resume, delivery."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp

COUNSELLOR = "counsellor"
SIGNAL_CHANNELS = frozenset({"widget", "telegram"})  # channels with a /signal route


class RasaUnavailable(RuntimeError):
    """Rasa did not answer or refused the request."""


class RasaClient:
    """Talks to one Rasa server with the API token."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self._base}/conversations/{quote(conversation_id, safe='')}/{path}"

    async def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        params = {"token": self._token, **kwargs.pop("params", {})}
        try:
            async with self._http.request(method, url, params=params, **kwargs) as response:
                if response.status >= 400:
                    raise RasaUnavailable(f"Rasa answered {response.status}")
                return await response.json()
        except aiohttp.ClientError as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        return await self._call("GET", self._url(conversation_id, "tracker"))

    async def append(self, conversation_id: str, events: list[dict], deliver: bool = False) -> None:
        """Add events to the conversation; with ``deliver`` bot messages reach the person."""
        params = {"output_channel": "latest", "execute_side_effects": "true"} if deliver else {}
        await self._call(
            "POST", self._url(conversation_id, "tracker/events"), json=events, params=params
        )

    async def say(self, conversation_id: str, response: str) -> None:
        """Make the bot send one of its responses on the person's channel, then listen.

        The ``action_listen`` that Rasa itself would predict next is appended, so that rules
        match the person's reply as they would after any other bot turn.
        """
        await self._call(
            "POST",
            self._url(conversation_id, "execute"),
            json={"name": response},
            params={"output_channel": "latest"},
        )
        await self.append(conversation_id, [{"event": "action", "name": "action_listen"}])

    async def deliver_counsellor_message(self, conversation_id: str, text: str) -> None:
        """Keep the counsellor's message in the transcript and send it on the person's channel."""
        event = {"event": "bot", "text": text, "data": {"custom": {"from": COUNSELLOR}}}
        await self.append(conversation_id, [event], deliver=True)

    async def signal(self, channel: str, conversation_id: str, frame: dict[str, Any]) -> None:
        """A typing or status signal, for the channels that take them; never stored."""
        if channel not in SIGNAL_CHANNELS:
            return
        try:
            async with self._http.post(
                f"{self._base}/webhooks/{channel}/signal",
                json={"conversation_id": conversation_id, "signal": frame},
                headers={"Authorization": f"Bearer {self._token}"},
            ) as response:
                await response.read()
        except aiohttp.ClientError:
            pass  # a signal is a nicety; the message itself goes through the tracker
