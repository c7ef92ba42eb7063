"""A file attached to a message is read at the channel and dropped before Rasa sees it."""

from __future__ import annotations

import asyncio
import base64
import shutil

import pytest

from noticebot.documents import TOO_LARGE, DocumentError
from rasa_ext.documents import (
    DOCUMENT_MESSAGE,
    decoded,
    max_base64_chars,
    message_text,
    read_attached,
)
from tests.documents.synthetic import NOTICES, text_pdf


def attach(data: bytes, media_type: str = "application/pdf") -> dict[str, object]:
    return {"name": "notice.pdf", "type": media_type, "data": base64.b64encode(data).decode()}


def test_a_message_without_a_file_is_unchanged() -> None:
    assert asyncio.run(read_attached("hi", {"a": 1})) == ("hi", {"a": 1})
    assert asyncio.run(read_attached("hi", None)) == ("hi", None)


def test_a_pdf_becomes_share_document_with_only_what_was_read() -> None:
    text, metadata = asyncio.run(read_attached("", {"document": attach(text_pdf(NOTICES[0])),
                                                    "other": "kept"}))
    assert text == DOCUMENT_MESSAGE
    assert metadata is not None and metadata["other"] == "kept"
    facts = metadata["document"]["facts"]
    assert facts["notices"][0]["code"] == "CP504"
    assert facts["notices"][0]["notice_date"] == "2026-11-02"
    assert facts["amount"] == 4312.18
    stored = repr(metadata)
    assert "JORDAN" not in stored and "4821" not in stored and "data" not in metadata["document"]


def test_size_is_checked_on_the_base64_before_decoding() -> None:
    with pytest.raises(DocumentError) as refused:
        decoded({"data": "A" * (max_base64_chars(100) + 4)}, max_bytes=100)
    assert refused.value.reason == TOO_LARGE
    assert decoded({"data": "data:image/png;base64,iVBORw0KGgo="}, max_bytes=100)[1] == (
        "image/png")


@pytest.mark.parametrize("document", [
    "not an object",
    {"facts": {"notices": [{"code": "CP504"}]}},  # a client's own facts are not taken
    {"data": "%%% not base64"},
    {"data": base64.b64encode(b"GIF89a....").decode(), "type": "image/gif"},
])
def test_anything_else_is_unreadable_and_dropped(document: object) -> None:
    text, metadata = asyncio.run(read_attached("hello", {"document": document}))
    assert text == "hello"  # typed with the file: its caption, read by the NLU
    assert metadata is not None
    assert set(metadata["document"]) == {"error"}


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr")
def test_a_blank_photo_has_no_notice() -> None:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (400, 300), 255).save(out, "PNG")
    _, metadata = asyncio.run(read_attached("", {"document": attach(out.getvalue(),
                                                                    "image/png")}))
    assert metadata is not None
    assert metadata["document"]["error"] in ("no_text", "no_notice", "unreadable")


def test_the_rest_channel_reads_the_file_before_rasas_handler_sees_the_body() -> None:
    import json

    from tests.rasa_ext.test_channel_security import request, rest_middleware

    incoming = request({"sender": "a", "message": "",
                        "metadata": {"document": attach(text_pdf(NOTICES[1]))}})
    assert asyncio.run(rest_middleware()(incoming)) is None
    body = json.loads(incoming.body)
    assert body["message"] == DOCUMENT_MESSAGE
    assert body["metadata"]["document"]["facts"]["notices"][0]["code"] == "CP14"
    assert "data" not in body["metadata"]["document"]
    assert incoming.parsed_json == body


# ------------------------------------------------------------------ Telegram


@pytest.mark.parametrize("caption", [None, "can they take my house?"])
def test_telegram_downloads_a_sent_document_into_memory_and_reads_it(
    monkeypatch: pytest.MonkeyPatch, caption: str | None
) -> None:
    from types import SimpleNamespace
    from typing import Any

    from fake_apis import TELEGRAM_SECRET_TOKEN, TELEGRAM_TOKEN, FakeApis
    from sanic.compat import Header

    from noticebot.settings import get_settings
    from rasa_ext.channels import TelegramInput

    apis = FakeApis().start()
    monkeypatch.setenv("TELEGRAM_API_URL", apis.telegram_url)
    get_settings.cache_clear()
    seen: list[Any] = []

    async def on_new_message(message: Any) -> None:
        seen.append(message)

    async def scenario() -> Any:
        channel = TelegramInput.from_credentials({
            "access_token": TELEGRAM_TOKEN, "verify": "bot", "secret_token": TELEGRAM_SECRET_TOKEN})
        blueprint = channel.blueprint(on_new_message)
        (middleware,) = [m.middleware for m in blueprint._future_middleware
                         if m.attach_to == "request"]
        apis.telegram_files["F1"] = text_pdf(NOTICES[2])
        update = {"update_id": 1, "message": {
            "message_id": 5, "date": 0, "chat": {"id": 7001, "type": "private"},
            "from": {"id": 7001, "is_bot": False, "first_name": "A"},
            "document": {"file_id": "F1", "file_unique_id": "F1", "file_name": "notice.pdf",
                         "mime_type": "application/pdf", "file_size": 3000}}}
        if caption is not None:
            update["message"]["caption"] = caption  # type: ignore[index]
        request = SimpleNamespace(
            method="POST", path="/webhooks/telegram/webhook", json=update,
            headers=Header({TelegramInput.SECRET_HEADER: TELEGRAM_SECRET_TOKEN}))
        answered = await middleware(request)
        for _ in range(300):
            if seen:
                break
            await asyncio.sleep(0.1)
        out = channel.get_output_channel()
        if out._session is not None and not out._session.closed:
            await out._session.close()
        return answered

    try:
        answered = asyncio.run(scenario())
    finally:
        get_settings.cache_clear()
        apis.stop()
    assert answered.body == b"success"
    (message,) = seen
    assert message.text == (caption or DOCUMENT_MESSAGE)  # the caption is the message's text
    assert message.sender_id == "telegram:7001"
    facts = message.metadata["document"]["facts"]
    assert facts["notices"][0]["code"] == "CP501"
    assert [c.method for c in apis.calls_to("telegram") if c.method in ("getFile", "download")] \
        == ["getFile", "download"]


