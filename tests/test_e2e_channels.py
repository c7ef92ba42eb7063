"""End to end: Slack and Telegram, through Rasa's webhooks, answered on a local fake of their APIs.

Slack events and interactivity payloads are signed with the signing secret as Slack signs them;
Telegram updates carry the webhook's secret token header. The replies are read from the calls
the connectors made to the fake (``tests/fake_apis.py``); nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from e2e_servers import Stack
from fake_apis import (
    SLACK_SIGNING_SECRET,
    SLACK_TOKEN,
    TELEGRAM_BOT_USERNAME,
    TELEGRAM_SECRET_TOKEN,
    TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_URL,
    Call,
    FakeApis,
)

pytestmark = pytest.mark.e2e

SLACK_BOT_USER = "U0NOTICEBOT"


def notice_date_words(days_ago: int) -> str:
    """A notice date a few days back, written as a person would ("November 20, 2026")."""
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return f"{day:%B} {day.day}, {day.year}"


# ------------------------------------------------------------------------------ Slack


def slack_headers(body: bytes, secret: str = SLACK_SIGNING_SECRET,
                  timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds: the request time and the v0 HMAC-SHA256 signature."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def slack_message_event(user: str, channel: str, text: str) -> bytes:
    """An Events API ``event_callback`` for a direct message, as Slack posts it."""
    ts = f"{time.time():.6f}"
    return json.dumps({
        "token": "unused-verification-token",
        "team_id": "T0FIRM",
        "api_app_id": "A0NOTICE",
        "event": {
            "client_msg_id": str(uuid.uuid4()),
            "type": "message",
            "text": text,
            "user": user,
            "ts": ts,
            "team": "T0FIRM",
            "channel": channel,
            "event_ts": ts,
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {"enterprise_id": None, "team_id": "T0FIRM", "user_id": SLACK_BOT_USER,
             "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }).encode()


def slack_button_click(user: str, channel: str, title: str, value: str) -> bytes:
    """An interactivity ``block_actions`` payload (form-encoded), as Slack posts a click."""
    ts = f"{time.time():.6f}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "pat", "name": "pat", "team_id": "T0FIRM"},
        "api_app_id": "A0NOTICE",
        "token": "unused-verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                      "is_ephemeral": False},
        "trigger_id": "1111.2222.abcd",
        "team": {"id": "T0FIRM", "domain": "firm"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": ts, "text": "question", "user": SLACK_BOT_USER},
        "response_url": "https://hooks.slack.invalid/actions/T0FIRM/1/x",
        "actions": [
            {"action_id": "a1", "block_id": "b1", "type": "button", "value": value,
             "text": {"type": "plain_text", "text": title, "emoji": True}, "action_ts": ts}
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def slack_post(stack: Stack, body: bytes, content_type: str, **signing: Any) -> requests.Response:
    headers = {"Content-Type": content_type, **slack_headers(body, **signing)}
    return requests.post(f"{stack.base}/webhooks/slack/webhook", data=body, headers=headers,
                         timeout=30)


def slack_texts(calls: list[Call]) -> str:
    return " ".join(str(c.params.get("text", "")) for c in calls)


def slack_buttons(call: Call) -> list[list[tuple[str, str]]]:
    """The rows of buttons of one posted message: (title, value) pairs per actions block."""
    return [
        [(e["text"]["text"], e["value"]) for e in block["elements"]]
        for block in call.params.get("blocks") or []
        if block["type"] == "actions"
    ]


@pytest.fixture(scope="module")
def slack(channel_stack: tuple[Stack, FakeApis]) -> tuple[Stack, FakeApis]:
    return channel_stack


def test_slack_dm_gets_the_notice_explained_with_buttons(slack: tuple[Stack, FakeApis]) -> None:
    stack, fake = slack
    before = len(fake.calls_to("slack", "chat.postMessage"))
    body = slack_message_event(
        "U0PAT", "D0PAT", f"I got an LT11 dated {notice_date_words(3)}"
    )
    answer = slack_post(stack, body, "application/json")
    assert answer.status_code == 200

    calls = fake.wait_for("slack", "chat.postMessage", before,
                          lambda c: "Do you agree with the amount" in str(c.params.get("text")))
    assert {c.params["channel"] for c in calls} == {"D0PAT"}
    assert all(c.headers.get("Authorization") == f"Bearer {SLACK_TOKEN}" for c in calls)
    said = slack_texts(calls)
    assert "LT11: Notice of intent to levy" in said
    assert "not legal or tax advice" in said  # no banner on Slack or Telegram: said once
    assert "Summary card" not in said  # the web's wording stays on the web
    assert "Collection Due Process hearing (Form 12153)" in said
    # The card payloads are not posted as messages: every post has text.
    assert all(c.params.get("text") for c in calls)
    question = calls[-1]
    assert slack_buttons(question) == [
        [("Yes, it's right", "/affirm"), ("No, it's wrong", "/deny")]
    ]


def test_slack_button_click_continues_the_conversation(slack: tuple[Stack, FakeApis]) -> None:
    stack, fake = slack
    before = len(fake.calls_to("slack", "chat.postMessage"))
    slack_post(stack, slack_message_event("U0KIM", "D0KIM", f"I got an LT11 dated "
                                          f"{notice_date_words(2)}"), "application/json")
    fake.wait_for("slack", "chat.postMessage", before,
                  lambda c: "Do you agree with the amount" in str(c.params.get("text")))

    before = len(fake.calls_to("slack", "chat.postMessage"))
    click = slack_button_click("U0KIM", "D0KIM", "Yes, it's right", "/affirm")
    answer = slack_post(stack, click, "application/x-www-form-urlencoded")
    assert answer.status_code == 200
    calls = fake.wait_for("slack", "chat.postMessage", before,
                          lambda c: "pay the full amount now" in str(c.params.get("text")))
    assert slack_buttons(calls[-1]) == [
        [("Yes, I can pay it all", "/affirm"), ("No, not all of it", "/deny")]
    ]
    assert {c.params["channel"] for c in calls} == {"D0KIM"}


def test_slack_greeting_shows_all_eight_notice_buttons_in_rows_of_five(
    slack: tuple[Stack, FakeApis],
) -> None:
    stack, fake = slack
    before = len(fake.calls_to("slack", "chat.postMessage"))
    slack_post(stack, slack_message_event("U0LEE", "D0LEE", "hello"), "application/json")
    calls = fake.wait_for("slack", "chat.postMessage", before, lambda c: bool(slack_buttons(c)))
    rows = slack_buttons(next(c for c in calls if slack_buttons(c)))
    assert [len(row) for row in rows] == [5, 3]
    assert ("LT11", '/report_notice{"notice_code": "LT11"}') in rows[0] + rows[1]


def test_slack_request_with_a_forged_signature_is_refused(slack: tuple[Stack, FakeApis]) -> None:
    stack, fake = slack
    before = len(fake.calls_to("slack", "chat.postMessage"))
    body = slack_message_event("U0EVE", "D0EVE", "I got a CP504")
    forged = slack_post(stack, body, "application/json", secret="not-the-signing-secret")
    assert forged.status_code == 400
    # A valid signature of other content does not pass either.
    other = slack_message_event("U0EVE", "D0EVE", "hello")
    replayed = requests.post(
        f"{stack.base}/webhooks/slack/webhook", data=body,
        headers={"Content-Type": "application/json", **slack_headers(other)}, timeout=30,
    )
    assert replayed.status_code == 400
    stale = slack_post(stack, body, "application/json", timestamp=int(time.time()) - 600)
    assert stale.status_code == 400
    time.sleep(3)
    assert fake.calls_to("slack", "chat.postMessage")[before:] == []


def test_a_replayed_slack_request_is_not_processed_twice(slack: tuple[Stack, FakeApis]) -> None:
    stack, fake = slack
    body = slack_message_event("U0RAY", "D0RAY", "hello")
    headers = {"Content-Type": "application/json", **slack_headers(body)}
    url = f"{stack.base}/webhooks/slack/webhook"
    before = len(fake.calls_to("slack", "chat.postMessage"))
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    first = fake.wait_for("slack", "chat.postMessage", before, lambda c: bool(slack_buttons(c)))
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    time.sleep(4)
    assert len(fake.calls_to("slack", "chat.postMessage")[before:]) == len(first)


def test_slack_message_with_an_ssn_gets_the_warning(slack: tuple[Stack, FakeApis]) -> None:
    stack, fake = slack
    before = len(fake.calls_to("slack", "chat.postMessage"))
    slack_post(stack, slack_message_event("U0SAM", "D0SAM", "my ssn is 219-09-9999 help"),
               "application/json")
    calls = fake.wait_for("slack", "chat.postMessage", before,
                          lambda c: "removed what looked like" in str(c.params.get("text")))
    assert "219-09-9999" not in slack_texts(calls)


# ------------------------------------------------------------------------------ Telegram


_update_ids = iter(range(1000, 10**6))


def telegram_user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Pat", "language_code": "en"}


def telegram_message(chat_id: int, text: str) -> dict[str, Any]:
    """A private-chat text message update, as Telegram posts it to the webhook."""
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "from": telegram_user(chat_id),
        "chat": {"id": chat_id, "first_name": "Pat", "type": "private"},
        "date": int(time.time()),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"offset": 0, "length": len(text.split()[0]),
                                "type": "bot_command"}]
    return {"update_id": next(_update_ids), "message": message}


def telegram_button_press(chat_id: int, data: str) -> dict[str, Any]:
    """A ``callback_query`` update: the person pressed an inline button carrying ``data``."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids) * 7919),
            "from": telegram_user(chat_id),
            "message": {
                "message_id": next(_update_ids),
                "from": {"id": 4242, "is_bot": True, "first_name": "Notice helper",
                         "username": TELEGRAM_BOT_USERNAME},
                "chat": {"id": chat_id, "first_name": "Pat", "type": "private"},
                "date": int(time.time()),
                "text": "question",
            },
            "chat_instance": "-5551234",
            "data": data,
        },
    }


