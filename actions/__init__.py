"""Rasa SDK action server of the guidance assistant."""
