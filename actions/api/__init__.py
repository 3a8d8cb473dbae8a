"""Clients the actions use, kept out of the action modules."""
