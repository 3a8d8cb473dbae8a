"""Custom NLU: crisis red flags and user-group detection, and their Rasa components."""
