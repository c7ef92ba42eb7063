"""End to end: "Add to calendar" on REST, Telegram (sendDocument) and Slack (file upload), through
the real servers and the local fake APIs (``tests/fake_apis.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from e2e_servers import Stack, say
from fake_apis import FakeApis
from icalendar import Calendar
from test_e2e_channels import (
    keyboard,
    notice_date_words,
    sent_to,
    slack_button_click,
    slack_buttons,
    slack_message_event,
    slack_post,
    telegram_button_press,
    telegram_message,
    telegram_post,
)

pytestmark = pytest.mark.e2e

BUTTON = '/add_to_calendar{"notice_code": "LT11"}'
# Telegram and Slack offer reminders in the chat beside the file (noticebot/reminders.py)
REMIND = '/set_reminders{"notice_code": "LT11"}'


def lt11_dates(days_ago: int) -> tuple[str, dt.date]:
    """An LT11 dated ``days_ago`` days back, and its last day (30 days on, past weekends and
    DC holidays: at least the 30th day)."""
    notice = dt.date.today() - dt.timedelta(days=days_ago)
    return notice_date_words(days_ago), notice + dt.timedelta(days=30)


def offer(replies: list[dict[str, Any]]) -> dict[str, Any]:
    (found,) = [r for r in replies if r.get("buttons") and "calendar" in r.get("text", "")]
    return found


def test_rest_offers_the_calendar_and_the_button_returns_the_ics(
    channel_stack: tuple[Stack, FakeApis],
) -> None:
    stack, _ = channel_stack
    words, earliest = lt11_dates(5)
    replies = say(stack.base, "e2e-calendar", f"I got an LT11 dated {words}")
    assert offer(replies)["buttons"] == [{"title": "Add to calendar", "payload": BUTTON}]

    replies = say(stack.base, "e2e-calendar", BUTTON)
    assert "Here is a calendar file for your LT11" in replies[0]["text"]
    (payload,) = [r["custom"] for r in replies
                  if (r.get("custom") or {}).get("type") == "calendar_file"]
    assert payload["filename"] == "irs-lt11-dates.ics"
    events = Calendar.from_ical(payload["content"]).walk("VEVENT")
    first = events[0].decoded("DTSTART")
    assert earliest <= first <= earliest + dt.timedelta(days=4)
    assert [a.decoded("TRIGGER") for a in events[0].walk("VALARM")] == [
        -dt.timedelta(days=7), -dt.timedelta(days=1),
    ]
    assert "Do you agree with the amount" in replies[-1]["text"]  # the question again


def test_telegram_sends_the_calendar_file_as_a_document(
    channel_stack: tuple[Stack, FakeApis],
) -> None:
    stack, fake = channel_stack
    chat = 7301
    words, _ = lt11_dates(3)
    before = len(fake.calls_to("telegram", "sendMessage"))
    telegram_post(stack, telegram_message(chat, f"I got an LT11 dated {words}"))
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before,
                                  lambda c: "Do you agree with the amount" in
                                  str(c.params.get("text"))), chat)
    offers = [c for c in calls
              if keyboard(c) == [[("Add to calendar", BUTTON), ("Remind me here", REMIND)]]]
    assert len(offers) == 1

    documents = len(fake.calls_to("telegram", "sendDocument"))
    assert telegram_post(stack, telegram_button_press(chat, BUTTON)).status_code == 200
    (document,) = sent_to(fake.wait_for("telegram", "sendDocument", documents), chat)
    assert document.params["document.filename"] == "irs-lt11-dates.ics"
    assert Calendar.from_ical(document.params["document"] + "\r\n").walk("VEVENT")


def test_slack_uploads_the_calendar_file(channel_stack: tuple[Stack, FakeApis]) -> None:
    stack, fake = channel_stack
    words, _ = lt11_dates(2)
    before = len(fake.calls_to("slack", "chat.postMessage"))
    slack_post(stack, slack_message_event("U0CAL", "D0CAL", f"I got an LT11 dated {words}"),
               "application/json")
    calls = fake.wait_for("slack", "chat.postMessage", before,
                          lambda c: "Do you agree with the amount" in str(c.params.get("text")))
    assert [[("Add to calendar", BUTTON), ("Remind me here", REMIND)]] in [
        slack_buttons(c) for c in calls]

    uploads = len(fake.calls_to("slack", "files.completeUploadExternal"))
    click = slack_button_click("U0CAL", "D0CAL", "Add to calendar", BUTTON)
    assert slack_post(stack, click, "application/x-www-form-urlencoded").status_code == 200
    (completed,) = fake.wait_for("slack", "files.completeUploadExternal", uploads)
    assert completed.params["channel_id"] == "D0CAL"
    (file,) = completed.params["files"]
    (uploaded,) = [c for c in fake.calls_to("slack-upload") if c.method == file["id"]]
    assert Calendar.from_ical(uploaded.params["data"]).walk("VEVENT")