def telegram_post(stack: Stack, update: dict[str, Any],
                  secret: str | None = TELEGRAM_SECRET_TOKEN) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(f"{stack.base}/webhooks/telegram/webhook", json=update,
                         headers=headers, timeout=60)


def keyboard(call: Call) -> list[list[tuple[str, str]]]:
    """The inline keyboard of a sent message: rows of (text, callback_data)."""
    markup = call.params.get("reply_markup") or {}
    return [[(b["text"], b["callback_data"]) for b in row]
            for row in markup.get("inline_keyboard", [])]


def sent_to(calls: list[Call], chat_id: int) -> list[Call]:
    return [c for c in calls if str(c.params.get("chat_id")) == str(chat_id)]


@pytest.fixture(scope="module")
def telegram(channel_stack: tuple[Stack, FakeApis]) -> tuple[Stack, FakeApis]:
    return channel_stack


def test_telegram_webhook_is_registered_with_the_secret_token(
    telegram: tuple[Stack, FakeApis],
) -> None:
    _, fake = telegram
    registrations = fake.calls_to("telegram", "setWebhook")
    assert registrations, "the server did not register its webhook at start"
    assert registrations[0].params["url"] == TELEGRAM_WEBHOOK_URL
    assert registrations[0].params["secret_token"] == TELEGRAM_SECRET_TOKEN
    assert registrations[0].params["token"] == TELEGRAM_TOKEN


