"""Clients the actions use, kept out of the action modules.

knowledge_store  lookups in the knowledge store (services, facts, occupations, sectors)
handoff_queue    the counsellor queue in the handoff store, and the opening hours

Importing them has no side effects (rasa_sdk imports every module of ``actions/`` at
start-up): engines are looked up in ``database`` on first use. Every call is a coroutine
whose database work runs in a worker thread, so the action server's event loop goes on
serving other conversations meanwhile. They return plain data, and turn a database
failure into one exception of their own, so that an action can say that the information
cannot be looked up right now.
"""
