"""Triage: the person's answers -> one of four routes, with reasons, next steps and forms.

Rules (docs/contract.md, "Routes"), first match wins:

1. a red flag (a levy already in place, payroll taxes, identity theft, passport certification, a
   revenue officer, a "yes" to the warning-signs question, a request for a person, two
   misunderstandings) routes to ``get_help``;
2. a levy notice while the person's payment plan is in place (and no payment was missed) routes
   to ``appeal``: the notice should not have come, and the levy is not allowed;
3. disagreeing with the amount or the collection action routes to ``appeal``;
4. the conditional red flags (the Collection Due Process window has passed, the balance is over
   the Simple Payment Plan limit) route to ``get_help`` unless the person agrees and can pay in
   full now: paying in full is still the right step (the reasons say what was lost);
5. agreeing and being able to pay in full (or to pay the missed installment) routes to ``pay``;
   agreeing and not being able to, or being in hardship, routes to ``negotiate``.

Nothing here invents advice. Next steps and forms come from the catalog: the notice's advice for
the route, else topic facts named in ``routes.yml``, which also holds every phrase of the
``reasons`` and ``why_not`` fields.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from noticebot.deadlines import DeadlineResult, ExpiringRight
from noticebot.knowledge.catalog import ROUTES, Catalog, Notice, Topic
from noticebot.reply import Reply

logger = logging.getLogger(__name__)

PAY, NEGOTIATE, APPEAL, GET_HELP = ROUTES

RED_FLAGS = (
    "levy_in_place",
    "over_streamlined_limit",
    "payroll_taxes",
    "identity_theft",
    "passport",
    "revenue_officer",
    "missed_hearing_window",
    "asked_for_human",
    "not_understood_twice",
    "reported_red_flag",  # "yes" to the one red-flag question, without saying which
)

# The questions, in the order they are asked (each is the name of a TriageAnswers field).
Q_AGREES = "agrees_with_amount"
Q_CAN_PAY = "can_pay_in_full"
Q_RED_FLAGS = "red_flags"
QUESTIONS = (Q_AGREES, Q_CAN_PAY, Q_RED_FLAGS)

# Situations, besides the red flags, that can add steps (``when`` in the data file).
HARDSHIP = "hardship"
MISSED_INSTALLMENT = "missed_installment"
PLAN_IN_PLACE = "plan_in_place"  # a levy notice came while a payment plan is in place
DISPUTES_AMOUNT = "disputes_amount"  # says the amount is wrong or already paid

ROUTES_FILE = "routes.yml"  # in the knowledge directory, next to the catalog it names


@dataclass(frozen=True)
class TriageAnswers:
    """What the person told us; ``None`` means the question was not asked yet."""

    notice_codes: tuple[str, ...] = ()  # canonical codes the person reported, most urgent first
    agrees_with_amount: bool | None = None
    can_pay_in_full: bool | None = None  # with a missed installment: can pay the missed amount
    red_flags: frozenset[str] = frozenset()
    amount: float | None = None  # the balance they mention
    missed_installment: bool = False
    hardship: bool = False
    red_flags_checked: bool = False  # the red-flag question was answered: none left unsaid
    installment_agreement: bool = False  # the person has a payment plan in place

    def __post_init__(self) -> None:
        """Refuse unknown red flags and a negative balance."""
        unknown = sorted(self.red_flags - set(RED_FLAGS))
        if unknown:
            raise ValueError(f"unknown red flags {unknown}; known: {RED_FLAGS}")
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"the balance cannot be negative: {self.amount}")


@dataclass(frozen=True)
class TriageResult:
    """The recommended route with why, what to do, which forms, and why not the others."""

    route: str  # pay | negotiate | appeal | get_help
    notice_code: str | None
    reasons: tuple[str, ...]
    next_steps: tuple[str, ...]
    forms: tuple[str, ...]
    why_not: tuple[str, ...]  # "<route>: <phrase>" for each other route


# ---------------------------------------------------------------------------- the data file


class TriageDataError(ValueError):
    """``routes.yml`` breaks a rule; the message names the entry."""


@dataclass(frozen=True)
class StepRef:
    """A catalog fact used as a next step: its topic id and the opening words of its text."""

    topic: str
    fact: str


@dataclass(frozen=True)
class RedFlagRule:
    """A red flag: its phrase, whether the red-flag question lists it, how facts reveal it, and
    whether paying in full still makes it a ``pay`` route (``unless_paying_in_full``)."""

    id: str
    reason: str
    asked: bool
    stages: tuple[str, ...] = ()
    figure: str | None = None
    right: str | None = None
    unless_paying_in_full: bool = False
    paying_reason: str | None = None  # the phrase when the person pays in full anyway


@dataclass(frozen=True)
class ExtraSteps:
    """Steps that go before a route's own steps when a situation applies."""

    when: str
    route: str
    steps: tuple[StepRef, ...]
    unless_mentioned: tuple[str, ...] = ()
    while_right_open: str | None = None


