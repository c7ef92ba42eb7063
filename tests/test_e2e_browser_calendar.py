"""The web chat page's "Add to calendar" in a real browser (Debian's Chromium, Playwright): the
calendar file is a download made in the page under its strict CSP, and never stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from test_e2e_browser import (  # noqa: F401 (the fixtures are used by name)
    ARTIFACTS,
    bot_count,
    browser,
    expected_deadline,
    page,
    send,
    wait_for_replies,
)

from noticebot.clock import firm_today

pytestmark = pytest.mark.e2e


def test_add_to_calendar_downloads_the_ics_and_keeps_it_out_of_storage(page: Any) -> None:  # noqa: F811
    notice_date = firm_today() - dt.timedelta(days=5)
    deadline = expected_deadline(notice_date)
    before = bot_count(page)
    send(page, f"I got an LT11 dated {notice_date:%B} {notice_date.day}, {notice_date.year}")
    wait_for_replies(page, before)

    before = bot_count(page)
    page.locator("#nb-log .nb-buttons .nb-button", has_text="Add to calendar").last.click()
    wait_for_replies(page, before)
    card = page.locator('#nb-log .nb-card[data-card="calendar_file"]').last
    link = card.locator('[data-field="calendar_file"]')
    assert link.get_attribute("download") == "irs-lt11-dates.ics"
    assert str(link.get_attribute("href")).startswith("blob:")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "calendar_file_card.png"))

    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == "irs-lt11-dates.ics"
    content = Path(download.path()).read_bytes()
    events = Calendar.from_ical(content).walk("VEVENT")
    assert events[0].decoded("DTSTART") == deadline

    stored = page.evaluate("sessionStorage.getItem('noticebot.transcript')")
    assert "VCALENDAR" not in stored
    assert page.errors == []  # no CSP violation, no script error
