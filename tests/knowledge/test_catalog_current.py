"""The catalog is current for 2026 and covers the notices people receive most (60 or more)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from noticebot.knowledge.catalog import CODE_RE, STAGES, Catalog, Notice, source_kind
from tests.knowledge.test_catalog import DEADLINE_RULES

# The notices added to the first 23 (SPEC_CODES; issue 13), and where they sit.
ADDED = {
    "CP11": "return_adjusted", "CP12": "return_adjusted", "CP23": "return_adjusted",
    "CP24": "return_adjusted", "CP49": "return_adjusted", "CP60": "return_adjusted",
    "CP22E": "balance_due", "CP14I": "balance_due", "CP134B": "balance_due",
    "CP128": "balance_due", "CP171": "annual_reminder", "CP71A": "annual_reminder",
    "CP71C": "annual_reminder", "CP71D": "annual_reminder", "CP71S": "annual_reminder",
    "CP90C": "levy_issued", "CP297C": "levy_issued", "CP92": "levy_issued",
    "CP242": "levy_issued", "CP508R": "passport_reversal", "LT24": "reminder",
    "LT26": "unfiled_returns", "LT38": "reminder", "LT39": "reminder", "LT40": "reminder",
    "CP59": "unfiled_returns", "CP515": "unfiled_returns", "CP2501": "proposed_change",
    "CP3219A": "deficiency_notice", "CP3219N": "deficiency_notice",
    "LTR3219": "deficiency_notice", "LTR525": "examination", "LTR950": "examination",
    "LTR1153": "examination", "LTR5071C": "identity_verification",
    "LTR4883C": "identity_verification", "LTR5747C": "identity_verification",
}
ALL_CODES = sorted(DEADLINE_RULES)


def _texts(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Every sentence the catalog can say: facts, deadlines, steps, rights, figure labels."""
    for code, notice in catalog.notices.items():
        facts = [notice.meaning, notice.if_ignored, *notice.facts]
        if notice.lost_when_passed is not None:
            facts.append(notice.lost_when_passed)
        for fact in facts:
            yield code, fact.text
        yield code, notice.deadline.text
        for advice in notice.routes.values():
            for step in advice.next_steps:
                yield code, step
        for right in notice.rights:
            yield code, right.lost
    for topic in catalog.topics:
        for fact in topic.facts:
            yield topic.id, fact.text
    for figure in catalog.figures:
        yield figure.id, figure.label


# ---------------------------------------------------------------------------- coverage


def test_the_catalog_holds_at_least_60_notices(catalog: Catalog) -> None:
    assert len(catalog.notices) >= 60
    assert set(ADDED) <= set(catalog.notices)


@pytest.mark.parametrize(("code", "stage"), sorted(ADDED.items()))
def test_added_notices_sit_at_their_stage(catalog: Catalog, code: str, stage: str) -> None:
    assert catalog.notice(code).stage == stage


def test_every_stage_in_use_is_documented(catalog: Catalog) -> None:
    assert {notice.stage for notice in catalog.notices.values()} <= set(STAGES)


def test_every_code_and_alias_is_canonical_and_unique(catalog: Catalog) -> None:
    names: dict[str, str] = {}
    for code, notice in catalog.notices.items():
        assert CODE_RE.match(code) and code == notice.code
        for name in (code, *notice.aliases):
            key = name.upper().replace(" ", "")
            assert names.setdefault(key, code) == code, name


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_notice_is_complete(catalog: Catalog, code: str) -> None:
    notice: Notice = catalog.notice(code)
    assert notice.title.strip() and notice.meaning.text.strip()
    assert notice.deadline.text.strip() and notice.if_ignored.text.strip()
    assert notice.audience in ("individual", "business", "both")
    assert notice.routes and all(advice.next_steps for advice in notice.routes.values())
    for advice in notice.routes.values():
        assert len(advice.step_rights) == len(advice.next_steps)
    if notice.rights:
        assert notice.lost_when_passed is not None, "a notice with a right says what is lost"


# ---------------------------------------------------------------------------- 2026 facts


def test_cp90c_is_an_individual_notice_and_cp297c_the_business_one(catalog: Catalog) -> None:
    assert catalog.notice("CP90C").audience == "individual"
    assert catalog.notice("CP297C").audience == "business"
    assert catalog.resolve("CP90C") is catalog.notice("CP90C")
    assert "CP90C" not in catalog.notice("CP297A").aliases


