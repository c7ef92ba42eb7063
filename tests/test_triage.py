"""Triage: question order, routes per notice, red flags, the missed CDP window, the payload."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest

from noticebot.deadlines import DeadlineResult, compute_deadline
from noticebot.knowledge.catalog import ROUTES, Catalog, load_catalog, parse_catalog
from noticebot.settings import PROJECT_ROOT
from noticebot.triage import (
    DISPUTES_AMOUNT,
    HARDSHIP,
    MISSED_INSTALLMENT,
    PLAN_IN_PLACE,
    Q_AGREES,
    Q_CAN_PAY,
    Q_RED_FLAGS,
    RED_FLAGS,
    TriageAnswers,
    TriageDataError,
    TriageResult,
    asked_red_flags,
    conditional_flags,
    missing_references,
    next_question,
    parse_triage_data,
    red_flags_in,
    triage,
    triage_data,
    triage_payload,
)
from noticebot.triage import _steps_and_forms as steps_and_forms

D = dt.date
NOTICE_DATE = D(2026, 3, 2)
SRC = ["https://www.irs.gov/example"]


def answers(
    *codes: str,
    agrees: bool | None = None,
    can_pay: bool | None = None,
    flags: tuple[str, ...] = (),
    checked: bool = True,
    **other: Any,
) -> TriageAnswers:
    """Answers in one short line: codes, then the answers by keyword."""
    return TriageAnswers(
        notice_codes=codes,
        agrees_with_amount=agrees,
        can_pay_in_full=can_pay,
        red_flags=frozenset(flags),
        red_flags_checked=checked,
        **other,
    )


def deadline_for(catalog: Catalog, code: str, *, days_after_notice: int) -> DeadlineResult:
    """The deadline of ``code`` dated NOTICE_DATE, seen ``days_after_notice`` days later."""
    today = NOTICE_DATE + dt.timedelta(days=days_after_notice)
    return compute_deadline(catalog.notice(code), today=today, notice_date=NOTICE_DATE)


def reason(flag: str) -> str:
    """The phrase a red flag puts in ``reasons``."""
    return triage_data().red_flags[flag].reason


def catalog_forms(catalog: Catalog) -> set[str]:
    """Every form the catalog names in a notice's route advice or a topic."""
    forms = {f for n in catalog.notices.values() for a in n.routes.values() for f in a.forms}
    return forms | {f for topic in catalog.topics for f in topic.forms}


def catalog_steps(catalog: Catalog) -> set[str]:
    """Every text the catalog could give as a step: route advice and topic facts."""
    steps = {s for n in catalog.notices.values() for a in n.routes.values() for s in a.next_steps}
    return steps | {fact.text for topic in catalog.topics for fact in topic.facts}


# A grid of every notice with every combination of answers that routes.
ANSWER_GRID: list[dict[str, Any]] = [
    {"agrees": agrees, "can_pay": can_pay, "hardship": hardship, "missed_installment": missed}
    for agrees, can_pay, hardship, missed in itertools.product(
        (True, False), (True, False), (True, False), (True, False)
    )
]


def every_result(catalog: Catalog) -> list[TriageResult]:
    """Triage every notice (and no notice) with every answer of the grid and every red flag."""
    results = []
    for code in (*catalog.notices, None):
        codes = (code,) if code else ()
        for grid in ANSWER_GRID:
            results.append(triage(answers(*codes, **grid), catalog=catalog))
        for flag in RED_FLAGS:
            agrees = False if flag in conditional_flags() else None
            results.append(triage(answers(*codes, agrees=agrees, flags=(flag,)), catalog=catalog))
    return results


