"""Anonymous statistics of use, from the events Rasa's event broker publishes.

A plain library and one process (``python -m analytics consume``): it reads Rasa's events
(RabbitMQ in the scaled set-up, Rasa's SQL event broker table in the embedded one), keeps a
conversation's running counts under a keyed hash only while the conversation goes on, and
adds them to hourly aggregates when it ends. No user text and no id is ever in an
aggregate; views and exports suppress cells of fewer than five conversations
(:mod:`analytics.views`). See ``docs/statistics.md``.
"""
