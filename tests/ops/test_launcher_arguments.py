"""The launcher's ``rasa run`` arguments, read by Rasa's own command-line parser."""

from __future__ import annotations

from rasa.__main__ import create_argument_parser

from ops.launcher import rasa_run_arguments
from settings import load_settings


def test_a_token_that_starts_with_a_dash_reaches_rasa_as_the_token():
    """secrets.token_urlsafe starts with "-" one time in 64: Rasa refused to start with
    "argument -t/--auth-token: expected one argument"."""
    token = "-Zx9_generated-token"
    parsed = create_argument_parser().parse_args(rasa_run_arguments(load_settings(), token))
    assert parsed.auth_token == token
    assert parsed.enable_api and parsed.interface == "127.0.0.1"