# ---------------------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (TriageAnswers(), Q_AGREES),
        (answers(agrees=None, checked=False, hardship=True), Q_AGREES),
        (answers(agrees=True, checked=False), Q_CAN_PAY),
        (answers(agrees=True, checked=False, missed_installment=True), Q_CAN_PAY),
        (answers(agrees=True, can_pay=False, checked=False), Q_RED_FLAGS),
        (answers(agrees=True, can_pay=True, checked=False), Q_RED_FLAGS),
        (answers(agrees=False, checked=False), Q_RED_FLAGS),  # no "can you pay" when disputing
        (answers(agrees=True, checked=False, hardship=True), Q_RED_FLAGS),  # hardship: can't pay
        (answers(agrees=True, can_pay=True), None),
        (answers(agrees=True, can_pay=False), None),
        (answers(agrees=False), None),
    ],
)
def test_questions_come_in_order_and_known_answers_are_skipped(
    given: TriageAnswers, expected: str | None
) -> None:
    assert next_question(given) == expected


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_a_known_red_flag_ends_the_questions(flag: str) -> None:
    if flag in conditional_flags():  # paying in full could still make it a pay route
        assert next_question(TriageAnswers(red_flags=frozenset({flag}))) == Q_AGREES
    else:
        assert next_question(TriageAnswers(red_flags=frozenset({flag}))) is None


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_a_known_red_flag_routes_with_no_other_answer(flag: str, catalog: Catalog) -> None:
    given = TriageAnswers(red_flags=frozenset({flag}))
    if flag in conditional_flags():
        with pytest.raises(ValueError, match="agrees"):
            triage(given, catalog=catalog)
        given = answers(agrees=False, flags=(flag,))
    assert triage(given, catalog=catalog).route == "get_help"


def test_the_conditional_flags_are_the_passed_window_and_the_big_balance() -> None:
    assert conditional_flags() == {"missed_hearing_window", "over_streamlined_limit"}


@pytest.mark.parametrize("flag", ["missed_hearing_window", "over_streamlined_limit"])
def test_paying_in_full_overrides_a_conditional_flag_and_says_so(
    flag: str, catalog: Catalog
) -> None:
    result = triage(answers("CP14", agrees=True, can_pay=True, flags=(flag,)), catalog=catalog)
    assert result.route == "pay"
    assert triage_data().red_flags[flag].paying_reason in result.reasons
    not_paying = triage(answers("CP14", agrees=True, can_pay=False, flags=(flag,)),
                        catalog=catalog)
    assert (not_paying.route, not_paying.reasons) == ("get_help", (reason(flag),))


def test_the_red_flag_question_lists_only_what_the_person_can_tell() -> None:
    assert asked_red_flags() == (
        "levy_in_place",
        "over_streamlined_limit",
        "payroll_taxes",
        "identity_theft",
        "passport",
    )


@pytest.mark.parametrize(
    "given",
    [
        TriageAnswers(),
        answers(agrees=None, hardship=True),
        answers(agrees=True),
        answers(agrees=True, missed_installment=True),
    ],
)
def test_triage_refuses_to_guess_before_the_questions_are_answered(
    given: TriageAnswers, catalog: Catalog
) -> None:
    with pytest.raises(ValueError, match="cannot route yet"):
        triage(given, catalog=catalog)


@pytest.mark.parametrize("grid", ANSWER_GRID)
def test_when_no_question_is_left_triage_routes(grid: dict[str, Any], catalog: Catalog) -> None:
    given = answers("CP504", **grid)
    assert next_question(given) is None
    assert triage(given, catalog=catalog).route in ROUTES


# ---------------------------------------------------------------------------- routes per notice


