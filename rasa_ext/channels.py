"""Rasa's channels, adapted: messages redacted before processing, cards where a card can be shown.

Every channel hands its messages to the processor through the ``on_new_message`` callback it
gets in ``blueprint``; wrapping that callback is the one place every message of a channel passes.
The classes keep their parents' names (``rest``, ``socketio``, ``slack``, ``telegram``), so their
URLs do not change. Register them in ``credentials.yml`` by module path.

Conversations belong to their channel and client (docs/security.md): every channel files a
message under ``<channel>:<client id>`` (``noticebot.senders``); Socket.IO sessions are tokens
the server signed; the REST webhook takes callers from other machines (or through a proxy) only
with ``REST_WEBHOOK_TOKEN``. Message text, metadata and ``input_channel`` are redacted before
Rasa's handlers see them (the REST body before Rasa's handler can log it).

Cards: REST returns the payloads in ``custom`` as Rasa does; Socket.IO emits them as
``{"custom": payload}`` (Rasa 3.6 passes the payload's keys to ``emit`` as arguments, which fails);
Slack and Telegram show the text, which reads well alone, and drop the card payloads.

Calendar files ("Add to calendar", ``noticebot.calendar_file``): the ``calendar_file`` payload
carries the ``.ics`` text; REST returns it in ``custom``, the web widget turns it into a download
link, Telegram sends it as a document (``sendDocument``) and Slack as a file (``files_upload_v2``:
``files.getUploadURLExternal``, the upload, ``files.completeUploadExternal``). It is sent from
memory, never written to disk.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import io
import ipaddress
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from aiogram.utils.exceptions import ValidationError
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.conversation.documents import DocumentOutcome
from noticebot.documents import TOO_LARGE, UNREADABLE
from noticebot.handoff import handoff_replies
from noticebot.notices import Reply
from noticebot.privacy import REDACTED_METADATA_KEY, redact, redact_data, redact_text
from noticebot.senders import client_id, sender_id
from noticebot.settings import PROJECT_ROOT, get_settings, secret
from noticebot.web_sessions import new_session_token, session_of
from rasa_ext.documents import (
    DOCUMENT_MESSAGE,
    message_size_limit,
    read_attached,
    read_document_bytes,
    telegram_attachment,
)
from rasa_ext.input_checks import (
    RestMessage,
    rest_message,
    socketio_message_problem,
    socketio_session_data,
    without_control_characters,
)

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# The payloads SPEC.md defines; the web widget draws them as cards.
CARD_TYPES = frozenset({"notice_summary", "triage_result", "case_created"})
# The payload of "Add to calendar" (noticebot.calendar_file): a file where a channel sends files.
CALENDAR_FILE_TYPE = "calendar_file"
# Slack: buttons side by side in one actions block; Block Kit's limits on a section's text and a
# button's title; how long a signed request is remembered to refuse it a second time.
SLACK_BUTTONS_PER_BLOCK = 5
SLACK_SECTION_CHARS = 3000
SLACK_BUTTON_TITLE_CHARS = 75
SLACK_REPLAY_SECONDS = 5 * 60
# Telegram: buttons per keyboard row, and the limit of a button's callback data.
TELEGRAM_BUTTONS_PER_ROW = 2
TELEGRAM_CALLBACK_DATA_BYTES = 64
# What a Telegram person's /start (or /start@bot, /start <deep link>) becomes: a greeting.
TELEGRAM_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)
GREET = "/greet"


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
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    return domain, TemplatedNaturalLanguageGenerator(domain.responses)


def technical_problem_replies() -> list[Reply]:
    """What a person is told when their message could not be answered: sorry, try again, and
    how to reach a person (the firm's contacts, or free help)."""
    return [Reply("utter_technical_problem", {}), *handoff_replies(get_settings().firm)]


async def say_technical_problem(message: UserMessage) -> None:
    """Send the technical-problem replies on the message's channel, rendered from domain.yml
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


def is_webhook(request: Request) -> bool:
    """A POST to a channel's ``/webhook`` route (with or without a trailing slash)."""
    return request.method == "POST" and request.path.rstrip("/").endswith("/webhook")


# Headers a proxy adds: a request carrying one came from somewhere else, whatever its peer.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_local_request(request: Request) -> bool:
    """Sent from this machine directly: a loopback peer and no proxy's forwarding header."""
    try:
        local = ipaddress.ip_address(str(request.ip)).is_loopback
    except ValueError:  # a Unix socket, or no address at all
        local = False
    return local and not any(request.headers.get(h) for h in FORWARDING_HEADERS)


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer ...`` header, or ""."""
    scheme, _, value = str(request.headers.get("Authorization", "")).partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def redacted_rest_body(body: dict[str, Any]) -> dict[str, Any]:
    """The REST body with its message, metadata and input channel redacted (the sender kept);
    the kinds removed from the message are noted in its metadata, as ``redact_message`` does."""
    clean = dict(body)
    redaction = redact(body["message"])
    clean["message"] = redaction.text
    metadata = redact_data(body["metadata"]) if body.get("metadata") is not None else None
    if redaction.found:
        metadata = {**(metadata or {}), REDACTED_METADATA_KEY: list(redaction.kinds)}
    if metadata is not None:
        clean["metadata"] = metadata
    if body.get("input_channel") is not None:
        clean["input_channel"] = redact_text(body["input_channel"])
    return clean


class RestInput(RasaRestInput):
    """Rasa's REST channel (``/webhooks/rest/webhook``) with redaction and a checked body.

    The webhook is for trusted integrations: a request from another machine, or through a proxy
    (nginx in the scaled profile), needs ``Authorization: Bearer <REST_WEBHOOK_TOKEN>``
    (the environment, else ``var/rest-webhook-token``), or gets a 401 and reaches nothing.

    A body that is not a JSON object with a ``sender`` and a ``message`` string (see
    ``rasa_ext.input_checks.rest_message``) gets a 400 saying what is wrong and reaches nothing;
    Rasa's own handler would answer some of them with a 500 and file others under a shared
    ``default`` conversation. A body that passes is redacted in place (``request.body`` and the
    parsed JSON) before Rasa's handler reads it: that handler logs the message's text when the
    client goes away before the answer (``rest.message.received.timeout``).
    """

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes behind the token and body checks, fed through the redacting
        callback, in ``rest:<sender>`` conversations."""
        blueprint = super().blueprint(guarded(on_new_message, self.name()))
        token = secret("REST_WEBHOOK_TOKEN")

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> HTTPResponse | None:
            if not is_webhook(request):
                return None
            if not is_local_request(request) and not hmac.compare_digest(
                bearer_token(request).encode(), token.encode()
            ):
                logger.warning("Refused a REST message from %s without the webhook token.",
                               "a proxy" if request.headers.get("x-forwarded-for") else "afar")
                return response.json(
                    {"error": "this webhook needs 'Authorization: Bearer <REST_WEBHOOK_TOKEN>'"},
                    status=HTTPStatus.UNAUTHORIZED)
            checked = rest_message(request.body)
            if not isinstance(checked, RestMessage):
                logger.warning("Refused a REST message: %s.", checked)
                return response.json({"error": checked}, status=HTTPStatus.BAD_REQUEST)
            # An attached photo or PDF is read and dropped before anything is redacted or logged.
            attached = dict(checked.body)
            attached["message"], metadata = await read_attached(
                attached["message"], attached.get("metadata"))
            if metadata is not None:
                attached["metadata"] = metadata
            # The parent's handler reads the cleaned, redacted body as request.json.
            body = redacted_rest_body(attached)
            request.parsed_json = body  # type: ignore[assignment]
            request.body = json.dumps(body).encode()
            return None

        return blueprint


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """``items`` in consecutive groups of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at a line break or a space."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > 0 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def disabled_blueprint(name: str, missing: str) -> Blueprint:
    """Routes of a channel that is not configured: they answer 503 and say what is missing."""
    blueprint = Blueprint(name, __name__)
    message = f"This channel is not configured: set {missing} in the environment."

    @blueprint.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "not configured", "missing": missing}, status=503)

    @blueprint.route("/webhook", methods=["GET", "POST"])
    async def webhook(_: Request) -> HTTPResponse:
        return response.text(message, status=HTTPStatus.SERVICE_UNAVAILABLE)

    logger.info("%s channel is off: %s is empty.", name.split("_")[0].capitalize(), missing)
    return blueprint


def calendar_file_of(json_message: dict[str, Any]) -> tuple[str, bytes] | None:
    """The file name and bytes of a ``calendar_file`` payload; ``None`` for any other payload."""
    if json_message.get("type") != CALENDAR_FILE_TYPE:
        return None
    name, content = json_message.get("filename"), json_message.get("content")
    if not isinstance(name, str) or not name or not isinstance(content, str):
        return None
    return name, content.encode("utf-8")


class TextInsteadOfCards(OutputChannel):
    """For channels that show text: the card payloads are dropped, their text was already sent;
    a calendar file is sent as a file (``send_file``)."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send a calendar file as a file and other custom payloads as the parent does; skip
        the cards. A file that cannot be sent is logged (its text said what it holds)."""
        file = calendar_file_of(json_message)
        if file is not None:
            try:
                await self.send_file(recipient_id, *file)
            except Exception as error:
                logger.error("Could not send a calendar file on channel %s (%s: %s).",
                             self.name(), type(error).__name__, error)
            return
        if json_message.get("type") in (*CARD_TYPES, CALENDAR_FILE_TYPE):
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def send_file(self, recipient_id: str, filename: str, data: bytes) -> None:
        """Send ``data`` as a file named ``filename`` (each channel its own way)."""
        raise NotImplementedError


class SocketIOOutput(RasaSocketIOOutput):
    """Rasa's Socket.IO output; a custom payload is emitted as ``{"custom": payload}``."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """One ``bot_uttered`` event carrying the payload, in the room of the conversation."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """Rasa's Socket.IO channel (the web widget) with redaction, card payloads and sessions the
    server signed.

    ``session_request`` answers ``session_confirm`` with a token ``<session id>.<signature>``
    (``noticebot.web_sessions``, key ``SESSION_SECRET``); the client sends it back with every
    message. A token the server did not sign (a guessed or copied conversation id, a forged
    signature) gets a new session, and a message is only taken for the session its connection
    asked for. The conversation is ``socketio:<session id>``. Each message's text, once
    redacted, is sent back to the session as ``user_echo`` (``{"text": ...}``): the widget keeps
    that in its stored transcript, never what was typed.
    """

    ECHO_EVENT = "user_echo"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes, fed through the redacting callback, answering with cards."""

        answered = answering_failures(on_new_message)

        async def with_cards(message: UserMessage) -> Any:
            out = message.output_channel
            if isinstance(out, RasaSocketIOOutput) and not isinstance(out, SocketIOOutput):
                message.output_channel = SocketIOOutput(out.sio, out.bot_message_evt)
            if self.sio is not None:  # the redacted text, for the widget's stored transcript
                await self.sio.emit(self.ECHO_EVENT, {"text": message.text or ""},
                                    room=message.sender_id, namespace=self.namespace)
            return await answered(message)

        blueprint = super().blueprint(
            owned_by(self.name(), redacting(with_cards), reply_to_client=False))
        # A message may carry a photo or PDF in base64 (rasa_ext.documents): let it through
        # Engine.IO (1 MB by default; Sanic's websocket frames: rasa_ext.serve); the size limit
        # itself is checked before decoding.
        self.sio.eio.max_http_buffer_size = max(
            self.sio.eio.max_http_buffer_size, message_size_limit())
        self._check_events(secret("SESSION_SECRET"))
        return blueprint

    def _room(self, session_id: str) -> str:
        return sender_id(self.name(), session_id)

    def _check_events(self, key: str) -> None:
        """Put a check of the data in front of the parent's ``user_uttered`` handler and replace
        its ``session_request``: malformed data is logged in one line and ignored (a message) or
        answered with a new session (a session request), never an exception; a session id
        without the server's signature gets a new session."""
        namespace = self.namespace or "/"
        handlers = self.sio.handlers[namespace]
        handle_message = handlers[self.user_message_evt]
        sio = self.sio

        async def checked_message(sid: str, *args: Any) -> None:
            problem = socketio_message_problem(args, self.metadata_key, self.session_persistence)
            if problem:
                logger.warning("Ignored a Socket.IO %s event: %s.", self.user_message_evt, problem)
                return
            data = dict(args[0])
            if self.session_persistence:
                session = session_of(data.get("session_id"), key)
                if session is None or self._room(session) not in sio.rooms(sid, namespace):
                    logger.warning("Ignored a Socket.IO %s event for a session this connection "
                                   "was not given.", self.user_message_evt)
                    return
                data["session_id"] = session  # the parent files it under the session id
            else:
                sio.enter_room(sid, self._room(sid), namespace=namespace)
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):  # checked above: a string holding an object
                metadata = json.loads(metadata)
            if isinstance(metadata, dict) and DOCUMENT_METADATA_KEY in metadata:
                # an attached photo or PDF: read, then dropped, before Rasa sees the message
                data["message"], data[self.metadata_key] = await read_attached(
                    str(data.get("message") or ""), metadata)
            await handle_message(sid, data)

        async def session_request(sid: str, *args: Any) -> None:
            data, problem = socketio_session_data(args)
            if problem:
                logger.warning("A Socket.IO session_request got a new session: %s.", problem)
            token = data.get("session_id")
            session = session_of(token, key)
            if session is None:
                if token is not None:
                    logger.warning("A Socket.IO session_request with a session id the server "
                                   "did not sign got a new session.")
                token = new_session_token(key)
                session = session_of(token, key)
            assert session is not None
            if self.session_persistence:
                for room in sio.rooms(sid, namespace):  # one session per connection
                    if room != sid:
                        sio.leave_room(sid, room, namespace=namespace)
                sio.enter_room(sid, self._room(session), namespace=namespace)
            await sio.emit("session_confirm", token, room=sid)
            logger.debug("Socket.IO connection %s joined its session.", sid)

        handlers[self.user_message_evt] = checked_message
        handlers["session_request"] = session_request

    def get_output_channel(self) -> OutputChannel | None:
        """The output used by Rasa's HTTP API when it sends to this channel."""
        out = super().get_output_channel()
        if isinstance(out, RasaSocketIOOutput):
            return SocketIOOutput(out.sio, out.bot_message_evt)
        return out


