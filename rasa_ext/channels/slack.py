"""The Slack channel (Events API and interactivity, signed requests): any number of buttons,
text instead of cards, calendar files uploaded, shared files read, replays refused."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.conversation.documents import DocumentOutcome
from noticebot.documents import TOO_LARGE, UNREADABLE
from noticebot.senders import client_id
from noticebot.settings import get_settings
from rasa_ext.channels.common import (
    TextInsteadOfCards,
    chunks,
    disabled_blueprint,
    shorten,
    split_text,
)
from rasa_ext.channels.guards import OnNewMessage, guarded
from rasa_ext.documents import message_text, read_document_bytes

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)

# Slack: buttons side by side in one actions block; Block Kit's limits on a section's text and a
# button's title; how long a signed request is remembered to refuse it a second time.
SLACK_BUTTONS_PER_BLOCK = 5
SLACK_SECTION_CHARS = 3000
SLACK_BUTTON_TITLE_CHARS = 75
SLACK_REPLAY_SECONDS = 5 * 60


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
            # into memory and read after Slack has its answer; the message's text goes with it.
            try:
                body = request.json if isinstance(request.json, dict) else {}
            except Exception:
                body = {}
            event = body.get("event") or {}
            shared = slack_shared_file(event, self.slack_token)
            if shared is not None and event.get("user") and not event.get("bot_id"):
                metadata = self.get_metadata(request)
                task = asyncio.create_task(
                    read_file(str(event["user"]), metadata, event.get("text"), *shared))
                pending.add(task)
                task.add_done_callback(pending.discard)
                return response.text("")
            return None

        async def read_file(user: str, metadata: dict[str, Any], caption: Any, url: str,
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
                message_text(caption), out, user, input_channel=self.name(),
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
