"""Every response the code names exists in domain/ (a missing one is silently not sent), and
every response there is said by something."""

from __future__ import annotations

import re
from pathlib import Path

from noticebot.conversation.documents import UNREADABLE_REASONS
from noticebot.conversation.state import DATE_QUESTIONS, YES_NO_QUESTIONS
from noticebot.knowledge.catalog import ROUTES
from noticebot.settings import PROJECT_ROOT
from tests.domain_files import load_domain

NAMED = re.compile(r"[\"'](utter_[a-z_]+)[\"']")
# Names built from a value: each prefix with every value it takes.
BUILT = {
    "utter_route_": ROUTES,
    "utter_ask_": (*DATE_QUESTIONS, "agrees_with_amount", "can_pay_in_full"),
    "utter_unsure_": YES_NO_QUESTIONS,
    "utter_document_unreadable_": UNREADABLE_REASONS,
}


def responses_named_in_code() -> set[str]:
    names: set[str] = set()
    for folder in ("noticebot", "actions", "rasa_ext"):
        for path in Path(PROJECT_ROOT, folder).rglob("*.py"):
            names.update(NAMED.findall(path.read_text()))
    for prefix, values in BUILT.items():
        names.update(f"{prefix}{value}" for value in values)
    return names


def test_every_response_the_code_names_is_in_the_domain() -> None:
    domain = load_domain()
    missing = responses_named_in_code() - set(domain["responses"])
    assert not missing, sorted(missing)


def test_every_response_of_the_domain_is_said_by_something() -> None:
    """A response nothing names is dead text: the code, a rule or story, or the form (Rasa asks
    a form's slot with ``utter_ask_<slot>``)."""
    domain = load_domain()
    used = responses_named_in_code()
    for folder in ("data/rules", "data/stories"):
        for path in Path(PROJECT_ROOT, folder).rglob("*.yml"):
            used.update(re.findall(r"\b(utter_[a-z_]+)\b", path.read_text()))
    for form in domain["forms"].values():
        used.update(f"utter_ask_{slot}" for slot in form["required_slots"])
    unused = set(domain["responses"]) - used
    assert not unused, sorted(unused)
