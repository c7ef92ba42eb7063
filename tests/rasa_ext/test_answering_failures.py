"""A message is never left without an answer: failures get an apology and how to reach a person."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from rasa_ext.channels import answering_failures, guarded


def run(handler, text: str = "I got a CP504") -> list[str]:  # type: ignore[no-untyped-def]
    out = CollectingOutputChannel()
    asyncio.run(handler(UserMessage(text, out, "person-1", input_channel="rest")))
    return [m.get("text", "") for m in out.messages]


def test_an_exception_becomes_an_apology_with_a_way_to_a_person(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_: UserMessage) -> None:
        raise ConnectionError("database is down")

    with caplog.at_level(logging.ERROR):
        said = run(answering_failures(broken), "my ssn is 123-45-6789")
    assert said[0].startswith("Sorry, something went wrong on our side")
    assert "Taxpayer Advocate Service" in said[1]  # no firm configured: free help
    assert "database is down" in caplog.text
    assert "my ssn" not in caplog.text


def test_a_turn_without_any_reply_and_no_failure_is_offered_help_not_an_apology() -> None:
    async def silent(_: UserMessage) -> None:
        return None

    said = run(answering_failures(silent))
    assert len(said) == 1
    assert said[0].startswith("Is there anything else")


def test_a_failed_action_gets_the_apology_even_after_other_replies() -> None:
    async def action_server_down(message: UserMessage) -> None:
        await message.output_channel.send_response("person-1", {"text": "A quick note"})
        logging.getLogger("rasa.core.processor").error(
            "Encountered an exception while running action 'action_respond'."
        )

    said = run(answering_failures(action_server_down))
    assert said[0].startswith("Sorry, something went wrong")
    assert "A quick note" not in said  # a reply of a failed turn is not sent


def test_a_tracker_store_that_fell_back_to_memory_gets_the_apology_not_its_replies() -> None:
    async def database_down(message: UserMessage) -> None:
        # Rasa's fail-safe store logs this and answers from an empty conversation
        logging.getLogger("rasa.core.tracker_store").error(
            "Error happened when trying to retrieve conversation tracker from "
            "'RedactingSQLTrackerStore'. Falling back to use the 'InMemoryTrackerStore'."
        )
        await message.output_channel.send_response("person-1", {"text": "Which notice?"})

    said = run(answering_failures(database_down))
    assert said[0].startswith("Sorry, something went wrong")
    assert "Which notice?" not in said


def test_a_failure_in_one_message_does_not_leak_into_the_next() -> None:
    async def failing(message: UserMessage) -> None:
        logging.getLogger("rasa.core.processor").error(
            "Encountered an exception while running action 'action_respond'."
        )

    async def answering(message: UserMessage) -> None:
        await message.output_channel.send_response("person-1", {"text": "fine"})

    run(answering_failures(failing))
    assert run(answering_failures(answering)) == ["fine"]


def test_a_normal_turn_is_untouched() -> None:
    async def answers(message: UserMessage) -> str:
        await message.output_channel.send_response("person-1", {"text": "CP504 is ..."})
        return "done"

    assert run(answering_failures(answers)) == ["CP504 is ..."]


def test_the_firm_contacts_are_given_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from noticebot.settings import get_settings

    monkeypatch.setenv("FIRM_NAME", "Example Tax Help")
    monkeypatch.setenv("FIRM_BOOKING_URL", "https://example.org/book")
    get_settings.cache_clear()
    try:
        async def broken(_: UserMessage) -> None:
            raise TimeoutError

        said = run(guarded(broken))
    finally:
        get_settings.cache_clear()
    assert "Example Tax Help" in said[1] and "https://example.org/book" in said[1]