def test_telegram_re_registration_keeps_the_secret(telegram: tuple[Stack, FakeApis]) -> None:
    stack, fake = telegram
    before = len(fake.calls_to("telegram", "setWebhook"))
    answer = requests.get(f"{stack.base}/webhooks/telegram/set_webhook", timeout=30,
                          headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET_TOKEN})
    assert answer.status_code == 200
    (again,) = fake.calls_to("telegram", "setWebhook")[before:]
    assert again.params["secret_token"] == TELEGRAM_SECRET_TOKEN


def test_telegram_start_greets_with_notice_buttons_that_fit_callback_data(
    telegram: tuple[Stack, FakeApis],
) -> None:
    stack, fake = telegram
    before = len(fake.calls_to("telegram", "sendMessage"))
    assert telegram_post(stack, telegram_message(7001, "/start")).status_code == 200
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before, lambda c: bool(keyboard(c))),
                    7001)
    greeting = next(c for c in calls if keyboard(c))
    assert "Which notice did you get?" in greeting.params["text"]
    rows = keyboard(greeting)
    assert all(len(row) <= 2 for row in rows)
    buttons = [b for row in rows for b in row]
    assert len(buttons) == 8
    assert ("Letter 1058", '/report_notice{"notice_code": "LTR1058"}') in buttons
    assert all(len(data.encode()) <= 64 for _, data in buttons)