class SlackOutput(TextInsteadOfCards, RasaSlackBot):
    """Rasa's Slack output: API address from the settings, any number of buttons, no cards."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(
            token, proxy=proxy, base_url=get_settings().channels.slack_api_url
        )

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa's dispatch, to the Slack user behind ``slack:<user>``."""
        await super().send_response(client_id(SlackInput.name(), recipient_id), message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """The text, then the buttons in rows of five (Rasa drops all buttons past five).

        Slack refuses a section over 3000 characters and a button title over 75: longer text is
        split into several sections, a longer title is cut.
        """
        text = text.strip() or " "
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "plain_text", "text": part}}
            for part in split_text(text, SLACK_SECTION_CHARS)
        ]
        for row in chunks(buttons, SLACK_BUTTONS_PER_BLOCK):
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {
                                "type": "plain_text",
                                "text": shorten(button["title"], SLACK_BUTTON_TITLE_CHARS),
                            },
                            "value": button["payload"],
                        }
                        for button in row
                    ],
                }
            )
        await self._post_message(
            channel=self.slack_channel or recipient_id, as_user=True, text=text, blocks=blocks
        )

    async def send_file(self, recipient_id: str, filename: str, data: bytes) -> None:
        """A file in the conversation's channel (and thread), through Slack's upload API."""
        await self.client.files_upload_v2(
            channel=self.slack_channel or recipient_id,
            file=data,
            filename=filename,
            title=filename,
            thread_ts=self.thread_id,
        )


