"""The channels' redaction: what reaches Rasa's processor has no sensitive number left."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from rasa_ext.channels import RestInput, SocketIOInput, redact_message, redacting


def test_a_message_is_redacted_and_its_kinds_noted() -> None:
    message = UserMessage("ssn 123-45-6789 and card 4111 1111 1111 1111",
                          CollectingOutputChannel(), "s1", input_channel="rest",
                          metadata={"page": "home"})
    redact_message(message)
    assert message.text == "ssn [SSN removed] and card [card number removed]"
    assert message.metadata == {"page": "home", "redacted": ["ssn", "card"]}


def test_an_ordinary_message_is_untouched() -> None:
    message = UserMessage("I owe $12,400 on a CP504, call (202) 555-0143",
                          CollectingOutputChannel(), "s1")
    redact_message(message)
    assert message.text == "I owe $12,400 on a CP504, call (202) 555-0143"
    assert not (message.metadata or {}).get("redacted")


def test_the_wrapped_callback_only_sees_redacted_text() -> None:
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> Any:
        seen.append(message.text or "")

    asyncio.run(redacting(on_new_message)(UserMessage("my ssn is 123 45 6789")))
    assert seen == ["my ssn is [SSN removed]"]


def test_the_channels_keep_rasas_names_and_urls() -> None:
    assert RestInput.name() == "rest"
    assert SocketIOInput.name() == "socketio"
