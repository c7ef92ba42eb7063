"""Input channels whose messages are redacted before Rasa's message processor sees them.

Every channel hands its messages to the processor through the ``on_new_message`` callback it
gets in ``blueprint``; wrapping that callback is the one place every message of a channel passes.
The classes keep their parents' names (``rest``, ``socketio``), so their URLs do not change.
Register them in ``credentials.yml`` by module path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from noticebot.privacy import REDACTED_METADATA_KEY, redact

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def redact_message(message: UserMessage) -> UserMessage:
    """Replace sensitive numbers in the message's text; note their kinds in its metadata."""
    redaction = redact(message.text or "")
    if redaction.found:
        message.text = redaction.text
        message.metadata = {
            **(message.metadata or {}),
            REDACTED_METADATA_KEY: list(redaction.kinds),
        }
        logger.info(
            "Removed %s from a message on channel %s before processing.",
            ", ".join(redaction.kinds),
            message.input_channel,
        )
    return message


def redacting(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap a channel's callback so every message is redacted before it goes on."""

    async def handler(message: UserMessage) -> Any:
        return await on_new_message(redact_message(message))

    return handler


class RestInput(RasaRestInput):
    """Rasa's REST channel (``/webhooks/rest/webhook``) with redaction."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes, fed through the redacting callback."""
        return super().blueprint(redacting(on_new_message))


class SocketIOInput(RasaSocketIOInput):
    """Rasa's Socket.IO channel (the web widget) with redaction."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes, fed through the redacting callback."""
        return super().blueprint(redacting(on_new_message))