class ReplayCache:
    """Signatures of the signed requests seen in the last ``SLACK_REPLAY_SECONDS``, in this
    process."""

    def __init__(self, seconds: float = SLACK_REPLAY_SECONDS) -> None:
        self.seconds = seconds
        self._seen: dict[str, float] = {}

    async def first_time(self, signature: str) -> bool:
        """Remember ``signature``; False when it was already seen within the window."""
        now = time.monotonic()
        for old in [k for k, t in self._seen.items() if now - t > self.seconds]:
            del self._seen[old]
        if signature in self._seen:
            return False
        self._seen[signature] = now
        return True

    async def close(self) -> None:
        """Nothing to release."""


class RedisReplayCache(ReplayCache):
    """The same, shared by every Rasa server through Redis (``SET NX EX``: the first server
    to record a signature wins). When Redis cannot be reached, this process's memory is used
    and the error logged."""

    PREFIX = "noticebot:slack-replay:"

    def __init__(self, url: str, seconds: float = SLACK_REPLAY_SECONDS) -> None:
        import redis.asyncio

        super().__init__(seconds)
        self.redis = redis.asyncio.Redis.from_url(url, socket_timeout=5)

    async def first_time(self, signature: str) -> bool:
        """Recorded in Redis for the window; False when a server recorded it before."""
        key = self.PREFIX + hashlib.sha256(signature.encode()).hexdigest()
        try:
            return bool(await self.redis.set(key, "1", nx=True, ex=int(self.seconds)))
        except Exception as error:
            logger.error("Slack replay cache: Redis unreachable (%s: %s); remembering in this "
                         "process only.", type(error).__name__, error)
            return await super().first_time(signature)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.close()


