"""Rasa SDK actions: thin adapters over the ``noticebot`` domain layer, one module per feature."""
