"""The channels' outputs: cards on Socket.IO, text and buttons on Slack and Telegram."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import InvalidConfigException, RasaException

from rasa_ext.channels import (
    CARD_TYPES,
    GREET,
    SLACK_BUTTON_TITLE_CHARS,
    SLACK_SECTION_CHARS,
    TELEGRAM_CALLBACK_DATA_BYTES,
    SlackInput,
    SlackOutput,
    SocketIOOutput,
    TelegramInput,
    TelegramOutput,
    shorten,
    split_text,
    start_is_greeting,
)
from tests.domain_files import load_domain

NOTICE_CARD = {"type": "notice_summary", "notice_code": "CP504", "days_left": 3}
BUTTONS = [{"title": f"Button {n}", "payload": f"/inform{{\"n\": {n}}}"} for n in range(8)]


class RecordingSio:
    """Stands in for python-socketio's AsyncServer: records emit calls."""

    def __init__(self) -> None:
        self.emitted: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    async def emit(self, *args: Any, **kwargs: Any) -> None:
        self.emitted.append((args, kwargs))


def test_socketio_sends_a_card_as_one_custom_message_in_the_conversation_room() -> None:
    sio = RecordingSio()
    asyncio.run(SocketIOOutput(sio, "bot_uttered").send_custom_json("session-1", NOTICE_CARD))
    assert sio.emitted == [(("bot_uttered", {"custom": NOTICE_CARD}), {"room": "session-1"})]


def slack_posts(monkeypatch: pytest.MonkeyPatch) -> tuple[SlackOutput, list[dict[str, Any]]]:
    out = SlackOutput("xoxb-test", "D1")
    posts: list[dict[str, Any]] = []

    async def post(channel: str, **kwargs: Any) -> None:
        posts.append({"channel": channel, **kwargs})

    monkeypatch.setattr(out, "_post_message", post)
    return out, posts


@pytest.mark.parametrize("card_type", sorted(CARD_TYPES))
def test_slack_drops_cards_but_not_other_custom_payloads(
    monkeypatch: pytest.MonkeyPatch, card_type: str
) -> None:
    out, posts = slack_posts(monkeypatch)
    asyncio.run(out.send_custom_json("U1", {"type": card_type}))
    assert posts == []
    asyncio.run(out.send_custom_json("U1", {"text": "a Slack-shaped payload"}))
    assert posts == [{"channel": "D1", "text": "a Slack-shaped payload", "as_user": True}]