def replay_cache(redis_url: str | None) -> ReplayCache:
    """In Redis when a URL is configured, else in this process."""
    return RedisReplayCache(redis_url) if redis_url else ReplayCache()


def slack_shared_file(event: Any, token: str | None) -> tuple[str, str | None, int | None] | None:
    """The first file of a Slack ``file_share`` message event: ``(download URL, declared type,
    size)``; ``None`` for any other event, or a URL on a host other than Slack's (files.slack.com,
    or the host of ``SLACK_API_URL``): the bot token is sent with the download."""
    if not isinstance(event, dict) or event.get("type") != "message":
        return None
    if event.get("subtype") != "file_share" or not token:
        return None
    files = [f for f in event.get("files") or () if isinstance(f, dict)]
    if not files:
        return None
    url = files[0].get("url_private_download") or files[0].get("url_private")
    if not isinstance(url, str):
        return None
    host = urlsplit(url).hostname or ""
    allowed = {"files.slack.com", urlsplit(get_settings().channels.slack_api_url).hostname}
    if host not in allowed or not url.startswith(("https://", "http://127.0.0.1")):
        return None
    declared = files[0].get("mimetype")
    size = files[0].get("size")
    return url, declared if isinstance(declared, str) else None, (
        size if isinstance(size, int) else None)


