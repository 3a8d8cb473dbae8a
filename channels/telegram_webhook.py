"""Register the bot's webhook with Telegram: ``python -m channels.telegram_webhook URL``.

URL is the public HTTPS address in front of the Rasa server, for example
``https://chat.example.org``; the webhook becomes ``URL/webhooks/telegram/webhook`` with
the secret token from TELEGRAM_SECRET_TOKEN and only the update types the bot handles.
The assistant itself never calls setWebhook.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from channels.telegram_api import BotApi, TelegramUnavailable
from settings import load_settings

ALLOWED_UPDATES = ["message", "callback_query"]


async def register(base_url: str) -> dict:
    settings = load_settings()
    if not settings.telegram_enabled:
        raise SystemExit("Set TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN first.")
    api = BotApi(settings.telegram_api_url, settings.telegram_token)
    try:
        await api.call(
            "setWebhook",
            {
                "url": base_url.rstrip("/") + "/webhooks/telegram/webhook",
                "secret_token": settings.telegram_secret_token,
                "allowed_updates": ALLOWED_UPDATES,
            },
        )
        return await api.call("getWebhookInfo", {})
    finally:
        await api.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.telegram_webhook", description=__doc__
    )
    parser.add_argument("url", help="public HTTPS base URL of the Rasa server")
    args = parser.parse_args(argv)
    if not args.url.startswith("https://"):
        print("Telegram only calls HTTPS webhooks: give the https:// address.", file=sys.stderr)
        return 2
    try:
        info = asyncio.run(register(args.url))
    except TelegramUnavailable as error:
        print(f"Telegram refused: {error}", file=sys.stderr)
        return 1
    print(f"Webhook set: {info.get('url')} (updates: {', '.join(ALLOWED_UPDATES)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
