"""What every message of a channel passes through: redaction, the conversation it is filed
under, and the guarantee of an answer.

Every channel hands its messages to the processor through the ``on_new_message`` callback it
gets in ``blueprint``; wrapping that callback is the one place every message of a channel passes.
``guarded`` is what the channels' callbacks get: ``owned_by`` (``<channel>:<client id>``
conversations, ``noticebot.senders``), ``redacting`` (control characters and sensitive numbers
removed from the text, metadata and ``input_channel``), ``answering_failures`` (a failed turn
gets an apology and how to reach a person; a turn without a reply gets an offer to help).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from noticebot.handoff import handoff_replies
from noticebot.privacy import REDACTED_METADATA_KEY, redact, redact_data, redact_text
from noticebot.reply import Reply
from noticebot.senders import client_id, sender_id
from noticebot.settings import PROJECT_ROOT, get_settings
from rasa_ext.input_checks import without_control_characters

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def redact_message(message: UserMessage) -> UserMessage:
    """Replace sensitive numbers in the message's text, metadata and ``input_channel``; note
    the kinds found in the text in its metadata."""
    if message.metadata:
        message.metadata = redact_data(message.metadata)
    if message.input_channel:
        message.input_channel = redact_text(message.input_channel)
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


@lru_cache(maxsize=1)
def _responses() -> tuple[Domain, TemplatedNaturalLanguageGenerator]:
    domain = Domain.load(PROJECT_ROOT / "domain")
    return domain, TemplatedNaturalLanguageGenerator(domain.responses)


def technical_problem_replies() -> list[Reply]:
    """What a person is told when their message could not be answered: sorry, try again, and
    how to reach a person (the firm's contacts, or free help)."""
    return [Reply("utter_technical_problem", {}), *handoff_replies(get_settings().firm)]


async def say_technical_problem(message: UserMessage) -> None:
    """Send the technical-problem replies on the message's channel, rendered from domain/
    (the tracker may be what failed, so an empty one is used)."""
    out = message.output_channel
    domain, nlg = _responses()
    tracker = DialogueStateTracker(str(message.sender_id), domain.slots)
    for reply in technical_problem_replies():
        rendered = await nlg.generate(reply.response, tracker, out.name(), **reply.values)
        if rendered:
            await out.send_response(str(message.sender_id), rendered)


# Rasa's processor logs a custom action that failed (the action server down or erroring) on
# this logger and goes on without its events; Rasa's fail-safe tracker store logs a database it
# could not read or write and goes on with an empty, in-memory conversation. Those records are
# how a failed turn is told apart from a turn that simply ends.
PROCESSOR_LOGGER = "rasa.core.processor"
TRACKER_STORE_LOGGER = "rasa.core.tracker_store"
_FAILURE_MESSAGES = {
    PROCESSOR_LOGGER: "Encountered an exception while running action",
    TRACKER_STORE_LOGGER: "Error happened when trying to",
}
_turn_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "noticebot_turn_failures", default=None
)


class _FailureWatch(logging.Filter):
    """Note, for the message being handled, that an action or the tracker store failed."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _turn_failures.get()
        start = _FAILURE_MESSAGES.get(record.name)
        if failures is not None and start and record.getMessage().startswith(start):
            failures.append(record.name)
        return True


_FAILURE_WATCH = _FailureWatch()


def _watch_failures() -> None:
    for name in _FAILURE_MESSAGES:
        logger_ = logging.getLogger(name)
        if _FAILURE_WATCH not in logger_.filters:
            logger_.addFilter(_FAILURE_WATCH)


async def say_something_useful(message: UserMessage) -> None:
    """A turn that ended without a reply although nothing failed still gets one."""
    out = message.output_channel
    domain, nlg = _responses()
    tracker = DialogueStateTracker(str(message.sender_id), domain.slots)
    rendered = await nlg.generate("utter_anything_else", tracker, out.name())
    if rendered:
        await out.send_response(str(message.sender_id), rendered)


def answering_failures(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap a channel's callback so a message is never left without an answer.

    The turn's replies are held until it ends. When processing raises (the lock store
    unreachable, ...), a custom action failed (the action server down: Rasa logs it and goes on
    without the action's replies) or the tracker store could not be read or written (Rasa then
    goes on with an empty conversation, so its replies would answer the wrong context), the
    replies are dropped and the person gets an apology and how to reach a person. A turn that
    ends without a reply although nothing failed gets an offer to help, never the apology.
    Errors are logged without the message's text, and the channel answers normally (no 500).
    """
    _watch_failures()

    async def handler(message: UserMessage) -> Any:
        out = message.output_channel
        held: list[tuple[str, dict[str, Any]]] = []
        send_response = out.send_response

        async def holding(recipient_id: str, response: dict[str, Any]) -> None:
            held.append((recipient_id, response))

        out.send_response = holding  # this message's channel object only
        failures: list[str] = []
        token = _turn_failures.set(failures)
        try:
            result = await on_new_message(message)
        except Exception as error:
            logger.error(
                "Could not handle a message on channel %s (%s: %s); the person was told.",
                message.input_channel, type(error).__name__, error,
            )
            result = None
        else:
            if held and not failures:
                for recipient_id, response in held:
                    await send_response(recipient_id, response)
                return result
            if not failures:
                logger.warning(
                    "A message on channel %s got no reply although nothing failed; it was "
                    "offered help.", message.input_channel,
                )
                out.send_response = send_response
                try:
                    await say_something_useful(message)
                except Exception:
                    logger.exception("Could not send the offer to help.")
                return result
            logger.error(
                "%s failed for a message on channel %s (see the error above); the person was "
                "told.",
                "The tracker store" if TRACKER_STORE_LOGGER in failures else "A custom action",
                message.input_channel,
            )
        finally:
            _turn_failures.reset(token)
            out.send_response = send_response
        try:
            await say_technical_problem(message)
        except Exception:
            logger.exception("Could not even tell the person about the problem.")
        return result

    return handler


def guarded(on_new_message: OnNewMessage, channel: str | None = None) -> OnNewMessage:
    """The conversation filed under ``channel`` (when given), redaction, then the guarantee of
    an answer: what every channel's callback gets."""
    checked = redacting(answering_failures(on_new_message))
    return owned_by(channel, checked) if channel else checked


def owned_by(channel: str, on_new_message: OnNewMessage,
             reply_to_client: bool = True) -> OnNewMessage:
    """Wrap a channel's callback so its messages go to ``<channel>:<client id>`` conversations
    (``noticebot.senders.sender_id``): a client of one channel never reaches another's.

    With ``reply_to_client``, the message's output channel is addressed with the client's own
    id again (the Telegram chat, the REST ``recipient_id`` the caller sent); Socket.IO answers
    the session's room, which is named after the conversation."""

    async def handler(message: UserMessage) -> Any:
        message.sender_id = sender_id(channel, message.sender_id)
        out = message.output_channel
        if reply_to_client and out is not None:
            send_response = out.send_response

            async def to_client(recipient_id: str, response: dict[str, Any]) -> None:
                await send_response(client_id(channel, recipient_id), response)

            out.send_response = to_client
        return await on_new_message(message)

    return handler


def redacting(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap a channel's callback so every message loses its control characters and sensitive
    numbers before it goes on."""

    async def handler(message: UserMessage) -> Any:
        if message.text:
            message.text = without_control_characters(message.text)
        return await on_new_message(redact_message(message))

    return handler
