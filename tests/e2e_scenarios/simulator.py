"""A simulated person who talks to the assistant from a fact sheet (scenarios.yml).

It sends the scenario's opening, then answers the assistant's last question the way the fact
sheet says: typed when the scenario gives the words, else with the button that matches the fact.
It sends the digressions at the points the scenario names, the closing messages once a route
was given, and goes through intake (consent, name, contact, time, confirmation) or declines it.

The questions are recognized from the assistant's own texts in domain/ (the words before the
first placeholder), so nothing in the bot's code is consulted. What the person said and what
came back is kept as a transcript for the assertions and for a readable failure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
import yaml

from tests.domain_files import load_domain

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).with_name("scenarios.yml")
MAX_TURNS = 18

# The assistant's questions: response name -> what the simulated person is asked.
QUESTIONS = {
    "utter_ask_notice_code": "notice_code",
    "utter_ask_notice_date": "notice_date",
    "utter_ask_printed_deadline": "printed_deadline",
    "utter_ask_agrees_with_amount": "agrees",
    "utter_ask_can_pay_in_full": "can_pay_in_full",
    "utter_ask_can_pay_missed": "can_pay_in_full",
    "utter_ask_has_red_flags": "red_flags",
    "utter_ask_intake_consent": "consent",
    "utter_ask_contact_name": "contact_name",
    "utter_ask_contact_email": "contact",
    "utter_ask_contact_time": "contact_time",
    "utter_ask_intake_confirmed": "confirm",
    "utter_greet": "notice_code",
}
# Questions that may come again (each notice has its own date; intake may start over).
REPEATABLE = {"notice_date", "printed_deadline", "notice_code", "consent", "contact_name",
              "contact", "contact_time", "confirm"}
APOLOGY = "Sorry, something went wrong on our side"
NOT_UNDERSTOOD = "Sorry, I didn't catch that"


@lru_cache(maxsize=1)
def question_openings() -> dict[str, str]:
    """The words each question of domain/ starts with -> the question."""
    domain = load_domain()
    openings = {}
    for response, question in QUESTIONS.items():
        for variation in domain["responses"][response]:
            text = " ".join(variation["text"].split())
            opening = text.split("{", 1)[0].strip()
            if len(opening) >= 12:
                openings[opening] = question
    return openings


def question_of(text: str) -> str | None:
    """The question a bot message asks, if it is one of the assistant's questions."""
    flat = " ".join(text.split())
    for opening, question in question_openings().items():
        if flat.startswith(opening):
            return question
    return None


@lru_cache(maxsize=1)
def deadline_rules() -> dict[str, dict[str, Any]]:
    """Each notice's deadline rule as the catalog data writes it (rule, days, fallback_days)."""
    data = yaml.safe_load((ROOT / "data" / "knowledge" / "notices.yml").read_text())
    return {notice["code"]: notice["deadline"] for notice in data["notices"]}


