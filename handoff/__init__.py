"""Human handoff: the counsellor queue, opening hours, accounts and audit log (no Rasa import)."""