@pytest.mark.parametrize(
    ("code", "agrees", "can_pay", "route", "forms"),
    [
        ("CP14", True, True, "pay", ()),
        ("CP14", True, False, "negotiate", ("9465",)),
        ("CP14", False, None, "appeal", ()),
        ("CP501", True, True, "pay", ()),
        ("CP501", True, False, "negotiate", ("9465",)),
        ("CP501", False, None, "appeal", ()),
        ("CP504", True, True, "pay", ()),
        ("CP504", True, False, "negotiate", ("9465", "433-F", "433-A", "656")),
        ("CP504", False, None, "appeal", ("9423",)),  # Collection Appeals Program
        ("CP521", True, True, "pay", ()),
        ("CP521", True, False, "negotiate", ()),
        ("CP521", False, None, "appeal", ("9423",)),
        ("CP523", True, True, "pay", ()),
        ("CP523", True, False, "negotiate", ("433-F", "433-A")),
        ("CP523", False, None, "appeal", ("9423",)),  # Collection Appeals Program
        ("LT11", True, True, "pay", ()),
        ("LT11", True, False, "negotiate", ("9465", "433-F", "433-A", "656")),
        ("LT11", False, None, "appeal", ("12153",)),  # Collection Due Process hearing
        ("LTR1058", True, True, "pay", ()),
        ("LTR1058", True, False, "negotiate", ("433-A", "433-F", "9465", "656")),
        ("LTR1058", False, None, "appeal", ("12153",)),
        ("CP90", True, True, "pay", ()),
        ("CP90", True, False, "negotiate", ("9465", "656")),
        ("CP90", False, None, "appeal", ("12153",)),
        ("CP2000", True, True, "pay", ()),
        ("CP2000", True, False, "negotiate", ("9465",)),
        ("CP2000", False, None, "appeal", ()),  # respond with documents
    ],
)
def test_routes_per_notice_use_the_notices_own_advice(
    code: str,
    agrees: bool,
    can_pay: bool | None,
    route: str,
    forms: tuple[str, ...],
    catalog: Catalog,
) -> None:
    result = triage(answers(code, agrees=agrees, can_pay=can_pay), catalog=catalog)
    advice = catalog.notice(code).routes[route]
    assert (result.route, result.notice_code) == (route, code)
    said = " ".join(advice.next_steps).lower()
    if route == "appeal" and not any(
        words in said for words in ("call the phone number", "call the toll-free", "response form")
    ):
        # a dispute starts with a call with proof (docs/contract.md), before the notice's own steps
        assert result.next_steps[0].startswith("If a balance-due notice is wrong")
        assert result.next_steps[1:] == advice.next_steps
    else:
        assert result.next_steps == advice.next_steps
    assert result.forms == forms


@pytest.mark.parametrize("code", ["CP508C", "LTR6152", "CP297A", "CP297C", "CP90C"])
@pytest.mark.parametrize("grid", ANSWER_GRID[::3])
def test_passport_and_levy_notices_always_get_help(
    code: str, grid: dict[str, Any], catalog: Catalog
) -> None:
    result = triage(answers(code, **grid), catalog=catalog)
    assert result.route == "get_help"


@pytest.mark.parametrize(
    ("code", "expected_reason", "forms"),
    [
        ("CP508C", "passport", ("2848", "911")),
        ("LTR6152", "passport", ("2848", "911")),
        ("CP297A", "levy_in_place", ("2848", "911")),
    ],
)
def test_get_help_notices_name_the_flag_and_keep_their_forms(
    code: str, expected_reason: str, forms: tuple[str, ...], catalog: Catalog
) -> None:
    result = triage(answers(code, agrees=True, can_pay=True), catalog=catalog)
    assert result.reasons == (reason(expected_reason),)
    assert set(forms) <= set(result.forms)
    assert set(catalog.notice(code).routes["get_help"].next_steps) <= set(result.next_steps)


def test_an_alias_is_reported_by_its_canonical_code(catalog: Catalog) -> None:
    result = triage(answers("CP 504", agrees=True, can_pay=True), catalog=catalog)
    assert result.notice_code == "CP504"


def test_the_first_known_notice_leads_and_any_notice_can_raise_a_flag(catalog: Catalog) -> None:
    result = triage(answers("CP999", "CP504", "CP508C", agrees=True, can_pay=True), catalog=catalog)
    assert (result.notice_code, result.route) == ("CP504", "get_help")
    assert result.reasons == (reason("passport"),)


@pytest.mark.parametrize(
    ("route", "agrees", "can_pay", "topic_ids"),
    [
        ("pay", True, True, {"how_to_pay"}),
        ("negotiate", True, False, {"installment_agreements"}),
        ("appeal", False, None, {"disputing_a_notice"}),
    ],
)
def test_without_a_notice_the_steps_come_from_topics(
    route: str, agrees: bool, can_pay: bool | None, topic_ids: set[str], catalog: Catalog
) -> None:
    result = triage(answers(agrees=agrees, can_pay=can_pay), catalog=catalog)
    facts = {f.text for t in catalog.topics if t.id in topic_ids for f in t.facts}
    assert (result.route, result.notice_code) == (route, None)
    assert result.next_steps and set(result.next_steps) <= facts


def test_an_unknown_code_is_triaged_without_a_notice(catalog: Catalog) -> None:
    result = triage(answers("CP999", agrees=True, can_pay=False), catalog=catalog)
    assert (result.route, result.notice_code, result.forms) == ("negotiate", None, ("9465",))