def test_telegram_notice_then_button_press_walks_the_triage(
    telegram: tuple[Stack, FakeApis],
) -> None:
    stack, fake = telegram
    chat = 7002
    before = len(fake.calls_to("telegram", "sendMessage"))
    telegram_post(stack, telegram_message(chat, f"I got an LT11 dated {notice_date_words(4)}"))
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before,
                                  lambda c: "Do you agree with the amount" in
                                  str(c.params.get("text"))), chat)
    said = " ".join(str(c.params["text"]) for c in calls)
    assert "LT11: Notice of intent to levy" in said
    assert "not legal or tax advice" in said  # no banner on Slack or Telegram: said once
    assert "Summary card" not in said
    assert keyboard(calls[-1]) == [[("Yes, it's right", "/affirm"), ("No, it's wrong", "/deny")]]
    # Only text went out: no card JSON became some other Telegram method (a calendar file is
    # a document only when asked for: tests/test_e2e_calendar.py, other chats).
    assert {c.method for c in fake.calls_to("telegram")
            if c.method != "sendDocument" or sent_to([c], chat)} <= {
        "getMe", "sendMessage", "setWebhook", "answerCallbackQuery"}

    before = len(fake.calls_to("telegram", "sendMessage"))
    acknowledged = len(fake.calls_to("telegram", "answerCallbackQuery"))
    press = telegram_button_press(chat, "/affirm")
    assert telegram_post(stack, press).status_code == 200
    calls = sent_to(fake.wait_for("telegram", "sendMessage", before,
                                  lambda c: "pay the full amount now" in
                                  str(c.params.get("text"))), chat)
    assert keyboard(calls[-1]) == [[("Yes, I can pay it all", "/affirm"),
                                    ("No, not all of it", "/deny")]]
    answers = fake.calls_to("telegram", "answerCallbackQuery")[acknowledged:]
    assert [a.params["callback_query_id"] for a in answers] == [press["callback_query"]["id"]]


@pytest.mark.parametrize("path", ["webhook", "webhook/", "webhook//"])
@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_telegram_update_without_the_secret_token_is_refused(
    telegram: tuple[Stack, FakeApis], secret: str | None, path: str,
) -> None:
    stack, fake = telegram
    before = len(fake.calls_to("telegram", "sendMessage"))
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    answer = requests.post(f"{stack.base}/webhooks/telegram/{path}", headers=headers,
                           json=telegram_message(7003, "I got a CP504"), timeout=30)
    assert answer.status_code in (403, 404)  # refused, or no such route
    time.sleep(2)
    assert sent_to(fake.calls_to("telegram", "sendMessage")[before:], 7003) == []


@pytest.mark.parametrize("path", ["set_webhook", "set_webhook/"])
def test_telegram_re_registration_needs_the_secret(
    telegram: tuple[Stack, FakeApis], path: str,
) -> None:
    stack, fake = telegram
    before = len(fake.calls_to("telegram", "setWebhook"))
    answer = requests.get(f"{stack.base}/webhooks/telegram/{path}", timeout=30)
    assert answer.status_code in (403, 404)
    assert fake.calls_to("telegram", "setWebhook")[before:] == []
