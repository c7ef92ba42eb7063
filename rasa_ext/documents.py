"""A photo or PDF of the notice sent in a message: read at the channel, before Rasa sees it.

A client attaches a file as the message metadata's ``document``:
``{"name": "notice.jpg", "type": "image/jpeg", "data": "<base64>"}`` (the web widget does, over
Socket.IO or REST). ``read_attached`` takes it out of the metadata **before** the metadata is
redacted or logged: the size is checked on the base64 text before it is decoded
(``DocumentSettings.max_bytes``), the file is read in a worker thread
(``noticebot.documents.read_notice``: in memory, its text redacted, then read), and the message
becomes ``/share_document`` (or the caption typed with the file: ``message_text``) with, in
``document``, only what was read (the notice, its dates,
the amount, the tax years) or why it could not be read. The file, its name and its text are
dropped there; the conversation reads the facts back for a yes
(``noticebot.conversation.documents``).

A ``document`` the channel did not fill this way (a client sending ``facts`` of its own) is
replaced too: only a file read here produces facts.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from noticebot.clock import firm_today
from noticebot.conversation.documents import DOCUMENT_INTENT, METADATA_KEY, DocumentOutcome
from noticebot.documents import TOO_LARGE, UNREADABLE, DocumentError, read_notice
from noticebot.reading import Reader
from noticebot.settings import get_settings

logger = logging.getLogger(__name__)

DOCUMENT_MESSAGE = f"/{DOCUMENT_INTENT}"
JPEG_TYPE = "image/jpeg"
# Files read at the same time by one server (OCR takes a core for about a second per page).
_CONCURRENT_READS = asyncio.Semaphore(2)


@lru_cache(maxsize=1)
def _reader() -> Reader:
    return Reader()


def max_base64_chars(max_bytes: int) -> int:
    """The longest base64 text of a file of at most ``max_bytes`` bytes."""
    return 4 * ((max_bytes + 2) // 3)


def message_size_limit() -> int:
    """The largest Socket.IO message (bytes) the servers must accept: a file of
    ``NOTICEBOT_UPLOAD_MAX_BYTES`` in base64, plus room for the rest of the message. Engine.IO
    (1 MB by default) and Sanic's websocket frames (1 MB by default) are raised to it."""
    return max_base64_chars(get_settings().documents.max_bytes) + 64 * 1024


def decoded(document: Mapping[str, Any], *, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes and declared type; raises ``DocumentError`` (checked before decoding)."""
    data = document.get("data")
    declared = document.get("type")
    if not isinstance(data, str) or not data:
        raise DocumentError(UNREADABLE, "no base64 'data' in the document")
    if "," in data[:100] and data.startswith("data:"):  # a data: URL
        header, data = data.split(",", 1)
        declared = declared or header[5:].split(";")[0]
    if len(data) > max_base64_chars(max_bytes):
        raise DocumentError(TOO_LARGE, f"base64 of {len(data)} characters")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentError(UNREADABLE, "the document's data is not base64") from None
    return raw, declared if isinstance(declared, str) else None


def _read(document: Mapping[str, Any]) -> DocumentOutcome:
    settings = get_settings().documents
    try:
        data, declared = decoded(document, max_bytes=settings.max_bytes)
    except DocumentError as error:
        logger.info("A document could not be read: %s (%s).", error.reason, error)
        return DocumentOutcome(error=error.reason)
    return _read_bytes(data, declared)


def _read_bytes(data: bytes, declared: str | None) -> DocumentOutcome:
    settings = get_settings().documents
    try:
        reading = read_notice(
            data, declared, today=firm_today(), reader=_reader(), settings=settings
        )
    except DocumentError as error:
        logger.info("A document could not be read: %s (%s).", error.reason, error)
        return DocumentOutcome(error=error.reason)
    logger.info(
        "Read a document (%s, %d page(s)%s): %s.",
        reading.source,
        reading.pages,
        f", removed {', '.join(reading.redacted)}" if reading.redacted else "",
        "a notice code found" if reading.found_anything else "no notice code",
    )
    if not reading.found_anything:
        return DocumentOutcome(error="no_notice")
    return DocumentOutcome(facts=reading.facts)


async def read_attached(
    text: str, metadata: Mapping[str, Any] | None
) -> tuple[str, dict[str, Any] | None]:
    """The message's text and metadata with an attached file read (see the module's
    docstring); unchanged when no ``document`` is attached."""
    if not metadata or METADATA_KEY not in metadata:
        return text, dict(metadata) if metadata is not None else None
    rest = {k: v for k, v in metadata.items() if k != METADATA_KEY}
    document = metadata[METADATA_KEY]
    if not isinstance(document, Mapping) or "data" not in document:
        outcome = DocumentOutcome(error=UNREADABLE)
    else:
        async with _CONCURRENT_READS:
            outcome = await asyncio.get_running_loop().run_in_executor(None, _read, document)
    return message_text(text), {**rest, METADATA_KEY: outcome.as_metadata()}


def message_text(caption: Any) -> str:
    """The text of a message that carries a file: the caption typed with it (the NLU reads it,
    and the conversation takes it after the read-back's yes), else ``/share_document``."""
    if isinstance(caption, str) and caption.strip() and not caption.strip().startswith("/"):
        return caption.strip()
    return DOCUMENT_MESSAGE


async def read_document_bytes(data: bytes, declared: str | None) -> DocumentOutcome:
    """Read a file a channel downloaded itself (Telegram, Slack), in a worker thread."""
    async with _CONCURRENT_READS:
        return await asyncio.get_running_loop().run_in_executor(
            None, _read_bytes, data, declared
        )


def telegram_attachment(message: Any) -> tuple[str, str | None, int | None] | None:
    """The file of a Telegram message, if any: ``(file_id, declared type, size)``. A photo is
    the largest size Telegram made of it within the limit (Telegram photos are JPEG)."""
    if not isinstance(message, Mapping):
        return None
    limit = get_settings().documents.max_bytes
    photos = [p for p in message.get("photo") or () if isinstance(p, Mapping) and p.get("file_id")]
    if photos:
        fitting = [p for p in photos if int(p.get("file_size") or 0) <= limit] or photos[:1]
        best = max(fitting, key=lambda p: int(p.get("width") or 0) * int(p.get("height") or 0))
        return str(best["file_id"]), JPEG_TYPE, _size(best)
    document = message.get("document")
    if isinstance(document, Mapping) and document.get("file_id"):
        declared = document.get("mime_type")
        return (
            str(document["file_id"]),
            declared if isinstance(declared, str) else None,
            _size(document),
        )
    return None


def _size(item: Mapping[str, Any]) -> int | None:
    size = item.get("file_size")
    return int(size) if isinstance(size, int) else None
