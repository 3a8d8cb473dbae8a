"""Anonymity: what a person types is redacted before anyone else sees it."""