# ---------------------------------------------------------------------------- situations


@pytest.mark.parametrize("can_pay", [None, True, False])
def test_hardship_negotiates_whatever_they_said_about_paying(
    can_pay: bool | None, catalog: Catalog
) -> None:
    result = triage(answers("CP501", agrees=True, can_pay=can_pay, hardship=True), catalog=catalog)
    assert result.route == "negotiate"
    assert result.reasons == ("agrees with the amount", "cannot meet basic living expenses")


def test_hardship_puts_not_collectible_status_first(catalog: Catalog) -> None:
    result = triage(answers("CP501", agrees=True, hardship=True), catalog=catalog)
    assert result.next_steps[0].startswith("If you are in financial hardship")


def test_hardship_is_not_said_twice_when_the_notice_covers_it(catalog: Catalog) -> None:
    result = triage(answers("CP14", agrees=True, hardship=True), catalog=catalog)
    assert set(catalog.notice("CP14").routes["negotiate"].next_steps) <= set(result.next_steps)
    cnc = "If you are in financial hardship"
    assert not any(step.startswith(cnc) for step in result.next_steps)


@pytest.mark.parametrize(
    ("can_pay", "route", "cure_reason"),
    [
        (True, "pay", "can pay the missed installment"),
        (False, "negotiate", "cannot pay the missed installment"),
    ],
)
def test_a_missed_installment_is_cured_or_reinstated(
    can_pay: bool, route: str, cure_reason: str, catalog: Catalog
) -> None:
    result = triage(
        answers("CP521", agrees=True, can_pay=can_pay, missed_installment=True), catalog=catalog
    )
    assert result.route == route
    agrees, missed = "agrees with the amount", "missed an installment payment"
    assert result.reasons == (agrees, missed, cure_reason)
    assert result.next_steps[0].startswith("Contact the IRS right away to see if your plan")


def test_cp523_reinstatement_comes_from_the_notice_alone(catalog: Catalog) -> None:
    result = triage(
        answers("CP523", agrees=True, can_pay=False, missed_installment=True), catalog=catalog
    )
    assert result.next_steps == catalog.notice("CP523").routes["negotiate"].next_steps


# ---------------------------------------------------------------------------- red flags


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_each_red_flag_overrides_a_pay_route(flag: str, catalog: Catalog) -> None:
    result = triage(answers("CP14", agrees=True, can_pay=True, flags=(flag,)), catalog=catalog)
    if flag in conditional_flags():
        assert result.route == "pay"  # see test_paying_in_full_overrides_a_conditional_flag
    else:
        assert (result.route, result.reasons) == ("get_help", (reason(flag),))


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_each_red_flag_overrides_an_appeal(flag: str, catalog: Catalog) -> None:
    result = triage(answers("LT11", agrees=False, flags=(flag,)), catalog=catalog)
    assert result.route == "get_help"


def test_reasons_name_every_flag_in_a_fixed_order(catalog: Catalog) -> None:
    result = triage(answers(flags=("asked_for_human", "levy_in_place")), catalog=catalog)
    assert result.reasons == (reason("levy_in_place"), reason("asked_for_human"))


def test_get_help_without_its_own_advice_uses_help_topics(catalog: Catalog) -> None:
    result = triage(answers("CP14", flags=("identity_theft",)), catalog=catalog)
    assert "get_help" not in catalog.notice("CP14").routes
    assert result.notice_code == "CP14"
    assert result.forms == ("2848", "911")


@pytest.mark.parametrize(
    ("amount", "codes", "year", "expected"),
    [
        (None, (), 2026, set()),
        (50_000, (), 2026, set()),  # the limit itself is inside it
        (50_000.01, (), 2026, {"over_streamlined_limit"}),
        (30_000, (), 2011, {"over_streamlined_limit"}),  # the $25,000 limit before 2012
        (30_000, (), 2012, set()),
        (75_000, (), None, {"over_streamlined_limit"}),  # no year: the newest limit
        (None, ("CP508C",), 2026, {"passport"}),
        (None, ("LTR6152",), 2026, {"passport"}),
        (None, ("CP297A",), 2026, {"levy_in_place"}),
        (None, ("CP297C",), 2026, {"levy_in_place"}),  # an alias of CP297A
        (None, ("CP90C",), 2026, {"levy_in_place"}),
        (None, ("CP504B",), 2026, set()),  # payroll taxes: only the person can say
        (None, ("CP504", "LT11", "CP999"), 2026, set()),
        (60_000, ("CP14", "CP508C"), 2026, {"passport", "over_streamlined_limit"}),
    ],
)
def test_red_flags_from_facts(
    amount: float | None,
    codes: tuple[str, ...],
    year: int | None,
    expected: set[str],
    catalog: Catalog,
) -> None:
    assert red_flags_in(amount=amount, codes=codes, catalog=catalog, year=year) == expected