async def download_slack_file(url: str, token: str, limit: int) -> bytes | None:
    """A Slack file's bytes, in memory; ``None`` when it is over ``limit`` bytes."""
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
        url, headers=headers
    ) as answer:
        answer.raise_for_status()
        data = bytearray()
        async for chunk in answer.content.iter_chunked(65536):
            data += chunk
            if len(data) > limit:
                return None
        return bytes(data)


class SlackInput(RasaSlackInput):
    """Rasa's Slack channel (Events API and interactivity, signed requests) with redaction.

    Off, with a 503 on its webhook, while the token is empty; a token without a signing secret
    is refused at start as Rasa does. A signed request seen in the last five minutes (the window
    in which Rasa accepts its timestamp) is acknowledged and not processed again, so a captured
    request cannot be replayed: remembered in Redis when ``REPLAY_CACHE_REDIS_URL`` is set (the
    scaled profile, where a replay may reach the other Rasa server), else in this process.
    Conversations are ``slack:<user id>``.
    """

    def _validate_credentials(self) -> None:
        if self.slack_token or self.slack_signing_secret:
            super()._validate_credentials()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes (signature checked first), fed through the redacting callback."""
        if not self.slack_token:
            return disabled_blueprint("slack_webhook", "SLACK_TOKEN and SLACK_SIGNING_SECRET")
        callback = guarded(on_new_message, self.name())
        blueprint = super().blueprint(callback)
        replays = replay_cache(get_settings().replay_cache_url)
        pending: set[asyncio.Task[None]] = set()

        @blueprint.middleware("request")
        async def refuse_replays(request: Request) -> HTTPResponse | None:
            if request.method != "POST" or not self.is_request_from_slack_authentic(request):
                return None  # the parent's handler refuses unsigned requests
            signature = request.headers.get("X-Slack-Signature", "")
            if not await replays.first_time(signature):
                logger.warning("Ignored a Slack request that was already processed (a replay).")
                return response.text("already processed", status=HTTPStatus.OK)
            # A file shared in the conversation (Rasa's handler reads only the text): downloaded
            # into memory and read after Slack has its answer; the message's text is not read.
            try:
                body = request.json if isinstance(request.json, dict) else {}
            except Exception:
                body = {}
            event = body.get("event") or {}
            shared = slack_shared_file(event, self.slack_token)
            if shared is not None and event.get("user") and not event.get("bot_id"):
                metadata = self.get_metadata(request)
                task = asyncio.create_task(read_file(str(event["user"]), metadata, *shared))
                pending.add(task)
                task.add_done_callback(pending.discard)
                return response.text("")
            return None

        async def read_file(user: str, metadata: dict[str, Any], url: str,
                            declared: str | None, size: int | None) -> None:
            limit = get_settings().documents.max_bytes
            outcome = DocumentOutcome(error=TOO_LARGE)
            try:
                if size is None or size <= limit:
                    data = await download_slack_file(url, self.slack_token, limit)
                    outcome = (DocumentOutcome(error=TOO_LARGE) if data is None
                               else await read_document_bytes(data, declared))
            except Exception as error:
                logger.warning("Could not download a Slack file: %s", type(error).__name__)
                outcome = DocumentOutcome(error=UNREADABLE)
            out = self.get_output_channel(metadata.get("out_channel"),
                                          metadata.get("thread_id") if self.use_threads else None)
            await callback(UserMessage(
                DOCUMENT_MESSAGE, out, user, input_channel=self.name(),
                metadata={**metadata, DOCUMENT_METADATA_KEY: outcome.as_metadata()}))

        @blueprint.listener("after_server_stop")
        async def close_replays(*_: Any) -> None:
            await replays.close()

        return blueprint

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        """Replies go to the conversation's Slack channel (and thread, when threads are used)."""
        return SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)


