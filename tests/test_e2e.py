"""End to end: `scripts/run.sh` starts both servers; a REST message gets the notice explained.

Needs a trained model (``make train``); ``make test`` trains before running this file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests
from e2e_servers import say

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def server(channel_stack) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The session's stack (scripts/run.sh on free ports, a fresh SQLite file): its Rasa URL."""
    stack, _ = channel_stack
    yield stack.base


_say = say


def test_greeting_buttons_carry_their_entity_and_log_no_error(channel_stack) -> None:  # type: ignore[no-untyped-def]
    # Rasa fills {placeholders} in button payloads; the domain doubles the braces of the JSON
    # entities so that it leaves them alone instead of logging an ERROR for every greeting.
    stack, _ = channel_stack
    before = len(stack.log())
    replies = _say(stack.base, "e2e-greeting", "hello")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert {"title": "LT11", "payload": '/report_notice{"notice_code": "LT11"}'} in buttons
    assert all("{{" not in b["payload"] for b in buttons)
    assert "interpolator" not in stack.log()[before:]


def test_reported_notice_is_explained_with_a_summary_card(server: str) -> None:
    replies = _say(server, "e2e-cp504", "I got a CP504")
    texts = " ".join(r.get("text", "") for r in replies)
    assert "CP504" in texts
    assert "levy" in texts.lower()
    cards = [
        r["custom"] for r in replies if (r.get("custom") or {}).get("type") == "notice_summary"
    ]
    assert len(cards) == 1
    card = cards[0]
    assert card["notice_code"] == "CP504"
    assert card["stage"] == "intent_to_levy"
    assert card["sources"] and all(url.startswith("http") for url in card["sources"])


def test_the_summary_card_message_also_carries_text(channel_stack) -> None:  # type: ignore[no-untyped-def]
    # The REST channel sends a message's text and its payload as two items; the bot message
    # itself (the tracker's "bot" event) must carry both, so text-only channels read well.
    stack, _ = channel_stack
    _say(stack.base, "e2e-card-text", "got a cp523")
    events = stack.tracker("e2e-card-text")
    cards = [e for e in events["events"] if e["event"] == "bot"
             and ((e.get("data") or {}).get("custom") or {}).get("type") == "notice_summary"]
    assert len(cards) == 1
    assert "CP523" in cards[0]["text"]


def test_letter_1058_with_a_date_gives_a_counted_deadline(server: str) -> None:
    replies = _say(server, "e2e-1058", "what does letter 1058 mean, it is dated november 2 2026")
    card = next(
        r["custom"] for r in replies if (r.get("custom") or {}).get("type") == "notice_summary"
    )
    assert card["notice_code"] == "LTR1058"
    assert card["notice_date"] == "2026-11-02"
    assert card["response_deadline"] == "2026-12-02"
    assert isinstance(card["days_left"], int)


def test_model_parse_returns_canonical_entities(channel_stack) -> None:  # type: ignore[no-untyped-def]
    stack, _ = channel_stack
    text = "i got a letter 1058 saying i owe $12,400"
    response = requests.post(f"{stack.base}/model/parse", json={"text": text},
                             params=stack.api_params(), timeout=30)
    response.raise_for_status()
    entities = {e["entity"]: e["value"] for e in response.json()["entities"]}
    assert entities["notice_code"] == "LTR1058"
    assert entities["amount"] == pytest.approx(12400.0)


def test_triage_through_rest_ends_with_a_route_card(server: str) -> None:
    sender = "e2e-triage"
    dated = dt.date.today() - dt.timedelta(days=3)  # within the LT11's 30 days, whatever today is
    _say(server, sender, f"i got an LT11 dated {dated:%B} {dated.day} {dated.year}".lower())
    _say(server, sender, "yes the amount is right")
    _say(server, sender, "no i cant pay all of it")
    replies = _say(server, sender, "no none of those")
    cards = [r["custom"] for r in replies
             if (r.get("custom") or {}).get("type") == "triage_result"]
    assert len(cards) == 1
    card = cards[0]
    assert card["route"] == "negotiate" and card["notice_code"] == "LT11"
    assert card["next_steps"] and card["reasons"]
