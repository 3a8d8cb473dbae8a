"""Channel connectors (web widget, Telegram) and the counsellor console."""