class TelegramOutput(TextInsteadOfCards, RasaTelegramOutput):
    """Rasa's Telegram output: API address from the settings, buttons two per row, no cards."""

    def __init__(self, access_token: str | None) -> None:
        server = TelegramAPIServer.from_base(get_settings().channels.telegram_api_url)
        Bot.__init__(self, access_token, server=server)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa's dispatch, to the chat behind ``telegram:<chat id>``."""
        await super().send_response(client_id(TelegramInput.name(), recipient_id), message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """An inline keyboard; a payload longer than Telegram's 64 bytes is refused loudly."""
        keyboard = InlineKeyboardMarkup()
        for row in chunks(buttons, TELEGRAM_BUTTONS_PER_ROW):
            for button in row:
                if len(button["payload"].encode()) > TELEGRAM_CALLBACK_DATA_BYTES:
                    raise RasaException(
                        f"Button payload {button['payload']!r} is longer than Telegram's "
                        f"{TELEGRAM_CALLBACK_DATA_BYTES} bytes of callback data."
                    )
            keyboard.row(
                *(InlineKeyboardButton(b["title"], callback_data=b["payload"]) for b in row)
            )
        await self.send_message(recipient_id, text, reply_markup=keyboard)

    async def send_file(self, recipient_id: str, filename: str, data: bytes) -> None:
        """A document in the chat (``sendDocument``), from memory."""
        await self.send_document(recipient_id, InputFile(io.BytesIO(data), filename=filename))


def start_is_greeting(on_new_message: OnNewMessage) -> OnNewMessage:
    """Telegram opens every chat with ``/start``: treat it as a greeting."""

    async def handler(message: UserMessage) -> Any:
        if message.text and TELEGRAM_START.fullmatch(message.text.strip()):
            message.text = GREET
        return await on_new_message(message)

    return handler


class TelegramInput(RasaTelegramInput):
    """Rasa's Telegram channel (webhook updates, inline buttons) with redaction.

    Differences from Rasa's: ``/start`` greets; the webhook is registered once the server runs
    (Rasa's registers it before the event loop exists, on every output channel it makes) with
    the ``secret_token``, and requests to ``/webhook`` or ``/set_webhook`` without the matching
    ``X-Telegram-Bot-Api-Secret-Token`` header are refused; button presses are acknowledged so
    the person's app stops its spinner; one API client (one HTTP session) serves the channel and
    is closed when the server stops; conversations are ``telegram:<chat id>``. Off, with a 503
    on its webhook, while the token is empty; a token without the bot's username or without the
    secret is refused at start (Rasa's would drop every update in silence, or take updates from
    anyone who knows the address).
    """

    SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
    secret_token: str = ""
    _output: TelegramOutput | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RasaTelegramInput:
        """Rasa's credentials plus the ``secret_token``; ``verify`` without its ``@``."""
        credentials = credentials or {}
        channel = cls(
            credentials.get("access_token"),
            (credentials.get("verify") or "").strip().lstrip("@"),
            credentials.get("webhook_url"),
            debug_mode=False,  # an error is logged and answered 200: Telegram would resend forever
        )
        channel.secret_token = credentials.get("secret_token") or ""
        return channel

    def get_output_channel(self) -> TelegramOutput:
        """The channel's Telegram client on the configured API address (no network call here)."""
        if self._output is None:
            self._output = TelegramOutput(self.access_token)
        return self._output

    def _without_token(self, text: str) -> str:
        return text.replace(self.access_token, "<TELEGRAM_TOKEN>") if self.access_token else text

    async def register_webhook(self) -> bool:
        """Tell Telegram where to send updates (with the secret token, when one is set)."""
        data = {"url": self.webhook_url}
        if self.secret_token:
            data["secret_token"] = self.secret_token
        try:
            await self.get_output_channel().request("setWebhook", data)
        except Exception as error:  # the other channels keep working; the log says why
            logger.error(
                "Could not register the Telegram webhook (%s). Check TELEGRAM_TOKEN and "
                "TELEGRAM_WEBHOOK_URL, then call /webhooks/telegram/set_webhook.",
                self._without_token(f"{type(error).__name__}: {error}"),
            )
            return False
        logger.info("Telegram webhook registered.")
        return True

    def _check_configuration(self) -> None:
        if not self.verify:
            raise RasaException(
                "TELEGRAM_BOT_USERNAME is empty: set it to the bot's username (without @), "
                "or Telegram updates cannot be matched to this bot."
            )
        try:
            self.get_output_channel()
        except ValidationError as error:
            raise RasaException(
                f"TELEGRAM_TOKEN is not a Telegram bot token ({error}): it looks like "
                "123456789:AAH... as BotFather gave it."
            ) from None
        if not self.secret_token:
            raise RasaException(
                "TELEGRAM_SECRET_TOKEN is empty: without it anyone who knows the webhook "
                "address could post updates to it. Set it to a long random secret (letters, "
                "digits, _ and -)."
            )
        if not self.webhook_url:
            logger.warning(
                "TELEGRAM_WEBHOOK_URL is empty: the webhook is not registered with Telegram."
            )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes behind the secret check, fed through /start and redaction."""
        if not self.access_token:
            return disabled_blueprint("telegram_webhook", "TELEGRAM_TOKEN")
        self._check_configuration()
        client = self.get_output_channel()
        callback = guarded(start_is_greeting(on_new_message), self.name())
        blueprint = super().blueprint(callback)
        pending: set[asyncio.Task[None]] = set()

        @blueprint.middleware("request")
        async def check_secret(request: Request) -> HTTPResponse | None:
            path = request.path.rstrip("/")
            webhook, set_webhook = path.endswith("/webhook"), path.endswith("/set_webhook")
            if not (webhook or set_webhook):
                return None
            if not hmac.compare_digest(
                request.headers.get(self.SECRET_HEADER, ""), self.secret_token
            ):
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            if set_webhook:  # Rasa's own route would register the webhook without the secret
                registered = await self.register_webhook()
                return response.text(
                    "Webhook setup successful" if registered else "Invalid webhook",
                    status=HTTPStatus.OK if registered else HTTPStatus.BAD_GATEWAY,
                )
            try:
                update = request.json if isinstance(request.json, dict) else {}
            except Exception:  # not JSON: the parent's handler answers it
                update = {}
            query = update.get("callback_query") or {}
            if query.get("id"):
                task = asyncio.create_task(acknowledge(str(query["id"])))
                pending.add(task)
                task.add_done_callback(pending.discard)
            # A photo or a document (Rasa's handler drops them): downloaded into memory and read
            # after Telegram has its answer (OCR takes seconds); the caption is not read.
            message = update.get("message") or {}
            attachment = telegram_attachment(message)
            chat = message.get("chat") or {} if isinstance(message, dict) else {}
            if attachment is not None and chat.get("id") is not None:
                task = asyncio.create_task(read_file(str(chat["id"]), *attachment))
                pending.add(task)
                task.add_done_callback(pending.discard)
                return response.text("success")
            return None

        async def read_file(chat_id: str, file_id: str, declared: str | None,
                            size: int | None) -> None:
            limit = get_settings().documents.max_bytes
            outcome = DocumentOutcome(error=TOO_LARGE)
            try:
                if size is None or size <= limit:
                    found = await client.get_file(file_id)
                    if not found.file_size or found.file_size <= limit:
                        buffer = await client.download_file(found.file_path)  # an io.BytesIO
                        outcome = await read_document_bytes(buffer.getvalue(), declared)
            except Exception as error:
                logger.warning("Could not download a Telegram file: %s",
                               self._without_token(f"{type(error).__name__}: {error}"))
                outcome = DocumentOutcome(error=UNREADABLE)
            await callback(UserMessage(
                DOCUMENT_MESSAGE, client, chat_id, input_channel=self.name(),
                metadata={DOCUMENT_METADATA_KEY: outcome.as_metadata()}))

        async def acknowledge(query_id: str) -> None:
            try:
                await client.answer_callback_query(query_id)
            except Exception as error:
                logger.debug("Could not acknowledge a Telegram button press: %s",
                             self._without_token(str(error)))

        @blueprint.listener("after_server_start")
        async def register(*_: Any) -> None:
            if self.webhook_url:
                await self.register_webhook()

        @blueprint.listener("after_server_stop")
        async def close(*_: Any) -> None:
            session = client._session
            if session is not None and not session.closed:
                await session.close()

        return blueprint
