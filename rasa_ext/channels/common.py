"""What the channel classes share: the card and calendar-file payloads, text for channels that
show text only, and the routes of a channel that is not configured.

Cards: REST returns the payloads in ``custom`` as Rasa does; Socket.IO emits them as
``{"custom": payload}`` (Rasa 3.6 passes the payload's keys to ``emit`` as arguments, which fails);
Slack and Telegram show the text, which reads well alone, and drop the card payloads
(``TextInsteadOfCards``).

Calendar files ("Add to calendar", ``noticebot.calendar_file``): the ``calendar_file`` payload
carries the ``.ics`` text; REST returns it in ``custom``, the web widget turns it into a download
link, Telegram sends it as a document (``sendDocument``) and Slack as a file (``files_upload_v2``:
``files.getUploadURLExternal``, the upload, ``files.completeUploadExternal``). It is sent from
memory, never written to disk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)

# The payloads docs/contract.md defines; the web widget draws them as cards.
CARD_TYPES = frozenset({"notice_summary", "triage_result", "case_created"})
# The payload of "Add to calendar" (noticebot.calendar_file): a file where a channel sends files.
CALENDAR_FILE_TYPE = "calendar_file"


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
