"""Rasa's channels, adapted: messages redacted before processing, cards where a card can be shown.

Every channel hands its messages to the processor through the ``on_new_message`` callback it
gets in ``blueprint``; wrapping that callback is the one place every message of a channel passes.
The classes keep their parents' names (``rest``, ``socketio``, ``slack``, ``telegram``), so their
URLs do not change. Register them in ``credentials.yml`` by module path.

Cards: REST returns the payloads in ``custom`` as Rasa does; Socket.IO emits them as
``{"custom": payload}`` (Rasa 3.6 passes the payload's keys to ``emit`` as arguments, which fails);
Slack and Telegram show the text, which reads well alone, and drop the card payloads.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import ValidationError
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from noticebot.privacy import REDACTED_METADATA_KEY, redact
from noticebot.settings import get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# The payloads SPEC.md defines; the web widget draws them as cards.
CARD_TYPES = frozenset({"notice_summary", "triage_result", "case_created"})
# Slack shows at most this many buttons side by side in one actions block.
SLACK_BUTTONS_PER_BLOCK = 5
# Telegram: buttons per keyboard row, and the limit of a button's callback data.
TELEGRAM_BUTTONS_PER_ROW = 2
TELEGRAM_CALLBACK_DATA_BYTES = 64
# What a Telegram person's /start (or /start@bot, /start <deep link>) becomes: a greeting.
TELEGRAM_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)
GREET = "/greet"


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


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """``items`` in consecutive groups of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


class TextInsteadOfCards(OutputChannel):
    """For channels that show text: the card payloads are dropped, their text was already sent."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send other custom payloads as the parent does; skip the cards."""
        if json_message.get("type") in CARD_TYPES:
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SocketIOOutput(RasaSocketIOOutput):
    """Rasa's Socket.IO output; a custom payload is emitted as ``{"custom": payload}``."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """One ``bot_uttered`` event carrying the payload, in the room of the conversation."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """Rasa's Socket.IO channel (the web widget) with redaction and card payloads."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes, fed through the redacting callback, answering with cards."""

        async def with_cards(message: UserMessage) -> Any:
            out = message.output_channel
            if isinstance(out, RasaSocketIOOutput) and not isinstance(out, SocketIOOutput):
                message.output_channel = SocketIOOutput(out.sio, out.bot_message_evt)
            return await on_new_message(message)

        return super().blueprint(redacting(with_cards))

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

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """The text, then the buttons in rows of five (Rasa drops all buttons past five)."""
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "plain_text", "text": text}}
        ]
        for row in chunks(buttons, SLACK_BUTTONS_PER_BLOCK):
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": button["title"]},
                            "value": button["payload"],
                        }
                        for button in row
                    ],
                }
            )
        await self._post_message(
            channel=self.slack_channel or recipient_id, as_user=True, text=text, blocks=blocks
        )


class SlackInput(RasaSlackInput):
    """Rasa's Slack channel (Events API and interactivity, signed requests) with redaction.

    Off, with a 503 on its webhook, while both the token and the signing secret are empty; a
    token without a signing secret is refused at start as Rasa does.
    """

    def _validate_credentials(self) -> None:
        if self.slack_token or self.slack_signing_secret:
            super()._validate_credentials()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes (signature checked first), fed through the redacting callback."""
        if not self.slack_token:
            return disabled_blueprint("slack_webhook", "SLACK_TOKEN and SLACK_SIGNING_SECRET")
        return super().blueprint(redacting(on_new_message))

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
    (Rasa's registers it before the event loop exists, on every output channel it makes); with a
    ``secret_token`` the webhook is registered with it and updates without the matching
    ``X-Telegram-Bot-Api-Secret-Token`` header are refused; button presses are acknowledged so the
    person's app stops its spinner. Off, with a 503 on its webhook, while the token is empty.
    """

    SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RasaTelegramInput:
        """Rasa's credentials plus an optional ``secret_token``."""
        credentials = credentials or {}
        channel = cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
        )
        channel.secret_token = credentials.get("secret_token") or ""
        return channel

    secret_token: str = ""

    def get_output_channel(self) -> TelegramOutput:
        """A Telegram client on the configured API address (no network call here)."""
        return TelegramOutput(self.access_token)

    async def register_webhook(self) -> bool:
        """Tell Telegram where to send updates (with the secret token, when one is set)."""
        out = self.get_output_channel()
        data = {"url": self.webhook_url}
        if self.secret_token:
            data["secret_token"] = self.secret_token
        try:
            await out.request("setWebhook", data)
            logger.info("Telegram webhook registered.")
            return True
        except Exception as error:  # the other channels keep working; the log says why
            logger.error(
                "Could not register the Telegram webhook (%s). Check TELEGRAM_TOKEN and "
                "TELEGRAM_WEBHOOK_URL, then call /webhooks/telegram/set_webhook.",
                error,
            )
            return False
        finally:
            await out.close()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes behind the secret check, fed through /start and redaction."""
        if not self.access_token:
            return disabled_blueprint("telegram_webhook", "TELEGRAM_TOKEN")
        try:
            acknowledging = self.get_output_channel()
        except ValidationError as error:
            raise RasaException(
                f"TELEGRAM_TOKEN is not a Telegram bot token ({error}): it looks like "
                "123456789:AAH... as BotFather gave it."
            ) from None
        blueprint = super().blueprint(redacting(start_is_greeting(on_new_message)))
        pending: set[asyncio.Task[None]] = set()

        @blueprint.middleware("request")
        async def check_secret(request: Request) -> HTTPResponse | None:
            if request.path.endswith("/set_webhook"):  # Rasa's route would drop the secret
                registered = await self.register_webhook()
                return response.text(
                    "Webhook setup successful" if registered else "Invalid webhook",
                    status=HTTPStatus.OK if registered else HTTPStatus.BAD_GATEWAY,
                )
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if self.secret_token and not hmac.compare_digest(
                request.headers.get(self.SECRET_HEADER, ""), self.secret_token
            ):
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            try:
                update = request.json if isinstance(request.json, dict) else {}
            except Exception:  # not JSON: the parent's handler answers it
                update = {}
            query = update.get("callback_query") or {}
            if query.get("id"):
                task = asyncio.create_task(acknowledge(str(query["id"])))
                pending.add(task)
                task.add_done_callback(pending.discard)
            return None

        async def acknowledge(query_id: str) -> None:
            try:
                await acknowledging.answer_callback_query(query_id)
            except Exception as error:
                logger.debug("Could not acknowledge a Telegram button press: %s", error)

        @blueprint.listener("after_server_start")
        async def register(*_: Any) -> None:
            if self.webhook_url:
                await self.register_webhook()

        return blueprint
