"""Conversation ids: every conversation belongs to the channel it came through.

Rasa keys a conversation (its tracker, its lock, a case's ``conversation_id``) by the message's
sender id, and each channel takes that id from its client: the REST body's ``sender``, the
Socket.IO session, the Slack user, the Telegram chat. Unprefixed, a REST caller who posts
another channel's id (a Telegram chat id, a leaked web session id) continues that conversation.
So the channels store ``<channel>:<client id>`` (``rest:abc``, ``socketio:5f0c...``,
``slack:U0PAT``, ``telegram:7001``), built by ``sender_id`` only; a client can choose the part
after the colon, never the channel before it.
"""

from __future__ import annotations

SEPARATOR = ":"
CHANNELS = ("rest", "socketio", "slack", "telegram")
# The tracker store's sender_id column holds 255 characters; the longest prefix is "socketio:".
SENDER_ID_CHARS = 255
MAX_CLIENT_ID_CHARS = SENDER_ID_CHARS - max(len(c) for c in CHANNELS) - len(SEPARATOR)


def sender_id(channel: str, client_id: object) -> str:
    """The conversation id of ``client_id`` (a REST sender, a session, a chat) on ``channel``."""
    return f"{channel}{SEPARATOR}{client_id}"


def client_id(channel: str, sender: str) -> str:
    """The client's own id inside ``sender`` (what the channel's API knows), e.g. a chat id."""
    prefix = f"{channel}{SEPARATOR}"
    return sender[len(prefix):] if sender.startswith(prefix) else sender


def channel_of(sender: str) -> str | None:
    """The channel a conversation id belongs to, or None for an id no channel made."""
    channel, separator, _ = sender.partition(SEPARATOR)
    return channel if separator and channel in CHANNELS else None
