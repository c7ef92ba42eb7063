"""The web chat page in a real browser: Debian's Chromium driven by Playwright.

The page is served by ``scripts/run.sh`` (the chat page server) and talks to the real Rasa
server's Socket.IO channel. Screenshots go to ``test-artifacts/browser/``.

Chromium comes from Debian (``apt-get install chromium``; ``.ci/run`` installs it): Playwright's
own browser download is never used. Without it the tests skip, except with ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import holidays
import pytest
from e2e_servers import Stack
from fake_apis import FakeApis

from noticebot.clock import firm_today
from noticebot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
REPLY_TIMEOUT_MS = 60_000


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not found:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, channel_stack: tuple[Stack, FakeApis],
         request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context on the chat page, with dialogs and console errors recorded; a
    screenshot is saved when the test ends, passed or failed."""
    stack, _ = channel_stack
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(stack.web + "/")
    wait_connected(page)
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        context.close()


def wait_connected(page: Any) -> None:
    """Wait for the widget's status line (the page's CSP forbids wait_for_function's eval)."""
    from playwright.sync_api import expect

    expect(page.locator("#nb-status")).to_have_text("Connected", timeout=REPLY_TIMEOUT_MS)


def bot_count(page: Any) -> int:
    return int(page.locator("#nb-log .nb-bot").count())


def send(page: Any, text: str) -> None:
    page.fill("#nb-input", text)
    page.press("#nb-input", "Enter")


def wait_for_replies(page: Any, before: int) -> None:
    """Wait until the bot has said something after ``before`` messages and gone quiet."""
    waited = 0
    while bot_count(page) <= before:
        if waited > REPLY_TIMEOUT_MS:
            pytest.fail(f"no reply within {REPLY_TIMEOUT_MS} ms")
        page.wait_for_timeout(200)
        waited += 200
    quiet, last = 0, bot_count(page)
    while quiet < 3:  # 1.5 s without a new message
        page.wait_for_timeout(500)
        now = bot_count(page)
        quiet, last = (quiet + 1, last) if now == last else (0, now)


def click_button(page: Any, title: str) -> None:
    before = bot_count(page)
    page.locator("#nb-log .nb-buttons .nb-button", has_text=title).last.click()
    wait_for_replies(page, before)


def expected_deadline(notice_date: dt.date, days: int = 30) -> dt.date:
    """Notice date + days, moved past weekends and DC legal holidays (IRC 7503)."""
    day = notice_date + dt.timedelta(days=days)
    dc = holidays.country_holidays("US", subdiv="DC", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in dc:
        day += dt.timedelta(days=1)
    return day


def test_notice_with_a_date_then_triage_buttons_show_the_deadline_and_route(page: Any) -> None:
    notice_date = firm_today() - dt.timedelta(days=5)
    deadline = expected_deadline(notice_date)
    before = bot_count(page)
    send(page, f"I got an LT11 dated {notice_date:%B} {notice_date.day}, {notice_date.year}")
    wait_for_replies(page, before)

    card = page.locator('#nb-log .nb-card[data-card="notice_summary"]').last
    assert card.locator('[data-field="notice_code"]').inner_text() == "LT11"
    assert card.locator('[data-field="response_deadline"]').get_attribute("data-value") == (
        deadline.isoformat())
    days_left = (deadline - firm_today()).days
    assert card.locator('[data-field="days_left"]').get_attribute("data-value") == str(days_left)
    assert f"{days_left} days left" in card.inner_text()
    assert f"{deadline:%b} {deadline.day}, {deadline.year}" in card.inner_text()
    # an open hearing window (it does not come back) keeps an LT11 at least "soon"
    urgency = "urgent" if days_left <= 7 else "soon"
    assert card.get_attribute("data-urgency") == urgency
    # the page says it once, above the chat; the web chat does not repeat it in the log
    assert "not legal or tax advice" in page.locator(".nb-disclaimer").inner_text()
    assert "not legal or tax advice" not in page.locator("#nb-log").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "notice_summary_card.png"))

    click_button(page, "Yes, it's right")
    click_button(page, "No, not all of it")
    click_button(page, "No, none of these")

    route = page.locator('#nb-log .nb-card[data-card="triage_result"]').last
    assert route.locator('[data-field="route"]').get_attribute("data-value") == "negotiate"
    assert "LT11" in route.locator('[data-field="notice_code"]').inner_text()
    assert "9465" in route.locator('[data-field="forms"]').inner_text()
    assert route.locator('[data-field="next_steps"] li').count() >= 1
    route.screenshot(path=str(ARTIFACTS / "triage_result_card.png"))

    # The negotiate route offers a person: consent, details, read-back, then the saved case.
    click_button(page, "Yes, please contact me")
    for answer in ("Jane Doe", "jane.doe@example.com", "skip"):
        before = bot_count(page)
        send(page, answer)
        wait_for_replies(page, before)
    click_button(page, "Yes, that's right")
    case = page.locator('#nb-log .nb-card[data-card="case_created"]').last
    case_id = case.locator('[data-field="case_id"]').inner_text().strip()
    assert len(case_id) >= 8
    texts = " ".join(page.locator("#nb-log .nb-bot:not(:has(.nb-card))").all_inner_texts())
    assert f"saved as case {case_id}" in texts
    assert page.errors == []