def test_no_text_says_an_individual_plan_must_be_paid_within_72_months(catalog: Catalog) -> None:
    assert not [(where, text) for where, text in _texts(catalog) if "72 months" in text]


def test_the_default_negotiate_step_describes_the_simple_payment_plan(catalog: Catalog) -> None:
    topic = next(t for t in catalog.topics if t.id == "installment_agreements")
    plan = next(f for f in topic.facts if f.text.startswith("Streamlined plan:"))
    assert "Simple Payment Plan" in plan.text and "10 years" in plan.text
    assert "$50,000" in plan.text and plan.year == 2025
    assert any("businesses can get a Simple Payment Plan" in f.text for f in topic.facts)


def test_the_payroll_express_plan_has_its_year(catalog: Catalog) -> None:
    topic = next(t for t in catalog.topics if t.id == "installment_agreements")
    express = next(f for f in topic.facts if "Trust Fund Express" in f.text)
    assert express.year == 2014


@pytest.mark.parametrize("code", ["CP504", "CP504B", "CP521", "CP91", "CP298"])
def test_a_disputed_amount_starts_with_a_call_with_proof(catalog: Catalog, code: str) -> None:
    steps = catalog.notice(code).routes["appeal"].next_steps
    assert "call" in steps[0] and ("proof" in steps[0] or "missing" in steps[0])
    for step in steps:
        if "Collection Appeals Program" in step:
            assert re.search(r"not the amount|how much you owe", step), step


def test_no_text_says_enforcement_is_coming(catalog: Catalog) -> None:
    overstated = re.compile(
        r"enforcement is coming|will (?:levy|seize|garnish|take your)|is about to levy",
        re.IGNORECASE,
    )
    assert not [(where, text) for where, text in _texts(catalog) if overstated.search(text)]


def test_a_home_levy_is_not_said_to_need_no_court(catalog: Catalog) -> None:
    for where, text in _texts(catalog):
        if re.search(r"without (?:a court order|going to court)", text):
            assert "home" not in text or "judge" in text or "court's approval" in text, where


# ---------------------------------------------------------------------------- steps and rights

# A step that offers a hearing, an appeal or the Tax Court inside a window names its right (a
# call to the number on the notice is always possible, whatever it asks).
WINDOWED = re.compile(
    r"12153|equivalent hearing|petition with the (?:U\.S\. )?Tax Court|Appeals conference|"
    r"Office of Appeals|within \d+ days|\d+ days of",
)


@pytest.mark.parametrize("code", ALL_CODES)
def test_steps_that_need_a_right_name_it(catalog: Catalog, code: str) -> None:
    notice = catalog.notice(code)
    right_ids = {right.id for right in notice.rights}
    for advice in notice.routes.values():
        for step, right in zip(advice.next_steps, advice.step_rights, strict=True):
            if right is not None:
                assert right in right_ids
            elif WINDOWED.search(step) and "call the phone number printed" not in step:
                pytest.fail(f"{code} {advice.route}: a windowed step without its right: {step}")


def test_the_cap_after_termination_is_sure_for_60_days(catalog: Catalog) -> None:
    rights = {r.id: r for r in catalog.notice("CP523").rights}
    right = rights["cap_appeal_after_termination"]
    assert right.days_from_notice == 60 and right.form == "9423"


@pytest.mark.parametrize(
    ("code", "right_id", "days"),
    [
        ("CP11", "math_error_reversal", 60),
        ("CP23", "math_error_reversal", 60),
        ("CP3219A", "tax_court_petition", 90),
        ("CP3219N", "tax_court_petition", 90),
        ("LTR3219", "tax_court_petition", 90),
        ("LTR525", "appeals_protest", 30),
        ("LTR950", "appeals_protest", 30),
        ("LTR1153", "tfrp_appeal", 60),
        ("CP90C", "cdp_hearing", 30),
        ("CP92", "cdp_hearing", 30),
    ],
)
def test_added_rights_and_their_windows(
    catalog: Catalog, code: str, right_id: str, days: int
) -> None:
    right = next(r for r in catalog.notice(code).rights if r.id == right_id)
    assert right.days_from_notice == days
    assert any(right_id in advice.step_rights for advice in catalog.notice(code).routes.values())


