"""End to end: a simulated person plays each scenario of tests/e2e_scenarios/scenarios.yml
through the REST channel (answers by button or typed, digressions, intake), and the messages of
the issue that used to go wrong are sent as people write them.

Every date is relative to today in the firm's time zone (the servers' clock), so these tests
never go stale. Needs a trained model; `make test` trains first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from e2e_scenarios.simulator import (
    APOLOGY,
    NOT_UNDERSTOOD,
    check,
    load_scenarios,
    next_business_day,
    play,
)
from e2e_servers import say

from noticebot.clock import firm_today

pytestmark = pytest.mark.e2e

SCENARIOS = load_scenarios()


@pytest.fixture(scope="module")
def base(channel_stack) -> str:  # type: ignore[no-untyped-def]
    """The session's stack (scripts/run.sh on free ports): its Rasa URL."""
    stack, _ = channel_stack
    return str(stack.base)


def conversation(base: str) -> Callable[[str], list[dict[str, Any]]]:
    """A new conversation: send one message, get the replies."""
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    return lambda text: say(base, sender, text)


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [r["text"] for r in replies if r.get("text")]


def cards(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies
            if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def test_there_are_enough_scenarios_and_every_route_is_played() -> None:
    assert len(SCENARIOS) >= 60
    routes = {scenario["expect"]["route"] for scenario in SCENARIOS}
    assert routes == {"pay", "negotiate", "appeal", "get_help"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_a_person_is_led_to_the_right_route(base: str, scenario: dict[str, Any]) -> None:
    run = play(scenario, conversation(base), firm_today())
    problems = check(run)
    assert not problems, f"{problems}\n{run.transcript()}"


def _day(days: int) -> dt.date:
    return firm_today() + dt.timedelta(days=days)


def test_a_dispute_with_a_notice_and_a_date_is_understood_and_explained_first(base: str) -> None:
    dated = _day(-25)
    send = conversation(base)
    replies = send(f"letter 1058 dated {dated:%m/%d/%Y} says i owe 12,480 but they never applied "
                   f"my march payment. how do i fight this")
    assert not any(text.startswith(NOT_UNDERSTOOD) for text in texts(replies))
    card = cards(replies, "notice_summary")[0]
    assert (card["notice_code"], card["notice_date"]) == ("LTR1058", dated.isoformat())
    assert replies[0].get("text", "").startswith("A quick note") or "LTR1058" in texts(replies)[0]


def test_two_notices_keep_their_own_dates_and_an_open_window_is_not_called_closed(
    base: str,
) -> None:
    old, new = _day(-95), _day(-18)
    send = conversation(base)
    replies = send(f"i ignored a cp504 dated {old:%b %-d, %Y} and now there's a letter 1058 "
                   f"dated {new:%B %-d, %Y}, same $7,300, i agree i owe it but cant pay it all")
    by_code = {card["notice_code"]: card for card in cards(replies, "notice_summary")}
    assert by_code["LTR1058"]["notice_date"] == new.isoformat()
    assert by_code["LTR1058"]["response_deadline"] == next_business_day(
        new + dt.timedelta(days=30)).isoformat()
    assert by_code["CP504"]["notice_date"] == old.isoformat()
    said = " ".join(texts(replies))
    assert "window closed" not in said
    # agrees and cannot pay were said: only the warning signs are asked
    assert "Do you agree" not in said and "pay the full amount" not in said
    route = send("no none of those")
    assert cards(route, "triage_result")[0]["route"] == "negotiate"


@pytest.mark.parametrize("short", ["ok", "not right now", "thanks", "what should I do?",
                                   "I don't know", "not sure"])
def test_short_answers_get_a_useful_reply_and_never_an_apology(base: str, short: str) -> None:
    send = conversation(base)
    send("cp503 came, 6k, im broke right now")
    replies = send(short)
    assert replies, short
    assert not any(text.startswith(APOLOGY) for text in texts(replies)), texts(replies)


def test_a_typed_warning_sign_is_understood_and_routes_to_help(base: str) -> None:
    send = conversation(base)
    send(f"lt11 dated {_day(-10):%B %-d %Y} for 8,000, i owe it but cant pay it all")
    replies = send("the IRS already levied my bank account")
    assert cards(replies, "triage_result")[0]["route"] == "get_help"


def test_a_final_notice_with_an_open_window_is_never_shown_as_normal(base: str) -> None:
    replies = conversation(base)(f"got an lt11 dated {_day(-8):%m/%d/%Y}")
    card = cards(replies, "notice_summary")[0]
    assert card["days_left"] > 14 and card["urgency"] == "soon"
