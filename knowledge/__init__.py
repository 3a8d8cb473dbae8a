"""Knowledge store of labour-market and signposting information (plain library, no Rasa)."""