def next_business_day(day: dt.date) -> dt.date:
    """IRC 7503: past Saturdays, Sundays and District of Columbia legal holidays."""
    dc = holidays.country_holidays("US", subdiv="DC", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in dc:
        day += dt.timedelta(days=1)
    return day


def expected_deadline(code: str, notice_date: dt.date | None,
                      printed: dt.date | None) -> dt.date | None:
    """The response deadline the card must show, worked out here from the catalog's data."""
    if printed is not None:
        return printed
    rule = deadline_rules().get(code) or {}
    days = rule.get("days") if rule.get("rule") == "days_from_notice" else rule.get(
        "fallback_days"
    )
    if notice_date is None or days is None or rule.get("rule") == "none":
        return None
    return next_business_day(notice_date + dt.timedelta(days=int(days)))


@dataclass
class Exchange:
    """One message of the person and the replies it got."""

    sent: str
    replies: list[dict[str, Any]]

    @property
    def texts(self) -> list[str]:
        """The reply texts."""
        return [r["text"] for r in self.replies if r.get("text")]

    def cards(self, kind: str) -> list[dict[str, Any]]:
        """The payloads of one type."""
        return [r["custom"] for r in self.replies
                if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]

    @property
    def question(self) -> str | None:
        """The question the last reply asks, if any."""
        for text in reversed(self.texts):
            asked = question_of(text)
            if asked is not None:
                return asked
        return None


@dataclass
class Run:
    """A scenario played through: the transcript and what went wrong."""

    scenario: dict[str, Any]
    today: dt.date
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    answered: dict[str, int] = field(default_factory=dict)

    def transcript(self) -> str:
        """The conversation, readable in a failure message."""
        lines = []
        for exchange in self.exchanges:
            lines.append(f"PERSON: {exchange.sent}")
            lines += [f"   BOT: {text[:220]}" for text in exchange.texts]
            lines += [f"   CARD: {card}" for card in exchange.cards("notice_summary")]
            lines += [f"   CARD: {card}" for card in exchange.cards("triage_result")]
        return "\n".join(lines)

    def all_cards(self, kind: str) -> list[dict[str, Any]]:
        """Every payload of one type, in order."""
        return [card for exchange in self.exchanges for card in exchange.cards(kind)]


def dates_of(scenario: dict[str, Any], today: dt.date) -> dict[str, dt.date]:
    """The placeholders' dates: d0/d1 (notice dates) and dl0/dl1 (printed deadlines)."""
    found = {}
    for index, notice in enumerate(scenario["notices"]):
        if "notice_date" in notice:
            found[f"d{index}"] = today + dt.timedelta(days=int(notice["notice_date"]))
        if "deadline" in notice:
            found[f"dl{index}"] = today + dt.timedelta(days=int(notice["deadline"]))
    return found


def _button(fact: bool) -> str:
    return "/affirm" if fact else "/deny"


def answer_for(question: str, run: Run) -> str:
    """What the person answers to ``question``: typed words when the scenario has them, else
    the button that matches the fact sheet."""
    scenario, dates = run.scenario, dates_of(run.scenario, run.today)
    typed = (scenario.get("answers") or {})
    notices = scenario["notices"]
    lead = notices[0]
    if question == "notice_code":
        return typed.get("notice_code", f"its a {lead['code']}").format(**dates)
    if question in ("notice_date", "printed_deadline"):
        key, index = ("d", "notice_date") if question == "notice_date" else ("dl", "deadline")
        if question in typed:
            return str(typed[question]).format(**dates)
        for number, notice in enumerate(notices):
            if index in notice:
                return f"{dates[f'{key}{number}']:%B %-d, %Y}"
        return "/deny"
    if question == "agrees":
        return typed.get("agrees", _button(bool(scenario["agrees"]))).format(**dates)
    if question == "can_pay_in_full":
        value = scenario.get("can_pay_in_full")
        return typed.get("can_pay_in_full", _button(bool(value))).format(**dates)
    if question == "red_flags":
        flagged = scenario.get("red_flag", "none") != "none"
        return typed.get("red_flags", _button(flagged)).format(**dates)
    if question == "consent":
        return "/affirm" if scenario.get("consent") == "accept" else "/deny"
    contact = scenario.get("contact") or {}
    if question == "contact_name":
        return str(contact.get("name", "Sam"))
    if question == "contact":
        return str(contact.get("email") or contact.get("phone") or "sam@example.com")
    if question == "contact_time":
        return str(contact.get("time", "skip"))
    if question == "confirm":
        return "/affirm"
    raise ValueError(f"no answer for {question}")


def play(scenario: dict[str, Any], send: Callable[[str], list[dict[str, Any]]],
         today: dt.date) -> Run:
    """Play ``scenario`` through ``send`` (one message -> the replies)."""
    run = Run(scenario, today)
    dates = dates_of(scenario, today)
    digressions = {int(d["after"]): d["text"].format(**dates)
                   for d in scenario.get("digressions") or ()}
    closing = list(scenario.get("closing") or ())

    def say(text: str) -> Exchange:
        exchange = Exchange(text, send(text))
        run.exchanges.append(exchange)
        for reply_text in exchange.texts:
            if reply_text.startswith(APOLOGY):
                run.problems.append(f"apology after {text!r}")
            if reply_text.startswith(NOT_UNDERSTOOD):
                run.problems.append(f"not understood: {text!r}")
        if not exchange.replies:
            run.problems.append(f"no reply to {text!r}")
        return exchange

    exchange = say(scenario["opening"].format(**dates))
    question = exchange.question
    routed = bool(exchange.cards("triage_result"))
    sent = 1
    while sent < MAX_TURNS:
        if sent in digressions:
            reply = say(digressions.pop(sent))
            sent += 1
            question = reply.question or question
            routed = routed or bool(reply.cards("triage_result"))
            continue
        if question is None:
            break
        if question not in REPEATABLE and run.answered.get(question):
            run.problems.append(f"asked again after an answer: {question}")
            break
        if run.answered.get(question, 0) >= 3:
            run.problems.append(f"stuck on the question {question}")
            break
        run.answered[question] = run.answered.get(question, 0) + 1
        reply = say(answer_for(question, run))
        sent += 1
        routed = routed or bool(reply.cards("triage_result"))
        question = reply.question
        if question is None and any(c.get("type") == "case_created" for c in
                                    (r.get("custom") or {} for r in reply.replies)):
            break
    if not routed:
        run.problems.append("no route was given")
    for text in closing:
        say(text.format(**dates))
    return run


def load_scenarios() -> list[dict[str, Any]]:
    """Every scenario of scenarios.yml."""
    with SCENARIOS.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["scenarios"])


