"""The launcher's ``rasa run`` arguments, read by Rasa's own command-line parser, and the
environment Rasa gets."""

from __future__ import annotations

import dataclasses

from rasa.__main__ import create_argument_parser

from ops.launcher import _child_env, rasa_run_arguments
from settings import load_settings


def test_a_token_that_starts_with_a_dash_reaches_rasa_as_the_token():
    """secrets.token_urlsafe starts with "-" one time in 64: Rasa refused to start with
    "argument -t/--auth-token: expected one argument"."""
    token = "-Zx9_generated-token"
    parsed = create_argument_parser().parse_args(rasa_run_arguments(load_settings(), token))
    assert parsed.auth_token == token
    assert parsed.enable_api and parsed.interface == "127.0.0.1"


def test_the_edge_limits_reach_rasa_from_the_settings():
    """Tests and tools pass Settings, not variables: the launcher hands every limit on."""
    settings = dataclasses.replace(
        load_settings({}),
        max_body_bytes=32768,
        max_frame_bytes=8192,
        sockets_per_address=5,
        frames_per_socket=0,
    )
    rasa_sees = load_settings(_child_env(settings, "token"))
    assert (rasa_sees.max_body_bytes, rasa_sees.max_frame_bytes) == (32768, 8192)
    assert (rasa_sees.sockets_per_address, rasa_sees.frames_per_socket) == (5, 0)


def test_the_statistics_consumer_reads_what_rasa_writes():
    """The consumer (a child of the launcher) counts the events file or RabbitMQ queue Rasa
    writes, into the statistics database the launcher made."""
    embedded = dataclasses.replace(
        load_settings({}), statistics_database_url="sqlite:////tmp/elsewhere.db"
    )
    consumer_sees = load_settings(_child_env(embedded, "token"))
    assert consumer_sees.statistics_url == "sqlite:////tmp/elsewhere.db"
    assert str(consumer_sees.events_db) == _child_env(embedded, "token")["EVENTS_DB"]
    scaled = load_settings(
        {
            "DATABASE_URL": "postgresql://postgres@db:5432/wegwijzer",
            "REDIS_URL": "redis://r:6379/0",
            "RABBITMQ_URL": "amqp://user:p%40ss@mq:5673/",
        }
    )
    env = _child_env(scaled, "token")
    consumer_sees = load_settings(env)
    assert consumer_sees.scaled and consumer_sees.rabbitmq_url == "amqp://user:p%40ss@mq:5673/"
    assert consumer_sees.statistics_url == "postgresql://postgres@db:5432/wegwijzer_statistics"
    assert env["RABBITMQ_QUEUE"] == consumer_sees.statistics_queue == "wegwijzer_statistics"
    assert (env["RABBITMQ_PORT"], env["RABBITMQ_USER"], env["RABBITMQ_PASSWORD"]) == (
        "5673",
        "user",
        "p%40ss",
    )
