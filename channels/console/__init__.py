"""The counsellor console: a JSON API and a web UI (aiohttp) on the handoff store and Rasa."""