@pytest.mark.parametrize(("amount", "route"), [(49_000, "negotiate"), (75_000, "get_help")])
def test_an_amount_over_the_streamlined_limit_needs_help(
    amount: float, route: str, catalog: Catalog
) -> None:
    result = triage(answers("CP504", agrees=True, can_pay=False, amount=amount), catalog=catalog)
    assert result.route == route


def test_over_the_limit_says_a_financial_statement_is_needed(catalog: Catalog) -> None:
    result = triage(answers("CP504", agrees=True, can_pay=False, amount=75_000), catalog=catalog)
    assert result.reasons == (reason("over_streamlined_limit"),)
    assert "financial statement" in result.next_steps[0]
    assert {"433-F", "433-A", "911"} <= set(result.forms)


# ---------------------------------------------------------------------------- the CDP window


@pytest.mark.parametrize("code", ["LT11", "LTR1058", "CP90"])
def test_inside_the_cdp_window_a_dispute_asks_for_the_hearing(code: str, catalog: Catalog) -> None:
    deadline = deadline_for(catalog, code, days_after_notice=10)
    result = triage(answers(code, agrees=False), catalog=catalog, deadline=deadline)
    assert (result.route, result.forms) == ("appeal", ("12153",))


@pytest.mark.parametrize("code", ["LT11", "LTR1058", "CP90"])
@pytest.mark.parametrize("agrees", [True, False])
def test_a_missed_cdp_window_is_a_red_flag_with_the_equivalent_hearing(
    code: str, agrees: bool, catalog: Catalog
) -> None:
    deadline = deadline_for(catalog, code, days_after_notice=45)
    result = triage(answers(code, agrees=agrees, can_pay=False), catalog=catalog, deadline=deadline)
    assert (result.route, result.reasons) == ("get_help", (reason("missed_hearing_window"),))
    assert "equivalent hearing" in result.next_steps[0]
    assert "12153" in result.forms


def test_after_a_year_the_equivalent_hearing_is_not_offered(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "LT11", days_after_notice=400)
    result = triage(answers("LT11", agrees=False), catalog=catalog, deadline=deadline)
    assert result.route == "get_help"
    assert not any("equivalent hearing" in step for step in result.next_steps)
    assert "12153" not in result.forms


def test_the_window_is_open_on_its_last_day(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "LT11", days_after_notice=30)
    assert deadline.days_left == 0
    result = triage(answers("LT11", agrees=False), catalog=catalog, deadline=deadline)
    assert result.route == "appeal"


def test_a_notice_without_a_hearing_right_has_no_window_to_miss(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "CP2000", days_after_notice=45)
    result = triage(answers("CP2000", agrees=False), catalog=catalog, deadline=deadline)
    assert result.route == "appeal"


def test_a_post_levy_notice_gets_no_equivalent_hearing_step(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "CP297A", days_after_notice=45)
    result = triage(answers("CP297A", agrees=False), catalog=catalog, deadline=deadline)
    assert result.reasons == (reason("levy_in_place"), reason("missed_hearing_window"))
    assert not any("equivalent hearing" in step for step in result.next_steps)


def test_red_flags_in_sees_the_missed_window(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "LT11", days_after_notice=45)
    flags = red_flags_in(
        amount=None, codes=("LT11",), catalog=catalog, year=2026, deadline=deadline
    )
    assert flags == {"missed_hearing_window"}


def test_a_deadline_for_another_notice_is_refused(catalog: Catalog) -> None:
    deadline = deadline_for(catalog, "LT11", days_after_notice=10)
    with pytest.raises(ValueError, match="LT11"):
        triage(answers("CP504", agrees=False), catalog=catalog, deadline=deadline)


