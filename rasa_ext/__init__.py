"""Rasa server extensions: the channels (redaction, input checks, files), the SQL tracker store,
the Redis lock store, the launchers of both servers and the action server's guard.

Like ``actions/`` and ``nlu_components/``, these are thin adapters: the rules live in the domain
layer (``noticebot.privacy``, ``noticebot.settings``).
"""