# ---------------------------------------------------------------------------- figures


def test_the_newest_row_is_returned_by_default(catalog: Catalog) -> None:
    for figure_id in {figure.id for figure in catalog.figures}:
        newest = max((f for f in catalog.figures if f.id == figure_id), key=lambda f: f.year)
        assert catalog.figure(figure_id) is newest


@pytest.mark.parametrize(
    ("figure_id", "year", "value"),
    [
        ("passport_threshold", 2026, 66000),
        ("interest_rate_underpayment", 2026, 6),
        ("streamlined_ia_limit", 2025, 50000),
        ("streamlined_ia_months", 2025, 120),
        ("ia_fee_payroll_deduction", 2024, 178),
        ("oic_application_fee", 2020, 205),
    ],
)
def test_defaults_are_the_current_rows(
    catalog: Catalog, figure_id: str, year: int, value: float
) -> None:
    figure = catalog.figure(figure_id)
    assert (figure.year, figure.value) == (year, value)


@pytest.mark.parametrize(
    ("figure_id", "year"),
    [("passport_threshold", 2025), ("passport_threshold", 2026),
     ("interest_rate_underpayment", 2026), ("ia_fee_payroll_deduction", 2024)],
)
def test_secondary_rows_are_unconfirmed_and_say_so(
    catalog: Catalog, figure_id: str, year: int
) -> None:
    figure = catalog.figure(figure_id, year=year)
    assert figure.year == year and not figure.confirmed and figure.secondary
    assert figure.caveat and re.search(r"secondary|non-IRS", figure.caveat)


def test_the_2026_interest_row_names_the_first_quarter_too(catalog: Catalog) -> None:
    caveat = catalog.figure("interest_rate_underpayment", year=2026).caveat or ""
    assert "7%" in caveat and "first quarter" in caveat


def test_fee_history_comes_from_the_regulations(catalog: Catalog) -> None:
    """Older fees are kept when the regulation (not a firm's page) gives them."""
    fees = {f.year: f for f in catalog.figures if f.id == "oic_application_fee"}
    assert {year: f.value for year, f in fees.items()} == {2003: 150, 2014: 186, 2020: 205}
    assert all(source_kind(f.sources[0]) == "primary" for f in fees.values())
    assert catalog.figure("oic_application_fee").value == 205
    assert catalog.figure("oic_application_fee", year=2010).value == 150
    assert catalog.figure("ia_reinstatement_fee", year=2004).value == 24
    assert catalog.figure("ia_fee_other_direct_debit", year=2012).value == 52
    assert catalog.figure("ia_fee_other", year=2016).value == 120
    assert catalog.figure("lien_filing_threshold", year=2010).value == 5000
    assert catalog.figure("lien_filing_threshold").value == 10000


@pytest.mark.parametrize(
    ("year", "quarter", "rate"),
    [
        (2016, 2, 4), (2017, 1, 4), (2017, 4, 4), (2018, 1, 4), (2018, 2, 5), (2019, 1, 6),
        (2019, 3, 5), (2020, 2, 5), (2020, 3, 3), (2021, 4, 3), (2022, 1, 3), (2022, 2, 4),
        (2022, 4, 6), (2023, 3, 7), (2023, 4, 8), (2024, 3, 8), (2025, 2, 7), (2026, 1, 7),
        (2026, 2, 6),
    ],
)
def test_interest_history_gives_the_rate_in_force_each_quarter(
    catalog: Catalog, year: int, quarter: int, rate: int
) -> None:
    """Rows are kept only where the rate changed; every quarter from April 2016 gets the rate
    then in force (Notice 746's table, IRS releases; 2022-2023 quarters unconfirmed)."""
    assert catalog.figure("interest_rate_underpayment", year=year, quarter=quarter).value == rate


def test_a_quarter_before_the_newest_rows_quarter_gets_the_row_in_force_then(
    catalog: Catalog,
) -> None:
    newest = catalog.figure("interest_rate_underpayment", year=2026)
    assert (newest.quarter, newest.value) == (2, 6)
    assert catalog.figure("interest_rate_underpayment", year=2026, quarter=4) is newest
    first_quarter = catalog.figure("interest_rate_underpayment", year=2026, quarter=1)
    assert (first_quarter.year, first_quarter.value) == (2025, 7)
    assert "first quarter of 2026" in (first_quarter.caveat or "")