# ---------------------------------------------------------------------------- no closed window

# Every notice of the real catalog (read once here: the list parametrizes the tests below).
ALL_CODES = sorted(load_catalog(PROJECT_ROOT / "data" / "knowledge").notices)
WINDOW_DAYS = range(0, 401)
SITUATIONS = (
    frozenset(),
    frozenset({DISPUTES_AMOUNT}),
    frozenset({"missed_hearing_window"}),
    frozenset({"missed_hearing_window", DISPUTES_AMOUNT}),
    frozenset({HARDSHIP}),
    frozenset({MISSED_INSTALLMENT}),
    frozenset({PLAN_IN_PLACE}),
)


def _closed_window_offers(
    catalog: Catalog,
    code: str,
    deadline: DeadlineResult,
    steps: tuple[str, ...],
    forms: tuple[str, ...],
    route: str,
) -> list[str]:
    """What ``steps``/``forms`` still offer of a right whose last day is behind us."""
    notice = catalog.notice(code)
    advice = notice.routes.get(route)
    passed = {r.id for r in deadline.rights if r.days_left is not None and r.days_left < 0}
    still_open = {r.id for r in deadline.rights if r.days_left is not None and r.days_left >= 0}
    reminder = triage_data().hearing_reminder.split("{last_day}")[0]
    problems = []
    for step in steps:
        right = advice.right_of(step) if advice is not None else None
        if right in passed:
            problems.append(f"step needs the passed right {right}: {step}")
        if "cdp_hearing" in passed and step.startswith(reminder):
            problems.append(f"the hearing reminder after the window: {step}")
        if "equivalent hearing" in step.lower() and "equivalent_hearing" not in still_open:
            problems.append(f"an equivalent hearing offered without an open window: {step}")
    for right in notice.rights:
        if right.id not in passed or not right.form or right.form not in forms:
            continue
        form_still_needed = right.form in " ".join(steps) or any(
            other.form == right.form and other.id in still_open for other in notice.rights
        )
        if not form_still_needed:
            problems.append(f"form {right.form} of the passed right {right.id}")
    return problems


@pytest.mark.parametrize("code", ALL_CODES)
def test_no_step_offers_a_right_whose_window_has_closed(code: str, catalog: Catalog) -> None:
    """Every notice, every day from 0 to 400 after its date, every route and situation."""
    notice = catalog.notice(code)
    problems = []
    for days in WINDOW_DAYS:
        deadline = compute_deadline(
            notice, today=NOTICE_DATE + dt.timedelta(days=days), notice_date=NOTICE_DATE
        )
        for route, situations in itertools.product(ROUTES, SITUATIONS):
            steps, forms = steps_and_forms(
                route, notice=notice, situations=situations, catalog=catalog, deadline=deadline
            )
            problems += [
                f"day {days}, {route}, {sorted(situations)}: {problem}"
                for problem in _closed_window_offers(catalog, code, deadline, steps, forms, route)
            ]
    assert not problems, problems[:5]


@pytest.mark.parametrize("code", ALL_CODES)
def test_triage_never_offers_a_closed_window(code: str, catalog: Catalog) -> None:
    """The whole triage, as people answer it, on the days around each window's end."""
    notice = catalog.notice(code)
    edges = {0, 400}
    for expiring in compute_deadline(notice, today=NOTICE_DATE, notice_date=NOTICE_DATE).rights:
        if expiring.last_day is not None:
            offset = (expiring.last_day - NOTICE_DATE).days
            edges |= {offset - 1, offset, offset + 1, offset + 30}
    for days in sorted(d for d in edges if 0 <= d <= 400):
        deadline = deadline_for(catalog, code, days_after_notice=days)
        for grid in ANSWER_GRID:
            result = triage(answers(code, **grid), catalog=catalog, deadline=deadline)
            problems = _closed_window_offers(
                catalog, code, deadline, result.next_steps, result.forms, result.route
            )
            assert not problems, (days, grid, problems)