def check(run: Run) -> list[str]:
    """What the run got wrong against the scenario's expectations."""
    scenario, today = run.scenario, run.today
    expect = scenario["expect"]
    problems = list(run.problems)
    dates = dates_of(scenario, today)
    cards = run.all_cards("notice_summary")
    if not cards:
        problems.append("no notice card")
    else:
        first_codes = [c["notice_code"] for c in run.exchanges[0].cards("notice_summary")]
        if first_codes and first_codes[0] != expect["lead"]:
            problems.append(f"the first card is {first_codes[0]}, expected {expect['lead']}")
        latest = {card["notice_code"]: card for card in cards}
        for index, notice in enumerate(scenario["notices"]):
            card = latest.get(notice["code"])
            if card is None:
                problems.append(f"no card for {notice['code']}")
                continue
            notice_date = dates.get(f"d{index}")
            printed = dates.get(f"dl{index}")
            if notice_date and card["notice_date"] != notice_date.isoformat():
                problems.append(f"{notice['code']} notice date {card['notice_date']} != "
                                f"{notice_date}")
            wanted = expected_deadline(notice["code"], notice_date, printed)
            shown = card["response_deadline"]
            if wanted is not None and shown != wanted.isoformat():
                problems.append(f"{notice['code']} deadline {shown} != {wanted}")
    routes = run.all_cards("triage_result")
    if routes and routes[-1]["route"] != expect["route"]:
        problems.append(f"route {routes[-1]['route']} != {expect['route']}")
    said = " ".join(text for exchange in run.exchanges for text in exchange.texts)
    for right in expect.get("rights_lost") or ():
        label = {"cdp_hearing": "Collection Due Process hearing",
                 "equivalent_hearing": "Equivalent hearing",
                 "cap_appeal": "Collection Appeals Program"}[right]
        if not re.search(rf"{label}[^.]*closed|window has passed", said, re.IGNORECASE):
            problems.append(f"the lost right is not said: {right}")
    if scenario.get("consent") == "accept":
        created = [r for e in run.exchanges for r in e.replies
                   if (r.get("custom") or {}).get("type") == "case_created"]
        if not created:
            problems.append("intake accepted but no case_created card")
    return problems