def test_the_conversation_survives_a_reload(page: Any) -> None:
    notice_date = firm_today() - dt.timedelta(days=2)
    before = bot_count(page)
    send(page, f"I got an LT11 dated {notice_date:%B} {notice_date.day}, {notice_date.year}")
    wait_for_replies(page, before)
    session = page.evaluate("sessionStorage.getItem('noticebot.session_id')")
    shown = page.locator("#nb-log").inner_text()

    page.reload()
    wait_connected(page)
    assert page.evaluate("sessionStorage.getItem('noticebot.session_id')") == session
    assert page.locator("#nb-log").inner_text() == shown
    assert page.locator('#nb-log .nb-card[data-card="notice_summary"]').count() == 1

    # The server kept the conversation: the triage question is answered in its context.
    click_button(page, "Yes, it's right")
    assert "pay the full amount now" in page.locator("#nb-log .nb-bot").last.inner_text()


def test_the_stored_transcript_holds_what_the_server_kept_not_what_was_typed(page: Any) -> None:
    before = bot_count(page)
    send(page, "my ssn is 219-09-9999 and my card is 4111 1111 1111 1111")
    wait_for_replies(page, before)
    stored = page.evaluate("sessionStorage.getItem('noticebot.transcript')")
    assert "[SSN removed]" in stored and "[card number removed]" in stored
    assert "219-09-9999" not in stored and "4111" not in stored
    # The bubble shows the server's copy too; a session token the server signed is kept.
    assert "[SSN removed]" in page.locator("#nb-log .nb-user").last.inner_text()
    token = page.evaluate("sessionStorage.getItem('noticebot.session_id')")
    assert len(token.split(".")) == 2 and len(token.split(".")[0]) == 32


def test_html_typed_by_a_person_is_shown_as_text_and_never_runs(page: Any) -> None:
    attacks = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]
    for attack in attacks:
        before = bot_count(page)
        send(page, attack)
        wait_for_replies(page, before)
    users = page.locator("#nb-log .nb-user").all_inner_texts()
    assert users[-2:] == attacks
    assert page.locator("#nb-log img, #nb-log script").count() == 0
    page.wait_for_timeout(1000)
    assert page.dialogs == []


def test_a_tampered_stored_transcript_is_still_shown_as_text(page: Any) -> None:
    """What the widget re-renders after a reload comes from sessionStorage, which a script or
    an extension could have changed: bot texts, buttons and cards carrying markup must stay text,
    and a javascript: source must not become a link."""
    html = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    transcript = [
        {"from": "user", "text": html},
        {"from": "bot", "msg": {"text": html + " see javascript:alert(3)"}},
        {"from": "bot", "msg": {"text": "Pick one", "quick_replies": [
            {"content_type": "text", "title": html, "payload": "/affirm"}]}},
        {"from": "bot", "msg": {"custom": {
            "type": "notice_summary", "notice_code": html, "title": html, "stage": html,
            "notice_date": "2026-11-02", "response_deadline": "<b>x</b>", "days_left": html,
            "urgency": "\" onmouseover=alert(4) x=\"",
            "sources": ["javascript:alert(5)", "https://www.irs.gov/<img src=x>"]}}},
        {"from": "bot", "msg": {"custom": {
            "type": "triage_result", "route": html, "notice_code": html, "reasons": [html],
            "next_steps": [html], "forms": [html]}}},
        {"from": "bot", "msg": {"custom": {"type": "case_created", "case_id": html}}},
    ]
    page.evaluate("t => sessionStorage.setItem('noticebot.transcript', JSON.stringify(t))",
                  transcript)
    page.reload()
    wait_connected(page)
    log = page.locator("#nb-log")
    assert html in log.inner_text()
    # The notice card and the case card are drawn with the markup as text (the triage card,
    # whose route is not one of the four, is dropped); the button's title is text too.
    assert page.locator('#nb-log .nb-card[data-card="notice_summary"]').count() == 1
    assert html in page.locator('#nb-log [data-card="case_created"]').inner_text()
    assert page.locator("#nb-log .nb-button").all_inner_texts() == [html]
    assert page.locator("#nb-log img, #nb-log script, #nb-log b").count() == 0
    hrefs = page.locator("#nb-log a").evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    assert page.locator("#nb-log [onmouseover], #nb-log [onerror]").count() == 0
    page.wait_for_timeout(1000)
    assert page.dialogs == []


def test_phone_width_and_keyboard_only(browser: Any, channel_stack: tuple[Stack, FakeApis]) -> None:
    stack, _ = channel_stack
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(stack.web + "/")
        wait_connected(page)
        page.locator("#nb-input").focus()
        page.keyboard.type("hello")
        page.keyboard.press("Enter")
        wait_for_replies(page, 0)
        # The greeting's notice buttons are reachable with Tab and pressed with Enter.
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent")
            if focused == "LT11":
                break
        else:
            pytest.fail("Tab never reached the LT11 button")
        before = bot_count(page)
        page.keyboard.press("Enter")
        wait_for_replies(page, before)
        assert "LT11" in page.locator("#nb-log .nb-user").last.inner_text()
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360
        assert page.locator("#nb-input").is_visible()
        assert page.locator("#nb-input").bounding_box()["y"] < 740
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone_width_and_keyboard_only.png"))
        context.close()


def test_the_page_is_served_with_a_strict_content_security_policy(
    channel_stack: tuple[Stack, FakeApis],
) -> None:
    import requests

    stack, _ = channel_stack
    response = requests.get(stack.web + "/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert stack.base.replace("http://", "ws://") in policy
    for hidden in ("/package.json", "/node_modules/socket.io-client/package.json", "/../README.md"):
        assert requests.get(stack.web + hidden, timeout=10).status_code == 404
    assert requests.get(stack.web + "/vendor/socket.io.min.js", timeout=10).ok
    assert Path(PROJECT_ROOT / "web" / "index.html").read_text() == response.text