@pytest.mark.parametrize(
    ("code", "days", "gone"),
    [
        # the review's findings: each was offered after its window had closed
        ("LTR3172", 800, "equivalent hearing"),  # years after the window
        ("CP91", 186, "within 30 days"),  # 156 days late
        ("CP298", 186, "within 30 days"),
        ("CP523", 94, "Collection Appeals Program"),  # 64 days after the 30-day window
        ("LT11", 400, "equivalent hearing"),
        ("CP3219A", 120, "Tax Court"),
        ("LTR1153", 90, "Appeals conference"),
    ],
)
def test_the_reviewed_late_offers_are_gone(
    code: str, days: int, gone: str, catalog: Catalog
) -> None:
    deadline = deadline_for(catalog, code, days_after_notice=days)
    for route in ROUTES:
        steps, _ = steps_and_forms(
            route, notice=catalog.notice(code), situations=frozenset({DISPUTES_AMOUNT}),
            catalog=catalog, deadline=deadline,
        )
        assert not any(gone in step for step in steps), (route, steps)


@pytest.mark.parametrize(
    ("code", "days", "offered"),
    [
        ("LTR3172", 20, "postmarked by the date printed on the letter"),
        ("LTR3172", 200, "equivalent hearing"),
        ("CP91", 29, "within 30 days"),
        ("CP523", 45, "after the termination"),
        ("CP3219A", 89, "Tax Court"),
    ],
)
def test_an_open_window_is_still_offered(
    code: str, days: int, offered: str, catalog: Catalog
) -> None:
    deadline = deadline_for(catalog, code, days_after_notice=days)
    steps, _ = steps_and_forms(
        "appeal", notice=catalog.notice(code), situations=frozenset(), catalog=catalog,
        deadline=deadline,
    )
    assert any(offered in step for step in steps), steps


def test_a_passed_right_takes_its_form_with_its_steps(catalog: Catalog) -> None:
    open_steps, open_forms = steps_and_forms(
        "appeal", notice=catalog.notice("LT11"), situations=frozenset(), catalog=catalog,
        deadline=deadline_for(catalog, "LT11", days_after_notice=100),
    )
    assert "12153" in open_forms and any("equivalent hearing" in s for s in open_steps)
    closed_steps, closed_forms = steps_and_forms(
        "appeal", notice=catalog.notice("LT11"), situations=frozenset(), catalog=catalog,
        deadline=deadline_for(catalog, "LT11", days_after_notice=400),
    )
    assert "12153" not in closed_forms and not any("12153" in s for s in closed_steps)


def test_without_a_deadline_every_step_is_offered(catalog: Catalog) -> None:
    advice = catalog.notice("LT11").routes["appeal"]
    steps, forms = steps_and_forms(
        "appeal", notice=catalog.notice("LT11"), situations=frozenset(), catalog=catalog,
        deadline=None,
    )
    assert (steps, forms) == (advice.next_steps, advice.forms)


# ---------------------------------------------------------------------------- why not


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            answers("CP504", agrees=True, can_pay=False),
            (
                "pay: you said you can't pay in full now",
                "appeal: you agree with the amount",
                "get_help: no red flags",
            ),
        ),
        (
            answers("CP504", agrees=True, can_pay=True, checked=False),
            (
                "negotiate: you can pay in full now",
                "appeal: you agree with the amount",
                "get_help: no red flags known so far",
            ),
        ),
        (
            answers("LT11", agrees=False),
            (
                "pay: you disagree with the amount or the action",
                "negotiate: you disagree with the amount or the action",
                "get_help: no red flags",
            ),
        ),
        (
            answers("CP14", agrees=True, hardship=True),
            (
                "pay: paying now would leave you short of basic living expenses",
                "appeal: you agree with the amount",
                "get_help: no red flags",
            ),
        ),
    ],
)
def test_why_not_the_other_routes(
    given: TriageAnswers, expected: tuple[str, ...], catalog: Catalog
) -> None:
    assert triage(given, catalog=catalog).why_not == expected


def test_why_not_covers_each_other_route_once(catalog: Catalog) -> None:
    for result in every_result(catalog):
        named = [line.split(": ", 1)[0] for line in result.why_not]
        assert named == [route for route in ROUTES if route != result.route]


# ---------------------------------------------------------------------------- the payload


