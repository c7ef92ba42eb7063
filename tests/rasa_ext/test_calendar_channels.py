"""The calendar file on each channel: Telegram's sendDocument and Slack's file upload against the
local fake APIs, Socket.IO's payload for the widget, and the whole reply through Rasa's dispatch."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fake_apis import FakeApis
from icalendar import Calendar

from noticebot.calendar_file import calendar_replies
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import explain_notice
from noticebot.settings import FirmProfile, get_settings
from rasa_ext.channels import (
    SlackOutput,
    SocketIOOutput,
    TelegramOutput,
    calendar_file_of,
)

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def payload(catalog: Catalog) -> dict[str, Any]:
    """A real calendar_file payload (Letter 1058 dated November 20, 2026)."""
    explanation = explain_notice(catalog, "LTR1058", today=TODAY,
                                 notice_date=dt.date(2026, 11, 20))
    assert explanation is not None
    (reply,) = calendar_replies(explanation, today=TODAY, firm=FirmProfile())
    assert reply.payload is not None
    return reply.payload


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    apis = FakeApis().start()
    monkeypatch.setenv("SLACK_API_URL", apis.slack_url)
    monkeypatch.setenv("TELEGRAM_API_URL", apis.telegram_url)
    get_settings.cache_clear()
    try:
        yield apis
    finally:
        get_settings.cache_clear()
        apis.stop()


async def _telegram(out: TelegramOutput, *calls: Any) -> None:
    try:
        for call in calls:
            await call
    finally:
        session = out._session
        if session is not None and not session.closed:
            await session.close()


def test_telegram_sends_the_calendar_file_as_a_document(
    fake: FakeApis, payload: dict[str, Any]
) -> None:
    out = TelegramOutput("123456:test-token")
    asyncio.run(_telegram(out, out.send_custom_json("77", dict(payload))))
    (call,) = fake.calls_to("telegram", "sendDocument")
    assert call.params["chat_id"] == "77"
    assert call.params["document.filename"] == "irs-ltr1058-dates.ics"
    assert call.params["document"] == payload["content"].rstrip("\r\n")
    calendar = Calendar.from_ical(call.params["document"] + "\r\n")
    assert len(calendar.walk("VEVENT")) == 2
    assert fake.calls_to("telegram", "sendMessage") == []  # the text went with the reply


def test_the_whole_reply_on_telegram_is_the_text_then_the_document(
    fake: FakeApis, payload: dict[str, Any]
) -> None:
    out = TelegramOutput("123456:test-token")
    message = {"text": "Here is a calendar file for your LTR1058", "custom": dict(payload)}
    asyncio.run(_telegram(out, out.send_response("telegram:77", message)))
    methods = [c.method for c in fake.calls if c.api == "telegram"]
    assert methods == ["sendMessage", "sendDocument"]
    assert fake.calls_to("telegram", "sendDocument")[0].params["chat_id"] == "77"


def test_slack_uploads_the_calendar_file_into_the_conversation(
    fake: FakeApis, payload: dict[str, Any]
) -> None:
    out = SlackOutput("xoxb-test", "D1")
    asyncio.run(out.send_custom_json("U1", dict(payload)))
    methods = [(c.api, c.method) for c in fake.calls]
    assert [m for _, m in methods] == [
        "files.getUploadURLExternal", methods[1][1], "files.completeUploadExternal",
    ]
    asked, upload, completed = fake.calls
    assert asked.params["filename"] == "irs-ltr1058-dates.ics"
    assert int(asked.params["length"]) == len(payload["content"].encode())
    assert upload.api == "slack-upload" and upload.params["data"] == payload["content"]
    assert completed.params["channel_id"] == "D1"
    (file,) = completed.params["files"]
    assert file["id"] == upload.method and file["title"] == "irs-ltr1058-dates.ics"
    assert fake.calls_to("slack", "chat.postMessage") == []


def test_a_file_that_cannot_be_sent_is_logged_not_raised(
    payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/slack/api/")  # nothing listens
    get_settings.cache_clear()
    try:
        out = SlackOutput("xoxb-test", "D1")
        asyncio.run(out.send_custom_json("U1", dict(payload)))
    finally:
        get_settings.cache_clear()
    assert "Could not send a calendar file on channel slack" in caplog.text
    assert "BEGIN:VCALENDAR" not in caplog.text


def test_socketio_sends_the_payload_for_the_widget_to_download() -> None:
    emitted: list[tuple[Any, ...]] = []

    class Sio:
        async def emit(self, *args: Any, **kwargs: Any) -> None:
            emitted.append((*args, kwargs))

    message = {"type": "calendar_file", "filename": "a.ics", "content": "BEGIN:VCALENDAR"}
    asyncio.run(SocketIOOutput(Sio(), "bot_uttered").send_custom_json("s1", message))
    assert emitted == [("bot_uttered", {"custom": message}, {"room": "s1"})]


def test_only_a_well_formed_calendar_payload_is_a_file() -> None:
    assert calendar_file_of({"type": "calendar_file", "filename": "a.ics", "content": "X"}) == (
        "a.ics", b"X",
    )
    assert calendar_file_of({"type": "calendar_file", "filename": "a.ics"}) is None
    assert calendar_file_of({"type": "calendar_file", "content": "X"}) is None
    assert calendar_file_of({"type": "notice_summary", "content": "X"}) is None


def test_a_malformed_calendar_payload_is_dropped_on_telegram(fake: FakeApis) -> None:
    out = TelegramOutput("123456:test-token")
    asyncio.run(_telegram(out, out.send_custom_json("77", {"type": "calendar_file"})))
    assert fake.calls_to("telegram") == []
