"""Running the assistant: the process launcher and the scaled set-up (not the assistant itself)."""
