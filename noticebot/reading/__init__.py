"""Read every fact a message states: notices with their own dates, the balance, the tax years,
and the person's situation (agrees or disputes and why, can pay, warning signs, a plan, a
request for a person), plus what the message asks. Used by the NLU pipeline and the actions."""

from noticebot.reading.model import (
    DISPUTE_REASONS,
    EMPTY_FACTS,
    QUESTION_KINDS,
    SAID_RED_FLAGS,
    MessageFacts,
    NoticeMention,
    facts_from_entities,
)
from noticebot.reading.reader import Reader, read_message

__all__ = [
    "DISPUTE_REASONS",
    "EMPTY_FACTS",
    "QUESTION_KINDS",
    "SAID_RED_FLAGS",
    "MessageFacts",
    "NoticeMention",
    "Reader",
    "facts_from_entities",
    "read_message",
]
