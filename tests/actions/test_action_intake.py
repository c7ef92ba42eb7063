"""Intake actions: the form's validation, the submit (stored once, confirmed, notified), privacy."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError
from trackers import entity, make_tracker, responses, run_action, slot_events

from actions.intake import (
    ActionAskIntakeConfirmed,
    ActionAskIntakeConsent,
    ActionSubmitIntake,
    ValidateIntakeForm,
)
from noticebot.intake.cases import Case, CaseDraft, summarize
from noticebot.settings import FirmProfile

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.timezone.utc)
TODAY = dt.date(2026, 11, 23)
FIRM = FirmProfile(name="Example Tax Help", booking_url="https://example.org/book")
DOMAIN: dict[str, Any] = {
    "forms": {"intake_form": {"required_slots": [
        "intake_consent", "contact_name", "contact_email", "contact_phone", "contact_time",
        "intake_confirmed"]}},
    "slots": {},
}
DONE = {"intake_consent": True, "intake_consent_at": NOW.isoformat(), "intake_confirmed": True,
        "contact_name": "Jane Doe", "contact_email": "jane@example.com",
        "contact_time": "weekday mornings"}


class FakeRepository:
    """One case per conversation, like the real store."""

    def __init__(self, fail: bool = False) -> None:
        self.cases: dict[str, Case] = {}
        self.saves = 0
        self.notified: list[str] = []
        self.fail = fail

    def save(self, draft: CaseDraft) -> tuple[Case, bool]:
        self.saves += 1
        if self.fail:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        existing = self.cases.get(draft.conversation_id)
        case = Case.from_draft(
            draft, id=existing.id if existing else f"C{len(self.cases):010d}",
            created_at=NOW, updated_at=NOW, status="new",
            summary=summarize(draft, today=TODAY), notified_at=None,
        )
        self.cases[draft.conversation_id] = case
        return case, existing is None

    def mark_notified(self, case_id: str, when: dt.datetime) -> None:
        self.notified.append(case_id)


class FakeNotifier:
    def __init__(self, ok: bool = True) -> None:
        self.sent: list[Case] = []
        self.ok = ok

    def notify(self, case: Case) -> bool:
        self.sent.append(case)
        return self.ok


def validate(tracker: Any) -> tuple[CollectingDispatcher, list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateIntakeForm(now=lambda: NOW).run(dispatcher, tracker, DOMAIN))
    return dispatcher, events


def submit(action: ActionSubmitIntake, tracker: Any) -> tuple[CollectingDispatcher, list[Any]]:
    async def go() -> tuple[CollectingDispatcher, list[Any]]:
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, tracker, {})
        await asyncio.gather(*action.pending)
        return dispatcher, events

    return asyncio.run(go())


def submit_action(repository: FakeRepository, notifier: FakeNotifier | None = None,
                  catalog: Any = None) -> ActionSubmitIntake:
    return ActionSubmitIntake(
        catalog=lambda: catalog, today=lambda: TODAY, repository=lambda: repository,
        notifier=lambda: notifier, firm=lambda: FIRM,
    )


# ------------------------------------------------------------------------------ the questions


def test_consent_question_names_the_firm() -> None:
    dispatcher, _ = run_action(ActionAskIntakeConsent(firm=lambda: FIRM), make_tracker())
    assert responses(dispatcher) == ["utter_ask_intake_consent"]
    assert dispatcher.messages[0]["firm_name"] == "Example Tax Help"


def test_confirmation_reads_back_the_details() -> None:
    tracker = make_tracker(slots={**DONE, "contact_time": "no preference"})
    dispatcher, _ = run_action(ActionAskIntakeConfirmed(), tracker)
    assert dispatcher.messages[0]["contact_name"] == "Jane Doe"
    assert dispatcher.messages[0]["contact"] == "jane@example.com"
    assert dispatcher.messages[0]["contact_time"] == "any time"


# ------------------------------------------------------------------------------ validation


def in_form(requested: str, text: str, intent: str = "inform", slots: dict[str, Any] | None = None,
            entities: list[dict[str, Any]] | None = None,
            filled: dict[str, Any] | None = None) -> Any:
    """A message answering ``requested``; ``filled`` are the slots it filled."""
    return make_tracker(intent=intent, text=text, active_loop="intake_form",
                        slots={"requested_slot": requested, **(slots or {})},
                        entities=entities or [], filled=filled)


def test_a_yes_is_stamped_with_its_time() -> None:
    _, events = validate(in_form("intake_consent", "yes", "affirm",
                                 filled={"intake_consent": True}))
    assert slot_events(events)["intake_consent_at"] == NOW.isoformat()
    assert slot_events(events)["requested_slot"] == "contact_name"


def test_a_no_to_consent_ends_the_form() -> None:
    _, events = validate(in_form("intake_consent", "no", "deny", filled={"intake_consent": False}))
    assert slot_events(events)["requested_slot"] is None


@pytest.mark.parametrize("requested", ["intake_consent", "contact_name", "contact_email",
                                       "contact_time", "intake_confirmed"])
def test_stop_at_any_step_ends_it_and_forgets_the_details(requested: str) -> None:
    tracker = in_form(requested, "never mind", "deny",
                      slots={"contact_name": "Jane Doe", "contact_email": "jane@example.com"})
    _, events = validate(tracker)
    slots = slot_events(events)
    assert slots["intake_stopped"] is True
    assert slots["requested_slot"] is None
    assert slots["contact_name"] is None and slots["contact_email"] is None


def test_a_name_is_cleaned_up() -> None:
    _, events = validate(in_form("contact_name", "my name is jane doe",
                                 slots={"intake_consent": True},
                                 filled={"contact_name": "my name is jane doe"}))
    assert slot_events(events)["contact_name"] == "Jane Doe"


def test_a_bad_name_is_asked_again_politely() -> None:
    dispatcher, events = validate(in_form("contact_name", "12345",
                                          slots={"intake_consent": True},
                                          filled={"contact_name": "12345"}))
    assert slot_events(events)["contact_name"] is None
    assert responses(dispatcher) == ["utter_invalid_contact_name"]


def test_a_phone_answers_the_contact_question_and_skips_the_email() -> None:
    _, events = validate(in_form("contact_email", "(202) 555-0143",
                                 slots={"intake_consent": True, "contact_name": "Jane"},
                                 filled={"contact_email": "(202) 555-0143"}))
    slots = slot_events(events)
    assert slots["contact_phone"] == "+12025550143"
    assert slots["contact_email"] is None
    assert slots["requested_slot"] == "contact_time"


def test_an_invalid_contact_is_asked_again() -> None:
    dispatcher, events = validate(in_form("contact_email", "jane at home",
                                          slots={"intake_consent": True, "contact_name": "Jane"},
                                          filled={"contact_email": "jane at home"}))
    assert responses(dispatcher) == ["utter_invalid_contact"]
    assert slot_events(events)["requested_slot"] == "contact_email"


def test_skip_means_no_preference() -> None:
    _, events = validate(in_form("contact_time", "skip",
                                 slots={"intake_consent": True, "contact_name": "Jane",
                                        "contact_email": "jane@example.com"},
                                 filled={"contact_time": "skip"}))
    assert slot_events(events)["contact_time"] == "no preference"
    assert slot_events(events)["requested_slot"] == "intake_confirmed"


def test_no_at_the_confirmation_goes_through_the_details_again() -> None:
    dispatcher, events = validate(in_form("intake_confirmed", "no", "deny",
                                          slots={**DONE}, filled={"intake_confirmed": False}))
    slots = slot_events(events)
    assert responses(dispatcher) == ["utter_intake_restart"]
    assert slots["contact_name"] is None and slots["contact_email"] is None
    assert slots["requested_slot"] == "contact_name"


def test_a_yes_at_the_confirmation_completes_the_form() -> None:
    _, events = validate(in_form("intake_confirmed", "yes", "affirm", slots=DONE,
                                 filled={"intake_confirmed": True}))
    assert slot_events(events)["requested_slot"] is None


# ------------------------------------------------------------------------------ submit


def test_submit_stores_confirms_with_payload_and_notifies(catalog: Any) -> None:
    repository, notifier = FakeRepository(), FakeNotifier()
    tracker = make_tracker(intent="affirm", slots=DONE, sender_id="conv-1",
                           input_channel="socketio")
    dispatcher, events = submit(submit_action(repository, notifier, catalog), tracker)
    case = repository.cases["conv-1"]
    assert responses(dispatcher) == ["utter_case_created", "utter_case_booking_link"]
    assert dispatcher.messages[0]["custom"] == {"type": "case_created", "case_id": case.id}
    assert slot_events(events)["case_id"] == case.id
    assert (case.channel, case.contact_name, case.consent_at) == ("socketio", "Jane Doe", NOW)
    assert notifier.sent == [case]
    assert repository.notified == [case.id]


@pytest.mark.parametrize("fail", [False, True])
def test_after_a_submit_the_details_leave_the_conversation(catalog: Any, fail: bool) -> None:
    # Whoever types next in this conversation (a shared screen, a reused sender id) cannot have
    # them read back at a new confirmation, nor submit them again.
    repository = FakeRepository(fail=fail)
    tracker = make_tracker(intent="affirm", slots=DONE, sender_id="conv-1")
    _, events = submit(submit_action(repository, None, catalog), tracker)
    slots = slot_events(events)
    for name in ("contact_name", "contact_email", "contact_phone", "contact_time",
                 "intake_consent", "intake_consent_at", "intake_confirmed", "intake_stopped"):
        assert name in slots and slots[name] is None, name


def test_a_repeated_submit_keeps_one_case(catalog: Any) -> None:
    repository = FakeRepository()
    tracker = make_tracker(intent="affirm", slots=DONE, sender_id="conv-1")
    submit(submit_action(repository, None, catalog), tracker)
    dispatcher, _ = submit(submit_action(repository, None, catalog), tracker)
    assert len(repository.cases) == 1
    assert responses(dispatcher)[0] == "utter_case_updated"


def test_a_failed_notification_keeps_the_case_unmarked(catalog: Any) -> None:
    repository, notifier = FakeRepository(), FakeNotifier(ok=False)
    tracker = make_tracker(intent="affirm", slots=DONE, sender_id="conv-1")
    dispatcher, _ = submit(submit_action(repository, notifier, catalog), tracker)
    assert responses(dispatcher)[0] == "utter_case_created"
    assert repository.notified == []


@pytest.mark.parametrize("slots", [
    {**DONE, "intake_consent": False},
    {**DONE, "intake_stopped": True},
    {**DONE, "intake_confirmed": None},
])
def test_without_consent_or_confirmation_nothing_is_stored(catalog: Any,
                                                           slots: dict[str, Any]) -> None:
    repository = FakeRepository()
    dispatcher, events = submit(submit_action(repository, None, catalog),
                                make_tracker(intent="deny", slots=slots))
    assert repository.saves == 0
    assert responses(dispatcher) == ["utter_intake_not_stored"]
    assert slot_events(events)["contact_name"] is None


def test_a_store_failure_apologizes_and_offers_a_person(catalog: Any) -> None:
    repository = FakeRepository(fail=True)
    dispatcher, events = submit(submit_action(repository, None, catalog),
                                make_tracker(intent="affirm", slots=DONE))
    assert responses(dispatcher) == ["utter_intake_failed", "utter_offer_human_firm"]
    assert "case_id" not in slot_events(events)


def test_the_case_carries_the_notice_and_triage(catalog: Any) -> None:
    repository = FakeRepository()
    slots = {**DONE, "notices": [{"code": "LT11", "notice_date": "2026-11-10",
                                  "printed_deadline": None}],
             "agrees_with_amount": True, "can_pay_in_full": False, "has_red_flags": False,
             "amount": 4200.0, "route": "negotiate"}
    submit(submit_action(repository, None, catalog), make_tracker(intent="affirm", slots=slots))
    case = repository.cases["test"]
    assert [n.code for n in case.notices] == ["LT11"]
    assert case.response_deadline == dt.date(2026, 12, 10)
    assert case.route == "negotiate" and case.reasons
    assert "LT11" in case.summary


# ------------------------------------------------------------------------------ privacy


def test_form_validation_warns_about_a_redacted_message() -> None:
    tracker = make_tracker(intent="inform", text="my ssn is [SSN removed]",
                           active_loop="intake_form", metadata={"redacted": ["ssn"]},
                           slots={"requested_slot": "contact_name", "intake_consent": True,
                                  "contact_name": "my ssn is [SSN removed]"},
                           entities=[entity("x", "y")])
    dispatcher, _ = validate(tracker)
    assert responses(dispatcher)[0] == "utter_sensitive_number_removed"
