"""The conversation's one domain function: what is said to each message, with no Rasa at all.

Every test plays messages the way people write them, read by the real reader, with the intent
the NLU would give (the tests set it), on a fixed day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from noticebot.answers import CatalogAnswers
from noticebot.composer import load_cards
from noticebot.conversation import INTAKE, LISTEN, ConversationState, Turn, TurnResult, respond
from noticebot.knowledge.catalog import Catalog
from noticebot.reading import Reader
from noticebot.settings import PROJECT_ROOT, FirmProfile

TODAY = dt.date(2026, 12, 4)  # a Friday
FIRM = FirmProfile()
CARDS = load_cards(PROJECT_ROOT / "data" / "knowledge")


class Chat:
    """A conversation driven turn by turn, keeping the state as the slots would."""

    def __init__(self, catalog: Catalog, reader: Reader, today: dt.date = TODAY) -> None:
        self.catalog, self.reader, self.today = catalog, reader, today
        self.state = ConversationState()
        self.last: TurnResult | None = None

    def say(self, text: str, intent: str = "report_notice", **turn: Any) -> TurnResult:
        facts = self.reader.read(text, today=self.today)
        self.last = respond(
            self.state,
            Turn(intent=intent, confidence=0.9, facts=facts, text=text, **turn),
            catalog=self.catalog,
            today=self.today,
            firm=FIRM,
            answers=CatalogAnswers(self.catalog, cards=CARDS),
        )
        self.state = self.last.state
        return self.last


def responses(result: TurnResult) -> list[str]:
    """The response names of a turn, in order."""
    return [reply.response for reply in result.replies]


def cards(result: TurnResult, kind: str = "notice_summary") -> list[dict[str, Any]]:
    """The payloads of one type sent in a turn."""
    return [r.payload for r in result.replies if r.payload and r.payload["type"] == kind]


@pytest.fixture()
def chat(catalog: Catalog, recognizer) -> Chat:  # type: ignore[no-untyped-def]
    """A new conversation on TODAY."""
    return Chat(catalog, Reader(recognizer=recognizer))


def test_each_notice_keeps_its_own_date_and_the_open_window_is_not_called_closed(
    chat: Chat,
) -> None:
    result = chat.say(
        "i ignored a cp504 dated aug 31, 2026 and now there's a letter 1058 dated november 16,"
        " 2026, same $7,300, i agree i owe it but cant pay it all"
    )
    by_code = {card["notice_code"]: card for card in cards(result)}
    assert by_code["LTR1058"]["notice_date"] == "2026-11-16"
    assert by_code["LTR1058"]["response_deadline"] == "2026-12-16"
    assert by_code["CP504"]["notice_date"] == "2026-08-31"
    assert cards(result)[0]["notice_code"] == "LTR1058"  # the most urgent first
    assert "utter_right_lost" not in responses(result)
    # agrees and cannot pay were said: only the warning signs are left to ask
    assert responses(result)[-1] == "utter_ask_has_red_flags"
    assert chat.state.agrees_with_amount is True and chat.state.can_pay_in_full is False


def test_facts_given_in_the_first_message_are_never_asked_again(chat: Chat) -> None:
    first = chat.say(
        "lt 11 from the irs dated nov 12 2026, about $5,200. i owe it and can pay the whole "
        "thing this week"
    )
    asked = [r for r in responses(first) if r.startswith("utter_ask_")]
    assert asked == ["utter_ask_has_red_flags"]
    second = chat.say("no none of those", intent="deny")
    assert responses(second)[0] == "utter_route_pay"
    assert not [r for r in responses(second) if r.startswith("utter_ask_")]


def test_a_notice_with_a_question_is_explained_first_then_the_question_answered(
    chat: Chat,
) -> None:
    result = chat.say(
        "got a cp523 saying they'll cancel my installment agreement, i skipped the last two "
        "months, the balance is right but i cant catch up yet",
        intent="missed_payment",
    )
    said = responses(result)
    assert said[0] == "utter_notice_summary" and cards(result)[0]["notice_code"] == "CP523"
    assert chat.state.missed_installment and chat.state.installment_agreement


def test_ok_after_a_date_question_moves_on_instead_of_asking_again(chat: Chat) -> None:
    chat.say("cp503 came, 6k, im broke right now")
    assert chat.state.pending_question == "printed_deadline"
    result = chat.say("ok", intent="affirm")
    assert "utter_ask_printed_deadline" not in responses(result)
    assert responses(result)[-1] == "utter_ask_agrees_with_amount"


def test_what_should_i_do_asks_what_is_missing_then_reminds_the_route(chat: Chat) -> None:
    chat.say("cp14 dated nov 20 2026 for 2,300, i owe it and i can pay it all today")
    result = chat.say("what should I do?", intent="ask_tax_question")
    assert responses(result)[-2:] == ["utter_what_to_do_needs", "utter_ask_has_red_flags"]
    route = chat.say("no", intent="deny")
    assert responses(route)[0] == "utter_route_pay"
    reminder = chat.say("what should I do?", intent="ask_tax_question")
    assert responses(reminder) == ["utter_route_reminder"]


@pytest.mark.parametrize(
    "text",
    [
        "someone filed in my name and now i got a cp14 for 3,000",
        "the irs already levied my bank account and i have an lt11 dated nov 20",
        "my passport renewal got denied and theres a cp504 for 70k",
        "cp504b for our 941 payroll taxes, 30k",
    ],
)
def test_warning_signs_in_the_first_message_route_to_get_help_at_once(
    chat: Chat, text: str
) -> None:
    result = chat.say(text)
    assert "utter_route_get_help" in responses(result)
    assert cards(result, "triage_result")[0]["route"] == "get_help"
    assert result.next_step == INTAKE


def test_a_typed_warning_sign_answers_the_warning_signs_question(chat: Chat) -> None:
    chat.say("lt11 dated nov 20 2026, i owe it, cant pay it all")
    assert chat.state.pending_question == "has_red_flags"
    result = chat.say("the IRS already levied my bank account", intent="inform")
    assert cards(result, "triage_result")[0]["route"] == "get_help"


def test_paying_in_full_after_the_hearing_window_closed_is_pay_and_says_what_was_lost(
    chat: Chat,
) -> None:
    # dated 31 days ago: the 30-day window (moved past the weekend) closed yesterday
    result = chat.say("lt11 dated november 3 2026, i owe it and i can pay it all today")
    assert "utter_right_lost" in responses(result)
    done = chat.say("none of those", intent="deny")
    card = cards(done, "triage_result")[0]
    assert card["route"] == "pay"
    assert any("hearing window has passed" in reason for reason in card["reasons"])


def test_the_closed_window_still_routes_to_help_when_paying_in_full_is_not_possible(
    chat: Chat,
) -> None:
    chat.say("lt11 dated november 3 2026, i owe it but i cant pay it all")
    result = chat.say("no", intent="deny")
    assert cards(result, "triage_result")[0]["route"] == "get_help"


def test_a_levy_notice_while_a_plan_is_in_place_is_appealed(chat: Chat) -> None:
    result = chat.say(
        "on a payment plan since 2024, never missed a payment, and now a cp504 dated nov 23"
    )
    assert "utter_ask_agrees_with_amount" not in responses(result)
    done = chat.say("no", intent="deny")
    card = cards(done, "triage_result")[0]
    assert card["route"] == "appeal"
    assert any("payment plan" in step.lower() or "plan" in step for step in card["next_steps"])


def test_asking_for_a_person_offers_intake_with_what_is_known(chat: Chat) -> None:
    chat.say("got a cp14 dated nov 20 2026 for 2,300")
    result = chat.say("can i talk to a real person", intent="request_human")
    assert result.next_step == INTAKE
    card = cards(result, "triage_result")[0]
    assert card["route"] == "get_help" and card["notice_code"] == "CP14"


def test_a_card_is_not_repeated_unless_its_dates_change(chat: Chat) -> None:
    chat.say("got a cp14")
    again = chat.say("i got a cp14, what is it", intent="report_notice")
    assert not cards(again)
    dated = chat.say("its dated november 20 2026", intent="inform")
    assert cards(dated)[0]["notice_date"] == "2026-11-20"


def test_a_correction_changes_the_route(chat: Chat) -> None:
    chat.say("cp14 dated nov 20 2026, 2,300, i owe it but i cant pay it all")
    first = chat.say("no", intent="deny")
    assert cards(first, "triage_result")[0]["route"] == "negotiate"
    corrected = chat.say("actually i can pay it all today", intent="can_pay")
    assert cards(corrected, "triage_result")[0]["route"] == "pay"


def test_a_code_the_catalog_lacks_is_not_guessed(chat: Chat) -> None:
    result = chat.say("i got a cp999 notice")
    assert responses(result)[0] == "utter_notice_unknown"
    assert not cards(result)


def test_a_message_with_nothing_understood_twice_offers_a_person(chat: Chat) -> None:
    once = chat.say("asdf qwer", intent="nlu_fallback", misunderstood_in_a_row=1)
    assert responses(once)[0] == "utter_misunderstood"
    twice = chat.say("zxcv", intent="nlu_fallback", misunderstood_in_a_row=2)
    assert responses(twice)[0] == "utter_misunderstood_twice"
    assert cards(twice, "triage_result")[0]["route"] == "get_help"
    assert twice.next_step == INTAKE


@pytest.mark.parametrize(
    ("text", "intent"),
    [("ok", "affirm"), ("thanks", "thank"), ("i don't know", "deny"), ("not sure", "deny")],
)
def test_every_short_message_gets_a_useful_reply(chat: Chat, text: str, intent: str) -> None:
    chat.say("cp14 dated nov 20 2026, i owe it, i can pay it all")
    chat.say("no", intent="deny")  # the route is given
    result = chat.say(text, intent=intent)
    assert result.replies and result.next_step == LISTEN


def test_a_scam_question_is_answered_first(chat: Chat) -> None:
    result = chat.say(
        "got a text saying the irs will arrest me unless i buy gift cards, is this a scam? "
        "also i have a cp14", intent="check_scam"
    )
    assert responses(result)[0] == "utter_answer_safety"
    said = result.replies[0].values["answer"]
    assert said.startswith("This looks like a scam") and "gift card" in said
    assert "phishing@irs.gov" in said


def test_a_greeting_asks_which_notice(chat: Chat) -> None:
    result = chat.say("hi", intent="greet")
    assert responses(result) == ["utter_greet"]
    assert chat.state.pending_question == "notice_code"
    again = chat.say("hello", intent="greet")
    assert responses(again)[0] == "utter_greet_again"


def test_i_dont_know_the_code_goes_on_without_it(chat: Chat) -> None:
    chat.say("hi", intent="greet")
    result = chat.say("i don't know", intent="deny")
    assert responses(result)[-1] == "utter_ask_agrees_with_amount"


def test_a_request_to_look_up_an_account_says_it_cannot_first(chat: Chat) -> None:
    result = chat.say("my ssn is [SSN removed] can you look up how much is on my account",
                      intent="ask_tax_question")
    assert responses(result)[0] == "utter_answer_composed"
    assert result.replies[0].values["answer"].startswith("I can't see IRS accounts")


def test_one_frightened_message_keeps_every_fact_explains_first_and_answers(chat: Chat) -> None:
    """Found talking to the bot: 'i got this letter from the irs' took the "is it real?" card,
    said first, and 'i dont think the amount is wrong' was not kept (the question came back)."""
    result = chat.say(
        "hi i got this letter from the irs its a cp504 dated nov 16 2026 says i owe 8,450 for "
        "2023. i lost my job in september and i cant pay all of it right now. i dont think the "
        "amount is wrong. can they take my house?? what should i do",
        intent="cannot_pay",
    )
    said = responses(result)
    assert said[0] == "utter_notice_summary"  # the notice first, no false alarm
    assert "utter_answer_safety" not in said
    answers = [str(r.values["answer"]) for r in result.replies
               if r.response == "utter_answer_composed"]
    assert any("seize the home you live in" in a for a in answers)
    state = chat.state
    assert (state.notices[0].code, state.notices[0].notice_date) == ("CP504", dt.date(2026, 11, 16))
    assert (state.amount, state.agrees_with_amount, state.can_pay_in_full) == (8450.0, True, False)
    assert "utter_ask_agrees_with_amount" not in said and "utter_ask_can_pay_in_full" not in said
