"""The counsellor console: a JSON API and a web UI (aiohttp) on the handoff store and Rasa.

``app.init_app(config)`` builds the application: middlewares (``security``' headers,
``errors``' JSON error bodies, ``auth``'s session and CSRF guard), typed state (``state``)
and the URL map (``routes``). Handlers by concern: ``auth`` (log in and out), ``queue``
(queue and live view), ``conversations`` (one conversation: claim, messages, notes,
handback, close), ``cards`` (signposting cards), ``pages`` (Jinja2 templates in
``templates/``) and ``stream`` (the WebSocket and the watcher behind it). Everything the
console says to counsellors is in ``texts.yml``.
"""
