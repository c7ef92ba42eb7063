"""The Telegram channel (webhook updates, inline buttons): ``/start`` greets, a secret token on
the webhook, text instead of cards, calendar files as documents, photos and documents read."""

from __future__ import annotations

import asyncio
import hmac
import io
import logging
import re
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from aiogram.utils.exceptions import ValidationError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.conversation.documents import DocumentOutcome
from noticebot.documents import TOO_LARGE, UNREADABLE
from noticebot.senders import client_id
from noticebot.settings import get_settings
from rasa_ext.channels.common import TextInsteadOfCards, chunks, disabled_blueprint
from rasa_ext.channels.guards import OnNewMessage, guarded
from rasa_ext.documents import message_text, read_document_bytes, telegram_attachment

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)

# Telegram: buttons per keyboard row, and the limit of a button's callback data.
TELEGRAM_BUTTONS_PER_ROW = 2
TELEGRAM_CALLBACK_DATA_BYTES = 64
# What a Telegram person's /start (or /start@bot, /start <deep link>) becomes: a greeting.
TELEGRAM_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)
GREET = "/greet"


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
            # after Telegram has its answer (OCR takes seconds); the caption is the message's text.
            message = update.get("message") or {}
            attachment = telegram_attachment(message)
            chat = message.get("chat") or {} if isinstance(message, dict) else {}
            if attachment is not None and chat.get("id") is not None:
                task = asyncio.create_task(
                    read_file(str(chat["id"]), message.get("caption"), *attachment))
                pending.add(task)
                task.add_done_callback(pending.discard)
                return response.text("success")
            return None

        async def read_file(chat_id: str, caption: Any, file_id: str, declared: str | None,
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
                message_text(caption), client, chat_id, input_channel=self.name(),
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