@dataclass(frozen=True)
class TriageData:
    """Everything ``routes.yml`` holds."""

    reasons: Mapping[str, str]
    said: Mapping[str, str]
    why_not: Mapping[str, str]
    red_flags: Mapping[str, RedFlagRule]
    route_steps: Mapping[str, tuple[StepRef, ...]]
    extra_steps: tuple[ExtraSteps, ...]
    headlines: Mapping[str, str]
    sign_phrases: Mapping[str, str]
    plan_in_place_stages: tuple[str, ...]
    hearing_reminder: str


_REASON_KEYS = (
    "agrees",
    "disagrees",
    "can_pay_in_full",
    "cannot_pay_in_full",
    "missed_installment",
    "can_cure_missed_installment",
    "cannot_cure_missed_installment",
    HARDSHIP,
    "plan_in_place",
)
_WHY_NOT_KEYS = (
    "plan_in_place",
    "disagrees",
    "agrees",
    "can_pay_in_full",
    "cannot_pay_in_full",
    "can_cure_missed_installment",
    "cannot_cure_missed_installment",
    HARDSHIP,
    "red_flags",
    "no_red_flags",
    "no_red_flags_known",
)


def _phrases(raw: Any, keys: Sequence[str], where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise TriageDataError(f"{where}: expected a mapping of phrases")
    missing = [key for key in keys if not raw.get(key)]
    if missing:
        raise TriageDataError(f"{where}: missing {missing}")
    return {str(key): str(value) for key, value in raw.items()}


def _step_refs(raw: Any, where: str) -> tuple[StepRef, ...]:
    if not raw:
        raise TriageDataError(f"{where}: needs at least one step")
    refs = []
    for item in raw:
        if not isinstance(item, Mapping) or not item.get("topic") or not item.get("fact"):
            raise TriageDataError(f"{where}: a step needs 'topic' and 'fact'")
        refs.append(StepRef(topic=str(item["topic"]), fact=str(item["fact"])))
    return tuple(refs)


def _route_name(value: Any, where: str) -> str:
    if value not in ROUTES:
        raise TriageDataError(f"{where}: route must be one of {ROUTES}, not {value!r}")
    return str(value)


def parse_triage_data(raw: Mapping[str, Any]) -> TriageData:
    """Build and check the triage data from a plain mapping (as read from YAML)."""
    flags_raw = raw.get("red_flags") or {}
    if set(flags_raw) != set(RED_FLAGS):
        raise TriageDataError(f"red_flags: expected exactly {RED_FLAGS}, got {tuple(flags_raw)}")
    red_flags = {}
    for flag in RED_FLAGS:
        entry = flags_raw[flag] or {}
        if not entry.get("reason"):
            raise TriageDataError(f"red_flags.{flag}: missing 'reason'")
        red_flags[flag] = RedFlagRule(
            id=flag,
            reason=str(entry["reason"]),
            asked=bool(entry.get("asked", False)),
            stages=tuple(str(s) for s in entry.get("stages") or ()),
            figure=str(entry["figure"]) if entry.get("figure") else None,
            right=str(entry["right"]) if entry.get("right") else None,
            unless_paying_in_full=bool(entry.get("unless_paying_in_full", False)),
            paying_reason=str(entry["paying_reason"]) if entry.get("paying_reason") else None,
        )
    route_steps_raw = raw.get("route_steps") or {}
    if set(route_steps_raw) != set(ROUTES):
        raise TriageDataError(f"route_steps: needs exactly the routes {ROUTES}")
    situations = {HARDSHIP, MISSED_INSTALLMENT, PLAN_IN_PLACE, DISPUTES_AMOUNT, *RED_FLAGS}
    extras = []
    for i, entry in enumerate(raw.get("extra_steps") or ()):
        where = f"extra_steps[{i}]"
        if entry.get("when") not in situations:
            raise TriageDataError(f"{where}: 'when' must be one of {sorted(situations)}")
        extras.append(
            ExtraSteps(
                when=str(entry["when"]),
                route=_route_name(entry.get("route"), where),
                steps=_step_refs(entry.get("steps"), where),
                unless_mentioned=tuple(str(w) for w in entry.get("unless_mentioned") or ()),
                while_right_open=str(entry["while_right_open"])
                if entry.get("while_right_open")
                else None,
            )
        )
    headlines = _phrases(raw.get("headlines"), ROUTES, "headlines")
    plan = raw.get("plan_in_place") or {}
    if not plan.get("stages"):
        raise TriageDataError("plan_in_place: needs 'stages'")
    if "{last_day}" not in str(raw.get("hearing_reminder") or ""):
        raise TriageDataError("hearing_reminder: needs a text with {last_day}")
    asked = [flag for flag in RED_FLAGS if red_flags[flag].asked]
    return TriageData(
        sign_phrases=_phrases(raw.get("signs"), asked, "signs"),
        reasons=_phrases(raw.get("reasons"), _REASON_KEYS, "reasons"),
        said=_phrases(raw.get("said"), _REASON_KEYS, "said"),
        headlines=headlines,
        plan_in_place_stages=tuple(str(stage) for stage in plan["stages"]),
        hearing_reminder=str(raw["hearing_reminder"]),
        why_not=_phrases(raw.get("why_not"), _WHY_NOT_KEYS, "why_not"),
        red_flags=red_flags,
        route_steps={
            route: _step_refs(route_steps_raw[route], f"route_steps.{route}") for route in ROUTES
        },
        extra_steps=tuple(extras),
    )


@lru_cache(maxsize=1)
def triage_data() -> TriageData:
    """Read ``routes.yml`` of the knowledge directory once (on first use, never at import)."""
    from noticebot.settings import get_settings

    with (get_settings().knowledge_dir / ROUTES_FILE).open(encoding="utf-8") as handle:
        return parse_triage_data(yaml.safe_load(handle) or {})


def asked_red_flags() -> tuple[str, ...]:
    """The red flags the one red-flag question lists, in ``RED_FLAGS`` order."""
    rules = triage_data().red_flags
    return tuple(flag for flag in RED_FLAGS if rules[flag].asked)


# ---------------------------------------------------------------------------- catalog look-ups


def _topic(catalog: Catalog, topic_id: str) -> Topic | None:
    return next((topic for topic in catalog.topics if topic.id == topic_id), None)


def _mentions_form(text: str, form: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text) is not None


def _resolve_step(ref: StepRef, catalog: Catalog) -> tuple[str, tuple[str, ...]] | None:
    """The fact's text and the topic's forms it names, or ``None`` when not exactly one fact."""
    topic = _topic(catalog, ref.topic)
    if topic is None:
        return None
    matches = [fact for fact in topic.facts if fact.text.startswith(ref.fact)]
    if len(matches) != 1:
        return None
    text = matches[0].text
    return text, tuple(form for form in topic.forms if _mentions_form(text, form))


def missing_references(catalog: Catalog) -> tuple[str, ...]:
    """Every step of the data file that does not name exactly one fact of ``catalog``."""
    data = triage_data()
    refs = [ref for refs in data.route_steps.values() for ref in refs]
    refs += [ref for extra in data.extra_steps for ref in extra.steps]
    return tuple(
        f"{ref.topic}: {ref.fact!r}" for ref in refs if _resolve_step(ref, catalog) is None
    )


def _primary_notice(codes: Sequence[str], catalog: Catalog) -> Notice | None:
    for code in codes:
        notice = catalog.resolve(code)
        if notice is not None:
            return notice
    return None


def _right_passed(deadline: DeadlineResult | None, right_id: str) -> bool:
    if deadline is None:
        return False
    return any(
        right.id == right_id and right.days_left is not None and right.days_left < 0
        for right in deadline.rights
    )


def _open_right(deadline: DeadlineResult | None, right_id: str) -> ExpiringRight | None:
    if deadline is None:
        return None
    return next(
        (
            right
            for right in deadline.rights
            if right.id == right_id and right.days_left is not None and right.days_left >= 0
        ),
        None,
    )


# ---------------------------------------------------------------------------- questions and flags


def conditional_flags() -> frozenset[str]:
    """The red flags that paying in full overrides (a passed hearing window, a big balance)."""
    return frozenset(f.id for f in triage_data().red_flags.values() if f.unless_paying_in_full)


def plan_in_place(answers: TriageAnswers, catalog: Catalog) -> bool:
    """A levy notice came while the person's payment plan is in place (no payment missed)."""
    if not answers.installment_agreement or answers.missed_installment:
        return False
    stages = triage_data().plan_in_place_stages
    return any(
        notice is not None and notice.stage in stages
        for notice in map(catalog.resolve, answers.notice_codes)
    )


def next_question(answers: TriageAnswers, *, settled: bool = False) -> str | None:
    """The next answer to ask for (a ``QUESTIONS`` name), or ``None`` when triage can route.

    ``settled``: the route no longer depends on the amount or on paying (a payment plan in
    place with a levy notice), so only the warning signs are still worth asking.
    """
    if answers.red_flags - conditional_flags():
        return None
    if not settled:
        if answers.agrees_with_amount is None:
            return Q_AGREES
        if (
            answers.agrees_with_amount
            and not answers.hardship
            and answers.can_pay_in_full is None
        ):
            return Q_CAN_PAY
    if not answers.red_flags_checked:
        return Q_RED_FLAGS
    return None


def _limit(catalog: Catalog, figure_id: str, year: int | None) -> float:
    return catalog.figure(figure_id, year=year).value


def red_flags_in(
    *,
    amount: float | None,
    codes: Sequence[str],
    catalog: Catalog,
    year: int | None,
    deadline: DeadlineResult | None = None,
) -> frozenset[str]:
    """The red flags the facts reveal: balance over a limit, notice stages, a passed right.

    ``year`` picks the yearly figure (``None``: the newest). Payroll taxes, identity theft and
    the wish for a person are not in the facts: only the person's answers give them.
    """
    notices = [notice for notice in map(catalog.resolve, codes) if notice is not None]
    flags = set()
    for rule in triage_data().red_flags.values():
        if rule.stages and any(notice.stage in rule.stages for notice in notices):
            flags.add(rule.id)
        if rule.figure and amount is not None and amount > _limit(catalog, rule.figure, year):
            flags.add(rule.id)
        if rule.right and _right_passed(deadline, rule.right):
            flags.add(rule.id)
    return frozenset(flags)


# ---------------------------------------------------------------------------- routing


def _route_and_reasons(
    answers: TriageAnswers, flags: frozenset[str], *, plan: bool
) -> tuple[str, list[str]]:
    data = triage_data()
    phrase = data.reasons
    conditional = flags & conditional_flags()
    hard = flags - conditional
    if hard:
        return GET_HELP, [data.red_flags[flag].reason for flag in RED_FLAGS if flag in flags]
    if plan:
        return APPEAL, [phrase["plan_in_place"]]
    if answers.agrees_with_amount is None:
        raise ValueError("cannot route yet: ask whether the person agrees with the amount")
    agrees = answers.agrees_with_amount
    if conditional:
        if agrees and not answers.hardship and answers.can_pay_in_full is None:
            raise ValueError("cannot route yet: ask whether the person can pay in full")
        if not (agrees and answers.can_pay_in_full and not answers.hardship):
            return GET_HELP, [data.red_flags[f].reason for f in RED_FLAGS if f in conditional]
    if not agrees:
        return APPEAL, [phrase["disagrees"]]
    reasons = [phrase["agrees"]]
    if answers.missed_installment:
        reasons.append(phrase["missed_installment"])
    if answers.hardship:
        return NEGOTIATE, [*reasons, phrase[HARDSHIP]]
    if answers.can_pay_in_full is None:
        raise ValueError("cannot route yet: ask whether the person can pay in full")
    can = "can" if answers.can_pay_in_full else "cannot"
    key = f"{can}_cure_missed_installment" if answers.missed_installment else f"{can}_pay_in_full"
    reasons.append(phrase[key])
    if answers.can_pay_in_full:
        reasons += [
            data.red_flags[flag].paying_reason or data.red_flags[flag].reason
            for flag in RED_FLAGS
            if flag in conditional
        ]
    return (PAY if answers.can_pay_in_full else NEGOTIATE), reasons


def _why_not(route: str, answers: TriageAnswers, *, plan: bool) -> tuple[str, ...]:
    phrase = triage_data().why_not
    paying = "cure_missed_installment" if answers.missed_installment else "pay_in_full"
    if route == GET_HELP:
        other = dict.fromkeys((PAY, NEGOTIATE, APPEAL), phrase["red_flags"])
    else:
        no_flags = "no_red_flags" if answers.red_flags_checked else "no_red_flags_known"
        other = {GET_HELP: phrase[no_flags]}
    if route == APPEAL:
        reason = phrase["plan_in_place"] if plan else phrase["disagrees"]
        other[PAY] = other[NEGOTIATE] = reason
    elif route == PAY:
        other[APPEAL] = phrase["agrees"]
        other[NEGOTIATE] = phrase[f"can_{paying}"]
    elif route == NEGOTIATE:
        other[APPEAL] = phrase["agrees"]
        other[PAY] = phrase[HARDSHIP] if answers.hardship else phrase[f"cannot_{paying}"]
    return tuple(f"{name}: {other[name]}" for name in ROUTES if name != route)


def _steps_and_forms(
    route: str,
    *,
    notice: Notice | None,
    situations: frozenset[str],
    catalog: Catalog,
    deadline: DeadlineResult | None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = triage_data()
    advice = notice.routes.get(route) if notice is not None else None
    own: list[tuple[str, tuple[str, ...]]]
    if advice is not None and PLAN_IN_PLACE not in situations:
        # A step that needs a right (a hearing, an appeal) goes once that right has passed, and
        # so does a form only such steps named.
        kept = [
            step
            for step in advice.next_steps
            if (right := advice.right_of(step)) is None or not _right_passed(deadline, right)
        ]
        dropped = [step for step in advice.next_steps if step not in kept]
        own = [(step, ()) for step in kept]
        own_forms = tuple(
            form
            for form in advice.forms
            if not any(_mentions_form(step, form) for step in dropped)
            or any(_mentions_form(step, form) for step in kept)
        )
    else:
        own = _resolved(data.route_steps[route], catalog) if PLAN_IN_PLACE not in situations else []
        own_forms = tuple(form for _, forms in own for form in forms)
    said = " ".join(step for step, _ in own).lower()
    extra: list[tuple[str, tuple[str, ...]]] = []
    for entry in data.extra_steps:
        if entry.route != route or entry.when not in situations:
            continue
        if any(word.lower() in said for word in entry.unless_mentioned):
            continue
        refs = entry.steps
        if entry.while_right_open is not None:
            if _open_right(deadline, entry.while_right_open) is None:
                continue
            refs = tuple(ref for ref in refs if _listed_for(ref, notice, catalog))
        extra += _resolved(refs, catalog)
    steps = list(dict.fromkeys(step for step, _ in (*extra, *own)))
    hearing = _open_right(deadline, "cdp_hearing") if route != PAY else None
    if hearing is not None and hearing.last_day is not None:
        reminder = data.hearing_reminder.format(last_day=_say_day(hearing.last_day))
        steps.insert(0, reminder)
    forms = (*(form for _, forms in extra for form in forms), *own_forms)
    if hearing is not None and hearing.form:
        forms = (hearing.form, *forms)
    return tuple(steps), tuple(dict.fromkeys(forms))


def _say_day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _listed_for(ref: StepRef, notice: Notice | None, catalog: Catalog) -> bool:
    """True when no notice is known or the step's topic lists the notice."""
    if notice is None:
        return True
    topic = _topic(catalog, ref.topic)
    return topic is not None and notice.code in topic.notice_codes


def _resolved(refs: Sequence[StepRef], catalog: Catalog) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for ref in refs:
        step = _resolve_step(ref, catalog)
        if step is None:
            logger.warning("triage step not found in the catalog: %s %r", ref.topic, ref.fact)
        else:
            found.append(step)
    return found


def triage(
    answers: TriageAnswers,
    *,
    catalog: Catalog,
    deadline: DeadlineResult | None = None,
    year: int | None = None,
) -> TriageResult:
    """Route the person and say why, what to do next, which forms, and why not the other routes.

    ``deadline`` is the computed deadline of the first known notice of ``answers``; ``year``
    picks the yearly figures (``None``: the newest). Raises ``ValueError`` when no red flag
    decides and the answers ``next_question`` asks for first are missing.
    """
    notice = _primary_notice(answers.notice_codes, catalog)
    if deadline is not None and (notice is None or deadline.notice_code != notice.code):
        raise ValueError(
            f"the deadline is for {deadline.notice_code}, not for the triaged notice "
            f"{notice.code if notice else None}"
        )
    flags = answers.red_flags | red_flags_in(
        amount=answers.amount,
        codes=answers.notice_codes,
        catalog=catalog,
        year=year,
        deadline=deadline,
    )
    plan = plan_in_place(answers, catalog)
    route, reasons = _route_and_reasons(answers, flags, plan=plan)
    situations = set(flags)
    if answers.hardship:
        situations.add(HARDSHIP)
    if answers.missed_installment:
        situations.add(MISSED_INSTALLMENT)
    if plan and route == APPEAL:
        situations.add(PLAN_IN_PLACE)
    if answers.agrees_with_amount is False and route == APPEAL:
        situations.add(DISPUTES_AMOUNT)
    steps, forms = _steps_and_forms(
        route, notice=notice, situations=frozenset(situations), catalog=catalog, deadline=deadline
    )
    return TriageResult(
        route=route,
        notice_code=notice.code if notice is not None else None,
        reasons=tuple(reasons),
        next_steps=steps,
        forms=forms,
        why_not=_why_not(route, answers, plan=plan),
    )


def triage_payload(result: TriageResult) -> dict[str, Any]:
    """The ``triage_result`` payload, with exactly the fields of docs/contract.md."""
    return {
        "type": "triage_result",
        "route": result.route,
        "notice_code": result.notice_code,
        "reasons": list(result.reasons),
        "next_steps": list(result.next_steps),
        "forms": list(result.forms),
    }


def said_reasons(result: TriageResult) -> str:
    """The reasons in the person's terms ("you agree with the amount; ...")."""
    data = triage_data()
    to_said = {data.reasons[key]: data.said[key] for key in data.said}
    return "; ".join(to_said.get(reason, reason) for reason in result.reasons)


def triage_replies(result: TriageResult) -> list[Reply]:
    """The messages that recommend the route: why, then the next steps with the card."""
    replies = [
        Reply(
            f"utter_route_{result.route}",
            {"reasons": said_reasons(result), "headline": triage_data().headlines[result.route]},
        ),
        Reply(
            "utter_next_steps",
            {"steps": "\n".join(f"- {step}" for step in result.next_steps)},
            payload=triage_payload(result),
        ),
    ]
    if result.forms:
        replies.append(Reply("utter_forms", {"forms": ", ".join(result.forms)}))
    return replies


def reminder_replies(result: TriageResult) -> list[Reply]:
    """A short reminder of a route already given (asked "what should I do?" again)."""
    first = result.next_steps[0] if result.next_steps else ""
    return [
        Reply(
            "utter_route_reminder",
            {"headline": triage_data().headlines[result.route], "first_step": first},
        )
    ]


def offers_a_person(result: TriageResult) -> bool:
    """Routes after which a person is offered: negotiate and get_help."""
    return result.route in ("negotiate", "get_help")
