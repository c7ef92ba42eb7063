"""Rasa NLU components of the project (adapters over ``noticebot.nlp``)."""
