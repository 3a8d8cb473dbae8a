"""Rasa assistant: configuration, domain, journeys and custom NLU components."""