def test_slack_shows_more_than_five_buttons_in_rows_of_five(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, posts = slack_posts(monkeypatch)
    asyncio.run(out.send_text_with_buttons("U1", "Which notice?", BUTTONS))
    (post,) = posts
    assert post["text"] == "Which notice?"
    section, *rows = post["blocks"]
    assert section["text"]["text"] == "Which notice?"
    assert [len(row["elements"]) for row in rows] == [5, 3]
    values = [e["value"] for row in rows for e in row["elements"]]
    assert values == [b["payload"] for b in BUTTONS]


def test_slack_splits_long_text_and_cuts_long_titles(monkeypatch: pytest.MonkeyPatch) -> None:
    out, posts = slack_posts(monkeypatch)
    text = "\n".join(f"Step {n}: " + "call the number on your notice " * 5 for n in range(40))
    title = "A button title far longer than Slack's seventy-five characters for a button"
    asyncio.run(out.send_text_with_buttons("U1", text, [{"title": title, "payload": "/affirm"}]))
    (post,) = posts
    sections = [b["text"]["text"] for b in post["blocks"] if b["type"] == "section"]
    assert len(sections) >= 2
    assert all(0 < len(part) <= SLACK_SECTION_CHARS for part in sections)
    assert " ".join(sections).split() == text.split()  # nothing lost, nothing added
    (button,) = post["blocks"][-1]["elements"]
    assert len(button["text"]["text"]) <= SLACK_BUTTON_TITLE_CHARS
    assert button["value"] == "/affirm"


def test_split_text_and_shorten() -> None:
    assert split_text("short", 10) == ["short"]
    assert split_text("aaaa bbbb cccc", 9) == ["aaaa", "bbbb cccc"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert shorten("abcdef", 10) == "abcdef"
    assert shorten("abcdefghijkl", 5) == "abcd\u2026"


def test_slack_client_uses_the_configured_api_address(monkeypatch: pytest.MonkeyPatch) -> None:
    from noticebot.settings import get_settings

    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/slack/api/")
    get_settings.cache_clear()
    try:
        assert SlackOutput("xoxb-test").client.base_url == "http://127.0.0.1:9/slack/api/"
    finally:
        get_settings.cache_clear()


def test_slack_token_without_a_signing_secret_is_refused() -> None:
    with pytest.raises(InvalidConfigException, match="signing secret"):
        SlackInput.from_credentials({"slack_token": "xoxb-test", "slack_signing_secret": ""})
    # Both empty: no error at start (the webhook answers 503, see tests/test_e2e_store.py).
    SlackInput.from_credentials({"slack_token": "", "slack_signing_secret": ""})


def telegram_sent(monkeypatch: pytest.MonkeyPatch) -> tuple[TelegramOutput, list[dict[str, Any]]]:
    out = TelegramOutput("123456:test-token")
    sent: list[dict[str, Any]] = []

    async def send_message(chat_id: Any, text: str, **kwargs: Any) -> None:
        sent.append({"chat_id": chat_id, "text": text, **kwargs})

    monkeypatch.setattr(out, "send_message", send_message)
    return out, sent


def test_telegram_lays_buttons_out_two_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    out, sent = telegram_sent(monkeypatch)
    asyncio.run(out.send_text_with_buttons("77", "Which notice?", BUTTONS))
    (message,) = sent
    rows = message["reply_markup"].inline_keyboard
    assert [len(row) for row in rows] == [2, 2, 2, 2]
    assert [b.callback_data for row in rows for b in row] == [b["payload"] for b in BUTTONS]


def test_telegram_refuses_a_payload_longer_than_its_callback_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, sent = telegram_sent(monkeypatch)
    long = [{"title": "Too long", "payload": "/inform" + "x" * TELEGRAM_CALLBACK_DATA_BYTES}]
    with pytest.raises(RasaException, match="64 bytes"):
        asyncio.run(out.send_text_with_buttons("77", "text", long))
    assert sent == []


def test_telegram_drops_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    out, sent = telegram_sent(monkeypatch)
    asyncio.run(out.send_custom_json("77", dict(NOTICE_CARD)))
    assert sent == []


async def ignore(_: UserMessage) -> None:
    return None


def test_a_telegram_token_without_the_bot_username_is_refused_at_start() -> None:
    channel = TelegramInput.from_credentials({"access_token": "123456:test-token", "verify": ""})
    with pytest.raises(RasaException, match="TELEGRAM_BOT_USERNAME"):
        channel.blueprint(ignore)


def test_the_bot_username_may_be_written_with_its_at_sign() -> None:
    channel = TelegramInput.from_credentials(
        {"access_token": "123456:test-token", "verify": " @notice_helper_bot "})
    assert channel.verify == "notice_helper_bot"


def test_a_malformed_telegram_token_names_the_setting() -> None:
    channel = TelegramInput.from_credentials({"access_token": "not-a-token", "verify": "bot"})

    with pytest.raises(RasaException, match="TELEGRAM_TOKEN"):
        channel.blueprint(ignore)


@pytest.mark.parametrize(
    ("text", "becomes"),
    [("/start", GREET), ("/start@notice_helper_bot", GREET), ("  /start campaign-7 ", GREET),
     ("/started", "/started"), ("please /start", "please /start"), ("I got a CP504", None)],
)
def test_telegram_start_is_a_greeting(text: str, becomes: str | None) -> None:
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.text or "")

    asyncio.run(start_is_greeting(on_new_message)(UserMessage(text)))
    assert seen == [becomes or text]


def domain_buttons() -> list[dict[str, str]]:
    domain = load_domain()
    return [
        button
        for variations in domain["responses"].values()
        for variation in variations
        for button in variation.get("buttons", [])
    ]


def test_every_button_payload_fits_telegram_callback_data() -> None:
    buttons = domain_buttons()
    assert len(buttons) >= 10
    too_long = [b["payload"] for b in buttons
                if len(b["payload"].encode()) > TELEGRAM_CALLBACK_DATA_BYTES]
    assert too_long == []


def test_no_message_mentions_a_card_or_an_internal_name() -> None:
    # Slack and Telegram show no card, and the web shows the card itself: a message never
    # speaks about "the card" (it reads well alone everywhere).
    domain = load_domain()
    for name, variations in domain["responses"].items():
        for variation in variations:
            text = variation["text"].lower()
            for money_card in ("credit card", "debit card", "card number", " or card"):
                text = text.replace(money_card, "")
            assert "card" not in text, name
            assert "why_not" not in text and "get_help" not in text, name
