"""The curated catalog: it loads, covers the first notices, and keeps the rules people rely on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalog_entries import minimal_entry

from noticebot.deadlines import (
    BASIS_COUNTED,
    BASIS_ESTIMATED,
    BASIS_NEEDS_PRINTED_DATE,
    BASIS_NO_DEADLINE,
    compute_deadline,
)
from noticebot.knowledge.catalog import (
    FORM_RE,
    STAGES,
    Catalog,
    CatalogError,
    Fact,
    Notice,
    load_catalog,
    parse_catalog,
)

SPEC_CODES = (
    "CP14", "CP501", "CP503", "CP504", "CP504B", "CP521", "CP523", "CP90", "CP297", "CP297A",
    "LT11", "LT16", "LTR1058", "LTR3172", "CP508C", "LTR6152", "CP2000", "CP71", "CP22A",
    "CP161", "CP91", "CP298", "CP40",
)

REQUIRED_TOPICS = (
    "installment_agreements", "ia_reinstatement", "offer_in_compromise",
    "currently_not_collectible", "penalty_relief", "cdp_hearing", "equivalent_hearing",
    "collection_appeals_program", "hearings_compared", "liens", "levies",
    "passport_certification", "how_to_pay", "scams", "verify_notice", "report_scam",
    "taxpayer_advocate_service", "low_income_taxpayer_clinics", "authorizing_representative",
    "innocent_spouse", "collection_statute", "interest_and_penalties", "private_debt_collection",
    "deadlines_and_postmarks", "escalation_ladder", "disputing_a_notice",
)

# code -> (rule, days, fallback_days), as the sources give them.
DEADLINE_RULES = {
    # added with the 60-notice catalog
    "CP11": ("printed", None, None),
    "CP12": ("none", None, None),
    "CP23": ("printed", None, None),
    "CP24": ("none", None, None),
    "CP22E": ("printed", None, None),
    "CP49": ("printed", None, None),
    "CP60": ("printed", None, None),
    "CP14I": ("printed", None, None),
    "CP171": ("none", None, None),
    "CP134B": ("printed", None, None),
    "CP128": ("printed", None, None),
    "CP71A": ("none", None, None),
    "CP71C": ("none", None, None),
    "CP71D": ("none", None, None),
    "CP71S": ("none", None, None),
    "CP90C": ("printed", None, None),
    "CP297C": ("printed", None, None),
    "CP92": ("printed", None, None),
    "CP242": ("printed", None, None),
    "CP508R": ("none", None, None),
    "LT24": ("days_from_notice", 7, None),
    "LT26": ("days_from_notice", 10, None),
    "LT38": ("printed", None, None),
    "LT39": ("printed", None, None),
    "LT40": ("none", None, None),
    "CP59": ("printed", None, None),
    "CP515": ("printed", None, None),
    "CP2501": ("printed", None, None),
    "CP3219A": ("days_from_notice", 90, None),
    "CP3219N": ("days_from_notice", 90, None),
    "LTR3219": ("days_from_notice", 90, None),
    "LTR525": ("days_from_notice", 30, None),
    "LTR950": ("days_from_notice", 30, None),
    "LTR1153": ("days_from_notice", 60, None),
    "LTR5071C": ("none", None, None),
    "LTR4883C": ("none", None, None),
    "LTR5747C": ("none", None, None),
    # the first notices (SPEC_CODES)
    "CP523": ("days_from_notice", 30, None),
    "LT11": ("days_from_notice", 30, None),
    "LTR1058": ("days_from_notice", 30, None),
    "CP90": ("days_from_notice", 30, None),
    "CP297": ("days_from_notice", 30, None),
    "CP297A": ("days_from_notice", 30, None),
    "CP91": ("days_from_notice", 30, None),
    "CP298": ("days_from_notice", 30, None),
    "CP504B": ("days_from_notice", 30, None),
    "CP508C": ("days_from_notice", 30, None),
    "CP2000": ("days_from_notice", 30, None),
    "CP14": ("printed", None, 21),
    "LT16": ("printed", None, 10),
    "CP501": ("printed", None, None),
    "CP503": ("printed", None, None),
    "CP504": ("printed", None, None),
    "CP521": ("printed", None, None),
    "CP22A": ("printed", None, None),
    "CP161": ("printed", None, None),
    "LTR3172": ("printed", None, None),
    "LTR6152": ("printed", None, None),
    "CP71": ("none", None, None),
    "CP40": ("none", None, None),
}

CDP_LEVY_NOTICES = ("LT11", "LTR1058", "CP90", "CP297")
PHONE_RE = re.compile(r"\(?\d{3}\)?[ .-]\d{3}-\d{4}")
QUESTIONS_PATH = Path(__file__).parent / "questions.yml"
SRC = ["https://www.irs.gov/example"]


def _facts_of(notice: Notice) -> list[Fact]:
    facts = [notice.meaning, notice.if_ignored, *notice.facts]
    if notice.lost_when_passed is not None:
        facts.append(notice.lost_when_passed)
    return facts


def _right(notice: Notice, right_id: str) -> Any:
    matches = [r for r in notice.rights if r.id == right_id]
    assert matches, f"{notice.code} has no right {right_id!r}"
    return matches[0]


# ---------------------------------------------------------------------------- loading, coverage


def test_the_three_files_load(knowledge_dir: Path) -> None:
    catalog = load_catalog(knowledge_dir)
    assert len(catalog.notices) >= len(SPEC_CODES)
    assert len(catalog.topics) >= len(REQUIRED_TOPICS)
    assert catalog.figures


def test_every_spec_code_is_in_the_catalog(catalog: Catalog) -> None:
    assert set(SPEC_CODES) <= set(catalog.notices)


def test_every_required_topic_is_in_the_catalog(catalog: Catalog) -> None:
    assert set(REQUIRED_TOPICS) <= {t.id for t in catalog.topics}


def test_the_deadline_table_covers_every_notice(catalog: Catalog) -> None:
    assert set(DEADLINE_RULES) == set(catalog.notices)


# ---------------------------------------------------------------------------- every notice


@pytest.mark.parametrize("code", SPEC_CODES)
def test_notice_is_complete(catalog: Catalog, code: str) -> None:
    notice = catalog.notice(code)
    assert notice.title.strip()
    assert notice.meaning.text.strip()
    assert notice.if_ignored.text.strip()
    assert notice.deadline.text.strip()
    assert notice.stage in STAGES
    assert any(advice.next_steps for advice in notice.routes.values())
    for advice in notice.routes.values():
        assert all(step.strip() for step in advice.next_steps)
        assert all(FORM_RE.match(form) for form in advice.forms)


@pytest.mark.parametrize("code", SPEC_CODES)
def test_every_source_of_a_notice_is_a_web_address(catalog: Catalog, code: str) -> None:
    notice = catalog.notice(code)
    assert notice.sources
    assert all(url.startswith(("http://", "https://")) for url in notice.sources)


@pytest.mark.parametrize(("code", "expected"), sorted(DEADLINE_RULES.items()))
def test_deadline_rule_matches_the_reference(
    catalog: Catalog, code: str, expected: tuple[str, int | None, int | None]
) -> None:
    deadline = catalog.notice(code).deadline
    assert (deadline.rule, deadline.days, deadline.fallback_days) == expected


@pytest.mark.parametrize("code", [c for c, r in DEADLINE_RULES.items() if r[0] != "none"])
def test_deadline_text_counts_from_the_printed_date(catalog: Catalog, code: str) -> None:
    text = catalog.notice(code).deadline.text.lower()
    assert "printed" in text


@pytest.mark.parametrize("code", CDP_LEVY_NOTICES)
def test_final_notices_carry_cdp_and_equivalent_hearing_rights(
    catalog: Catalog, code: str
) -> None:
    notice = catalog.notice(code)
    cdp = _right(notice, "cdp_hearing")
    assert (cdp.days_from_notice, cdp.form, cdp.follows_response_deadline) == (30, "12153", True)
    assert "Tax Court" in cdp.lost
    equivalent = _right(notice, "equivalent_hearing")
    assert (equivalent.years_from_notice, equivalent.form) == (1, "12153")
    assert equivalent.days_from_notice is None
    assert notice.stage == "final_intent_to_levy"


@pytest.mark.parametrize("code", CDP_LEVY_NOTICES)
def test_equivalent_hearing_runs_one_year_from_the_notice_date(
    catalog: Catalog, code: str
) -> None:
    notice_date = dt.date(2026, 11, 2)
    result = compute_deadline(catalog.notice(code), today=notice_date, notice_date=notice_date)
    last_days = {r.id: r.last_day for r in result.rights}
    assert result.response_deadline == dt.date(2026, 12, 2)
    assert result.basis == BASIS_COUNTED
    assert last_days == {"cdp_hearing": dt.date(2026, 12, 2),
                         "equivalent_hearing": dt.date(2027, 11, 2)}


def test_post_levy_notice_has_a_30_day_hearing(catalog: Catalog) -> None:
    notice = catalog.notice("CP297A")
    cdp = _right(notice, "cdp_hearing")
    assert (cdp.days_from_notice, cdp.form) == (30, "12153")
    assert notice.stage == "levy_issued"


def test_installment_default_has_a_cap_appeal_with_the_after_termination_window(
    catalog: Catalog,
) -> None:
    cap = _right(catalog.notice("CP523"), "cap_appeal")
    assert (cap.days_from_notice, cap.form, cap.follows_response_deadline) == (30, "9423", True)
    assert "30 more days" in cap.lost and "levy" in cap.lost


def test_lien_notice_hearing_follows_the_printed_date(catalog: Catalog) -> None:
    notice = catalog.notice("LTR3172")
    cdp = _right(notice, "cdp_hearing")
    assert cdp.follows_response_deadline and cdp.form == "12153"
    # counted from the lien filing: 5 business days, then 30 days; the letter comes within the
    # 5 business days, so at least 30 days are left counted from the letter's own date
    assert (cdp.counted_from, cdp.window_days, cdp.plus_business_days) == ("lien_filing", 30, 5)
    assert cdp.days_from_notice == 30
    assert any("5 business days" in f.text for f in notice.facts)
    result = compute_deadline(notice, today=dt.date(2026, 11, 2), notice_date=dt.date(2026, 11, 2))
    assert result.basis == BASIS_NEEDS_PRINTED_DATE and result.response_deadline is None
    assert result.rights[0].last_day == dt.date(2026, 12, 2)
    printed = compute_deadline(notice, today=dt.date(2026, 11, 2),
                               notice_date=dt.date(2026, 11, 2),
                               printed_deadline=dt.date(2026, 12, 9))
    assert printed.rights[0].last_day == dt.date(2026, 12, 9)


def test_lien_notice_has_an_equivalent_hearing_of_one_year_plus_5_business_days(
    catalog: Catalog,
) -> None:
    notice = catalog.notice("LTR3172")
    equivalent = _right(notice, "equivalent_hearing")
    assert equivalent.form == "12153"
    assert (equivalent.counted_from, equivalent.window_years, equivalent.plus_business_days) == (
        "lien_filing", 1, 5)
    # the sure part counted from the letter (sent within 5 business days of the filing)
    assert (equivalent.years_from_notice, equivalent.days_from_notice) == (1, None)
    assert "one year plus 5 business days" in equivalent.lost
    result = compute_deadline(notice, today=dt.date(2026, 11, 2), notice_date=dt.date(2026, 11, 2))
    last_days = {r.id: r.last_day for r in result.rights}
    assert last_days["equivalent_hearing"] == dt.date(2027, 11, 2)
    steps = notice.routes["appeal"]
    assert "equivalent_hearing" in steps.step_rights and "cdp_hearing" in steps.step_rights


@pytest.mark.parametrize("code", ["CP91", "CP298"])
def test_social_security_levy_notices_allow_an_appeal_within_30_days(
    catalog: Catalog, code: str
) -> None:
    appeal = _right(catalog.notice(code), "appeal")
    assert appeal.days_from_notice == 30


@pytest.mark.parametrize(
    ("code", "notice_date", "basis", "deadline"),
    [
        ("CP14", dt.date(2026, 11, 2), BASIS_ESTIMATED, dt.date(2026, 11, 23)),
        ("LT16", dt.date(2026, 11, 2), BASIS_ESTIMATED, dt.date(2026, 11, 12)),
        ("CP2000", dt.date(2026, 11, 2), BASIS_COUNTED, dt.date(2026, 12, 2)),
        ("CP504", dt.date(2026, 11, 2), BASIS_NEEDS_PRINTED_DATE, None),
        ("CP71", dt.date(2026, 11, 2), BASIS_NO_DEADLINE, None),
        ("CP40", dt.date(2026, 11, 2), BASIS_NO_DEADLINE, None),
    ],
)
def test_deadline_rules_give_the_expected_dates(
    catalog: Catalog, code: str, notice_date: dt.date, basis: str, deadline: dt.date | None
) -> None:
    result = compute_deadline(catalog.notice(code), today=notice_date, notice_date=notice_date)
    assert (result.basis, result.response_deadline) == (basis, deadline)


def test_cp504_is_not_the_collection_due_process_notice(catalog: Catalog) -> None:
    cp504 = catalog.notice("CP504")
    assert cp504.stage == "intent_to_levy"
    assert not cp504.rights
    assert "state tax refund" in cp504.meaning.text
    assert "Final Notice" in cp504.meaning.text
    assert {"LT11", "LTR1058"} <= set(cp504.after)


def test_cp521_is_a_reminder_and_cp523_the_default_notice(catalog: Catalog) -> None:
    assert catalog.notice("CP521").stage == "installment_reminder"
    assert "not a default" in catalog.notice("CP521").meaning.text
    assert catalog.notice("CP523").stage == "installment_default"
    assert "CP523" in catalog.notice("CP521").after


def test_passport_certification_is_decided_by_the_state_department(catalog: Catalog) -> None:
    assert "State Department" in catalog.notice("CP508C").meaning.text
    topic = next(t for t in catalog.topics if t.id == "passport_certification")
    assert any("State Department alone decides" in f.text for f in topic.facts)


def test_levies_need_no_court_order(catalog: Catalog) -> None:
    topic = next(t for t in catalog.topics if t.id == "levies")
    assert any("doesn't need a court order" in f.text for f in topic.facts)


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("CP621", "CP521"), ("CP521 (SP)", "CP521"), ("CP623", "CP523"), ("CP523C", "CP523"),
        ("CP523D", "CP523"), ("CP523G", "CP523"), ("CP71A", "CP71A"), ("CP71S", "CP71S"),
        ("CP297C", "CP297C"), ("CP90C", "CP90C"), ("Letter 1058", "LTR1058"),
        ("letter 3172", "LTR3172"), ("LT 11", "LT11"), ("CP515I", "CP515"),
        ("Letter 6331C", "LTR5071C"), ("Letter 6330C", "LTR4883C"), ("CP3219", "LTR3219"),
        ("letter 5071C", "LTR5071C"),
    ],
)
def test_variants_resolve_to_the_closest_entry(catalog: Catalog, alias: str, code: str) -> None:
    notice = catalog.resolve(alias)
    assert notice is not None and notice.code == code


def test_no_alias_names_two_notices(catalog: Catalog) -> None:
    seen: dict[str, str] = {}
    for notice in catalog.notices.values():
        for alias in notice.aliases:
            key = alias.upper().replace(" ", "")
            assert key not in catalog.notices or key == notice.code, alias
            assert seen.setdefault(key, notice.code) == notice.code, alias


def test_before_and_after_name_existing_notices(catalog: Catalog) -> None:
    for notice in catalog.notices.values():
        for neighbour in (*notice.before, *notice.after):
            assert neighbour in catalog.notices and neighbour != notice.code


# ------------------------------------------------------------------------ facts, topics, figures


def test_every_fact_year_is_an_integer(catalog: Catalog) -> None:
    facts = [f for n in catalog.notices.values() for f in _facts_of(n)]
    facts += [f for t in catalog.topics for f in t.facts]
    years = [f.year for f in facts if f.year is not None]
    assert years and all(type(y) is int for y in years)


def test_every_fact_has_web_sources_and_text(catalog: Catalog) -> None:
    facts = [f for n in catalog.notices.values() for f in _facts_of(n)]
    facts += [f for t in catalog.topics for f in t.facts]
    for fact in facts:
        assert fact.text.strip()
        assert all(url.startswith(("http://", "https://")) for url in fact.sources)


def test_topics_have_facts_keywords_and_known_codes(catalog: Catalog) -> None:
    for topic in catalog.topics:
        assert topic.facts and topic.keywords, topic.id
        assert set(topic.notice_codes) <= set(catalog.notices), topic.id
        assert all(FORM_RE.match(form) for form in topic.forms), topic.id


def test_unconfirmed_figures_say_why(catalog: Catalog) -> None:
    for figure in catalog.figures:
        assert type(figure.year) is int
        assert all(url.startswith(("http://", "https://")) for url in figure.sources)
        if not figure.confirmed:
            assert figure.caveat, figure.id


def test_one_figure_row_per_id_year_and_quarter(catalog: Catalog) -> None:
    keys = [(f.id, f.year, f.quarter) for f in catalog.figures]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("figure_id", "year", "value", "confirmed"),
    [
        ("passport_threshold", 2016, 50000, True),
        ("passport_threshold", 2018, 51000, False),
        ("passport_threshold", 2019, 52000, True),
        ("passport_threshold", 2024, 62000, True),
        ("passport_threshold", 2025, 64000, False),
        ("passport_threshold", 2026, 66000, False),
        ("ia_fee_online_direct_debit", 2017, 31, True),
        ("ia_fee_online_direct_debit", 2024, 22, False),
        ("ia_fee_other", 2017, 225, True),
        ("ia_fee_other", 2024, 178, False),
        ("ia_fee_online", 2024, 69, False),
        ("ia_fee_low_income", 2017, 43, True),
        ("ia_reinstatement_fee", 2022, 89, True),
        ("ia_reinstatement_fee_online", 2024, 10, True),
        ("ia_reinstatement_fee_low_income", 2022, 43, True),
        ("oic_application_fee", 2020, 205, True),
        ("interest_rate_underpayment", 2024, 8, True),
        ("interest_rate_underpayment", 2025, 7, True),
        ("interest_rate_underpayment", 2026, 6, False),
        ("streamlined_ia_limit", 2012, 50000, True),
        ("streamlined_ia_limit", 2025, 50000, True),
        ("streamlined_ia_months", 2012, 72, True),
        ("streamlined_ia_months", 2025, 120, True),
        ("simple_payment_plan_limit", 2025, 50000, True),
        ("simple_payment_plan_years", 2025, 10, True),
        ("simple_payment_plan_business_trust_fund_limit", 2025, 25000, True),
        ("simple_payment_plan_business_limit", 2025, 50000, True),
        ("ibtf_express_limit", 2014, 25000, True),
        ("ia_fee_payroll_deduction", 2017, 225, True),
        ("ia_fee_payroll_deduction", 2024, 178, False),
        ("short_term_plan_limit", 2021, 100000, True),
        ("short_term_plan_days", 2021, 180, True),
        ("guaranteed_ia_limit", 2012, 10000, True),
        ("lien_filing_threshold", 2011, 10000, True),
        ("ftp_rate", 2024, 0.5, True),
        ("ftp_rate_installment_agreement", 2024, 0.25, True),
        ("ftp_rate_after_levy_notice", 2024, 1, True),
    ],
)
def test_yearly_figures(
    catalog: Catalog, figure_id: str, year: int, value: float, confirmed: bool
) -> None:
    figure = catalog.figure(figure_id, year=year)
    assert (figure.year, figure.value, figure.confirmed) == (year, value, confirmed)


def test_secondary_only_figures_carry_a_caveat(catalog: Catalog) -> None:
    assert catalog.figure("interest_rate_underpayment", year=2026).caveat
    assert catalog.figure("oic_application_fee", year=2020).caveat


CATALOG_FILES = ("notices.yml", "topics.yml", "figures.yml")


def test_no_phone_numbers_anywhere_in_the_catalog(knowledge_dir: Path) -> None:
    # The catalog's writing rule: "the phone number printed on your notice", never a number (a
    # wrong or outdated number would send a frightened person to the wrong place).
    files = [knowledge_dir / name for name in CATALOG_FILES]
    for path in [*files, QUESTIONS_PATH]:
        found = PHONE_RE.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"


# ---------------------------------------------------------------------------- the question set


def test_questions_name_existing_entries_and_cover_every_topic(catalog: Catalog) -> None:
    questions = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))["questions"]
    assert len(questions) >= 55
    entries = set(catalog.notices) | {t.id for t in catalog.topics}
    expected = {q["expect"] for q in questions}
    assert expected <= entries
    assert {t.id for t in catalog.topics} <= expected
    assert len(expected & set(catalog.notices)) >= len(catalog.notices) // 2
    assert len({q["question"] for q in questions}) == len(questions)


# ---------------------------------------------------------------------------- the loader's refusals


def _entry(**changes: Any) -> dict[str, Any]:
    return minimal_entry(SRC, **changes)


def test_a_minimal_valid_entry_loads() -> None:
    assert parse_catalog([_entry()], []).notice("CP999").routes["pay"].forms == ("9465",)


@pytest.mark.parametrize(
    ("entries", "topics", "message"),
    [
        ([_entry(meaning={"text": "m"})], [], "source URL"),
        ([_entry(meaning={"text": "m", "sources": ["irs.gov/notices"]})], [], "not a URL"),
        ([_entry(routes={"fight": {"next_steps": ["x"], "sources": SRC}})], [], "unknown route"),
        ([_entry(routes={})], [], "at least one route"),
        ([_entry(code="CP-504")], [], "canonical notice code"),
        ([_entry(code="cp504")], [], "canonical notice code"),
        ([_entry(), _entry()], [], "listed twice"),
        ([_entry(after=["CP888"])], [], "unknown notice"),
        ([_entry(stage="scary")], [], "stage"),
        ([_entry(audience="everyone")], [], "audience"),
        ([_entry(deadline={"rule": "days_from_notice", "text": "t", "sources": SRC})], [],
         "integer 'days'"),
        ([_entry(deadline={"rule": "soon", "text": "t", "sources": SRC})], [], "rule must be"),
        ([_entry(routes={"pay": {"next_steps": ["x"], "forms": ["Form 9465"], "sources": SRC}})],
         [], "form number"),
        ([_entry(rights=[{"id": "cdp", "label": "CDP", "lost": "x", "sources": SRC}])], [],
         "days_from_notice"),
        ([_entry(rights=[{"id": "cdp", "label": "CDP", "lost": "x", "days_from_notice": 30}])],
         [], "source URL"),
        ([], [{"id": "t", "title": "T", "facts": [{"text": "x"}]}], "source URL"),
        ([], [{"id": "t", "title": "T", "facts": [{"text": "x", "sources": SRC}]}] * 2,
         "listed twice"),
        ([], [{"id": "t", "title": "T", "notice_codes": ["504"],
               "facts": [{"text": "x", "sources": SRC}]}], "canonical notice code"),
    ],
)
def test_the_loader_refuses_broken_data(
    entries: list[dict[str, Any]], topics: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_catalog(entries, topics)


def test_the_loader_refuses_a_figure_without_sources() -> None:
    figure = {"id": "fee", "label": "Fee", "value": 1, "unit": "USD", "year": 2024}
    with pytest.raises(CatalogError, match="source URL"):
        parse_catalog([], [], [figure])
