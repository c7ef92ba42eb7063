"""Every response the code names exists in domain.yml (a missing one is silently not sent)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from noticebot.conversation.state import DATE_QUESTIONS, YES_NO_QUESTIONS
from noticebot.knowledge.catalog import ROUTES
from noticebot.settings import PROJECT_ROOT

NAMED = re.compile(r"[\"'](utter_[a-z_]+)[\"']")
# Names built from a value: each prefix with every value it takes.
BUILT = {
    "utter_route_": ROUTES,
    "utter_ask_": (*DATE_QUESTIONS, "agrees_with_amount", "can_pay_in_full"),
    "utter_unsure_": YES_NO_QUESTIONS,
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
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    missing = responses_named_in_code() - set(domain["responses"])
    assert not missing, sorted(missing)
