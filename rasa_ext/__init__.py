"""Rasa server extensions: input channels that redact sensitive numbers, the SQL tracker store.

Like ``actions/`` and ``nlu_components/``, these are thin adapters: the rules live in the domain
layer (``noticebot.privacy``, ``noticebot.settings``).
"""