def test_payload_has_exactly_specs_fields_and_types(catalog: Catalog) -> None:
    payload = triage_payload(triage(answers("CP504", agrees=True, can_pay=False), catalog=catalog))
    assert payload == {
        "type": "triage_result",
        "route": "negotiate",
        "notice_code": "CP504",
        "reasons": ["agrees with the amount", "cannot pay in full"],
        "next_steps": list(catalog.notice("CP504").routes["negotiate"].next_steps),
        "forms": ["9465", "433-F", "433-A", "656"],
    }
    assert json.loads(json.dumps(payload)) == payload


def test_payload_without_a_notice_has_a_null_code(catalog: Catalog) -> None:
    payload = triage_payload(triage(answers(flags=("asked_for_human",)), catalog=catalog))
    assert payload["notice_code"] is None
    assert all(
        isinstance(item, str) for key in ("reasons", "next_steps", "forms") for item in payload[key]
    )


# ---------------------------------------------------------------------------- nothing invented


def test_every_form_is_in_the_catalog(catalog: Catalog) -> None:
    known = catalog_forms(catalog)
    for result in every_result(catalog):
        assert set(result.forms) <= known, result


def test_every_step_is_catalog_text_and_none_is_empty(catalog: Catalog) -> None:
    known = catalog_steps(catalog)
    for result in every_result(catalog):
        assert result.next_steps, result
        assert all(step.strip() for step in result.next_steps), result
        assert set(result.next_steps) <= known, result
        assert len(set(result.next_steps)) == len(result.next_steps), result


def test_every_reference_of_the_data_file_finds_one_fact(catalog: Catalog) -> None:
    assert missing_references(catalog) == ()


def test_every_phrase_of_the_data_file_is_a_short_line() -> None:
    data = triage_data()
    phrases = [*data.reasons.values(), *data.why_not.values()]
    phrases += [rule.reason for rule in data.red_flags.values()]
    assert all(0 < len(phrase) <= 80 and "\n" not in phrase for phrase in phrases)


# ---------------------------------------------------------------------------- synthetic cases


def small_catalog(routes: dict[str, Any]) -> Catalog:
    """One test notice with the given routes and one topic for disputes."""
    notice = {
        "code": "CP999",
        "title": "Test notice",
        "audience": "individual",
        "stage": "balance_due",
        "meaning": {"text": "m", "sources": SRC},
        "deadline": {"rule": "none", "text": "t", "sources": SRC},
        "if_ignored": {"text": "i", "sources": SRC},
        "routes": routes,
    }
    topic = {
        "id": "disputing_a_notice",
        "title": "Disputes",
        "facts": [
            {"text": "If a balance-due notice is wrong, call.", "sources": SRC},
            {"text": "Whatever you dispute, answer in time.", "sources": SRC},
        ],
    }
    return parse_catalog([notice], [topic])


def test_a_notice_without_advice_for_the_route_falls_back_to_its_topic() -> None:
    catalog = small_catalog({"pay": {"next_steps": ["Pay it."], "sources": SRC}})
    result = triage(answers("CP999", agrees=False), catalog=catalog)
    assert result.next_steps == (
        "If a balance-due notice is wrong, call.",
        "Whatever you dispute, answer in time.",
    )


def test_the_notices_own_advice_wins_over_topics() -> None:
    advice = {"next_steps": ["Call with proof."], "forms": ["12345"], "sources": SRC}
    catalog = small_catalog({"appeal": advice})
    result = triage(answers("CP999", agrees=False), catalog=catalog)
    assert (result.next_steps, result.forms) == (("Call with proof.",), ("12345",))


def test_a_missing_topic_is_reported_not_invented() -> None:
    catalog = small_catalog({"pay": {"next_steps": ["Pay it."], "sources": SRC}})
    assert any(ref.startswith("how_to_pay") for ref in missing_references(catalog))
    assert triage(answers("CP999", agrees=True, can_pay=False), catalog=catalog).next_steps == ()


@pytest.mark.parametrize(("field", "value"), [("red_flags", frozenset({"late"})), ("amount", -5.0)])
def test_answers_refuse_unknown_flags_and_negative_amounts(field: str, value: Any) -> None:
    with pytest.raises(ValueError):
        TriageAnswers(**{field: value})


def test_the_data_file_must_define_every_red_flag() -> None:
    with pytest.raises(TriageDataError, match="red_flags"):
        parse_triage_data({"red_flags": {"passport": {"reason": "p"}}})