# ------------------------------------------------------------------ Slack


def test_slack_downloads_a_shared_file_with_the_token_and_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace
    from typing import Any

    from fake_apis import SLACK_SIGNING_SECRET, SLACK_TOKEN, FakeApis
    from sanic.compat import Header

    from noticebot.settings import get_settings
    from rasa_ext.channels import SlackInput, slack_shared_file

    apis = FakeApis().start()
    monkeypatch.setenv("SLACK_API_URL", apis.slack_url)
    get_settings.cache_clear()
    seen: list[Any] = []

    async def on_new_message(message: Any) -> None:
        seen.append(message)

    event = {"type": "message", "subtype": "file_share", "user": "U0PAT", "channel": "D1",
             "ts": "1.2", "text": "", "files": [{
                 "id": "F9", "mimetype": "application/pdf", "size": 3000,
                 "url_private_download": apis.slack_file_url("F9")}]}

    async def scenario() -> Any:
        channel = SlackInput(SLACK_TOKEN, slack_signing_secret=SLACK_SIGNING_SECRET)
        monkeypatch.setattr(channel, "is_request_from_slack_authentic", lambda request: True)
        blueprint = channel.blueprint(on_new_message)
        middleware = [m.middleware for m in blueprint._future_middleware
                      if m.attach_to == "request"][-1]
        apis.slack_files["F9"] = text_pdf(NOTICES[3])
        body = {"type": "event_callback", "event": event}
        request = SimpleNamespace(
            method="POST", path="/webhooks/slack/webhook", json=body, form={},
            headers=Header({"content-type": "application/json", "X-Slack-Signature": "v0=1"}))
        answered = await middleware(request)
        for _ in range(300):
            if seen:
                break
            await asyncio.sleep(0.1)
        return answered

    try:
        answered = asyncio.run(scenario())
        elsewhere = dict(event, files=[{"url_private_download": "https://evil.example/f"}])
        assert slack_shared_file(elsewhere, SLACK_TOKEN) is None  # the token goes to Slack only
    finally:
        get_settings.cache_clear()
        apis.stop()
    assert answered is not None and answered.status == 200
    (message,) = seen
    assert message.text == DOCUMENT_MESSAGE
    assert message.sender_id == "slack:U0PAT"
    assert message.metadata["document"]["facts"]["notices"][0]["code"] == "CP503"
    (download,) = apis.calls_to("slack", "download")
    assert download.headers.get("Authorization") == f"Bearer {SLACK_TOKEN}"


# ------------------------------------------------------------------ Socket.IO (the web widget)


def test_socketio_reads_the_widgets_file_and_raises_the_engineio_buffer() -> None:
    from tests.rasa_ext.test_input_checks import fake_sio, socketio_channel

    seen: list = []  # type: ignore[type-arg]
    channel = socketio_channel(seen)
    assert channel.sio.eio.max_http_buffer_size > max_base64_chars(10 * 1024 * 1024)
    sio = fake_sio(channel)
    handlers = sio.handlers["/"]
    asyncio.run(handlers["session_request"]("sid", None))
    (_, token, _), = sio.emitted
    asyncio.run(handlers["user_uttered"]("sid", {
        "message": "", "session_id": token,
        "metadata": {"document": attach(text_pdf(NOTICES[4]))}}))
    (message,) = seen
    assert message.text == DOCUMENT_MESSAGE
    assert message.metadata["document"]["facts"]["notices"][0]["code"] == "CP90"
    assert ("user_echo", {"text": DOCUMENT_MESSAGE}) in [(e, d) for e, d, _ in sio.emitted]


@pytest.mark.parametrize(("typed", "text"), [
    ("", DOCUMENT_MESSAGE),
    ("   ", DOCUMENT_MESSAGE),
    (None, DOCUMENT_MESSAGE),
    ("/greet", DOCUMENT_MESSAGE),  # a command is not a caption
    (" can they take my house? ", "can they take my house?"),
])
def test_the_text_of_a_message_with_a_file_is_its_caption(typed: object, text: str) -> None:
    assert message_text(typed) == text
