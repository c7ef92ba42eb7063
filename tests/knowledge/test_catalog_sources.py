"""Sources: every fact cites a clean source, primary first; the loader refuses the others."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from catalog_entries import minimal_entry

from noticebot.knowledge.catalog import (
    BLOCKED_DOMAINS,
    PRIMARY,
    SECONDARY,
    Catalog,
    CatalogError,
    parse_catalog,
    source_kind,
    source_problem,
)

IRS = "https://www.irs.gov/individuals/understanding-your-cp14-notice"
BLOG = "https://example-accounting-blog.com/cp14"


def _sourced(catalog: Catalog) -> Iterator[tuple[str, tuple[str, ...], bool]]:
    """(where, sources, labelled secondary) for everything in the catalog that cites sources."""
    for code, notice in catalog.notices.items():
        facts = [notice.meaning, notice.if_ignored, *notice.facts]
        if notice.lost_when_passed is not None:
            facts.append(notice.lost_when_passed)
        for fact in facts:
            yield f"{code}: {fact.text[:50]}", fact.sources, fact.secondary
        yield f"{code} deadline", notice.deadline.sources, True
        for route, advice in notice.routes.items():
            yield f"{code} route {route}", advice.sources, True
        for right in notice.rights:
            yield f"{code} right {right.id}", right.sources, True
    for topic in catalog.topics:
        for fact in topic.facts:
            yield f"{topic.id}: {fact.text[:50]}", fact.sources, fact.secondary
    for figure in catalog.figures:
        yield f"figure {figure.id} {figure.year}", figure.sources, figure.secondary


def test_every_source_is_clean(catalog: Catalog) -> None:
    problems = [
        f"{where}: {url} {problem}"
        for where, sources, _ in _sourced(catalog)
        for url in sources
        if (problem := source_problem(url)) is not None
    ]
    assert not problems


def test_primary_sources_come_first(catalog: Catalog) -> None:
    for where, sources, _ in _sourced(catalog):
        kinds = [source_kind(url) for url in sources]
        assert kinds == sorted(kinds, key=lambda kind: kind != PRIMARY), where


def test_a_fact_with_a_secondary_source_says_so(catalog: Catalog) -> None:
    for where, sources, secondary in _sourced(catalog):
        if any(source_kind(url) == SECONDARY for url in sources):
            assert secondary, where


def test_most_facts_rest_on_primary_sources(catalog: Catalog) -> None:
    firsts = [source_kind(sources[0]) for _, sources, _ in _sourced(catalog)]
    assert firsts.count(PRIMARY) / len(firsts) > 0.9


def test_figures_from_secondary_sources_only_are_unconfirmed(catalog: Catalog) -> None:
    for figure in catalog.figures:
        if all(source_kind(url) == SECONDARY for url in figure.sources):
            assert not figure.confirmed and figure.caveat, (figure.id, figure.year)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.irs.gov/payments/simple-payment-plans-for-individual-taxpayers", PRIMARY),
        ("https://www.taxpayeradvocate.irs.gov/notices/letter-3172/", PRIMARY),
        ("https://www.eitc.irs.gov/individuals/understanding-your-cp297c-notice", PRIMARY),
        ("https://www.irs.gov/irm/part5/irm_05-019-025", PRIMARY),
        ("https://www.irs.gov/pub/irs-pdf/p1660.pdf", PRIMARY),
        ("https://www.law.cornell.edu/uscode/text/26/6330", PRIMARY),
        ("https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title26-section6334",
         PRIMARY),
        ("https://www.federalregister.gov/citation/81-FR-86955", PRIMARY),
        ("https://webarchive.library.unt.edu/web/20201218053657/"
         "https://www.irs.gov/individuals/understanding-your-cp501-notice", PRIMARY),
        ("https://cybercemetery.unt.edu/archive/oilspill/20130215161750/"
         "http://www.irs.gov/Individuals/CP-90-CP-297-Frequently-Asked-Questions-(FAQs)", PRIMARY),
        ("https://web.archive.org/web/2020/https://example.com/page", SECONDARY),
        ("https://www.hrblock.com/tax-center/irs/audits-and-tax-notices/irs-notice-cp503/",
         SECONDARY),
        ("https://irs.gov.example.com/page", SECONDARY),
    ],
)
def test_source_kinds(url: str, kind: str) -> None:
    assert source_kind(url) == kind


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://choicetaxrelief.com/irs/notices/cp161/", "blocklisted"),
        ("https://www.claritytaxrelief.com/blog/cp518-notice/", "blocklisted"),
        ("https://ttlc.intuit.com/community/taxes/discussion/x/00/3666407", "blocklisted"),
        ("https://www.reddit.com/r/tax/comments/abc", "blocklisted"),
        ("https://app.altruwe.org/proxy?url=https%3A%2F%2Fwww.irs.gov%2Fnotices", "blocklisted"),
        ("https://www.formsbank.com/template/326383/form-12153.html", "blocklisted"),
        ("https://docs.formize.com/fi/instructions/irs/i9465", "blocklisted"),
        ("https://usermanual.wiki/Document/p1660.1591199553/html", "blocklisted"),
        ("https://mirror.example.net/proxy?u=https://www.irs.gov/notices", "wraps another"),
        ("https://calendar.example.app/host-https-www.irs.gov/privacy-disclosure/report-phishing",
         "wraps another"),
        ("https://irs.gov/es/individuals/understanding-your-cp71s-notice", "translated"),
        ("https://www.irs.gov/zh-hans/individuals/understanding-your-cp40-notice", "translated"),
        ("https://www.irs.gov/ht/individuals/understanding-your-cp14-notice", "translated"),
        ("https://www.irs.gov/ko/individuals/understanding-your-cp297-notice", "translated"),
        ("https://www.irs.gov/ru/individuals/understanding-your-cp242-notice", "translated"),
        ("https://www.irs.gov/vi/irm/part5/irm_05-019-025", "translated"),
        ("https://www.irs.gov/payments?utm_source=news&utm_medium=email", "tracking"),
        ("https://example.com/article?fbclid=IwAR0", "tracking"),
        ("https://irs.gov/payments/quarterly-interest-rates?os=www.nbcchicago.com", "tracking"),
        ("https://example.com/post/?shared=email&msg=fail", "tracking"),
        ("http://someone@irs.gov/taxtopics/tc652", "user name"),
        ("irs.gov/notices", "not a URL"),
    ],
)
def test_source_problems(url: str, problem: str) -> None:
    found = source_problem(url)
    assert found is not None and problem in found


@pytest.mark.parametrize(
    "url",
    [
        IRS,
        "https://www.irs.gov/individuals/understanding-your-lt11-notice-or-letter-1058",
        "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title26-section6334"
        "&num=0&edition=prelim",
        "https://webharvest.gov/congress115th/20181204014157/"
        "https://www.irs.gov/payments/online-payment-agreement-application",
        BLOG,
    ],
)
def test_clean_sources_pass(url: str) -> None:
    assert source_problem(url) is None


def test_the_blocklist_names_domains_only() -> None:
    assert all("/" not in domain and "." in domain for domain in BLOCKED_DOMAINS)
    assert len(set(BLOCKED_DOMAINS)) == len(BLOCKED_DOMAINS)


# ---------------------------------------------------------------------------- loader refusals

SRC = [IRS]


def _entry(**changes: Any) -> dict[str, Any]:
    return minimal_entry(SRC, forms=(), **changes)


def _figure(**changes: Any) -> dict[str, Any]:
    figure: dict[str, Any] = {
        "id": "fee", "label": "Fee", "value": 1, "unit": "USD", "year": 2026, "sources": SRC,
    }
    figure.update(changes)
    return figure


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(meaning={"text": "m", "sources": [BLOG]}), "secondary source needs"),
        (_entry(meaning={"text": "m", "sources": [BLOG, IRS], "secondary": True}),
         "primary sources before"),
        (_entry(meaning={"text": "m", "sources": ["https://choicetaxrelief.com/irs/cp14/"],
                         "secondary": True}), "blocklisted"),
        (_entry(meaning={"text": "m", "sources": [
            "https://app.altruwe.org/proxy?url=https%3A%2F%2Fwww.irs.gov%2Fnotices"]}),
         "blocklisted"),
        (_entry(meaning={"text": "m", "sources": [
            "https://copy.example.org/host-https-www.irs.gov/notices"]}), "wraps another"),
        (_entry(meaning={"text": "m", "sources": [
            "https://www.irs.gov/es/individuals/understanding-your-cp14-notice"]}), "translated"),
        (_entry(meaning={"text": "m", "sources": [IRS + "?utm_source=x"]}), "tracking"),
        (_entry(meaning={"text": "m", "sources": [IRS, IRS]}), "listed twice"),
        (_entry(deadline={"rule": "printed", "text": "t", "sources": [BLOG]}),
         "secondary source needs"),
        (_entry(routes={"pay": {"next_steps": ["Pay."], "sources": [BLOG]}}),
         "secondary source needs"),
        (_entry(routes={"appeal": {"next_steps": [{"text": "Ask.", "right": "cdp_hearing"}],
                                   "sources": SRC}}), "lacks"),
        (_entry(rights=[{"id": "r", "label": "R", "lost": "x", "days_from_notice": 30,
                         "sources": [BLOG]}]), "secondary source needs"),
        (_entry(rights=[{"id": "r", "label": "R", "lost": "x", "counted_from": "lien_filing",
                         "sources": SRC}]), "needs days or years"),
        (_entry(rights=[{"id": "r", "label": "R", "lost": "x", "counted_from": "sunrise",
                         "days": 30, "sources": SRC}]), "counted_from must be"),
        (_entry(rights=[{"id": "r", "label": "R", "lost": "x", "counted_from": "lien_filing",
                         "days_from_notice": 30, "sources": SRC}]), "not days_from_notice"),
        (_entry(rights=[{"id": "r", "label": "R", "lost": "x", "days_from_notice": 30,
                         "sources": SRC}] * 2), "right id is listed twice"),
        (_entry(stage="somewhere"), "stage"),
    ],
)
def test_the_loader_refuses_unsourced_or_dirty_entries(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_catalog([entry], [])


@pytest.mark.parametrize(
    ("secondary_label", "caveat"),
    [
        ({"secondary": True}, None),
        ({}, "From a secondary source."),
        ({}, "Seen only on a non-IRS site."),
    ],
)
def test_a_labelled_secondary_source_is_accepted(
    secondary_label: dict[str, Any], caveat: str | None
) -> None:
    meaning = {"text": "m", "sources": [IRS, BLOG], **secondary_label}
    if caveat:
        meaning["caveat"] = caveat
    fact = parse_catalog([_entry(meaning=meaning)], []).notice("CP999").meaning
    assert fact.secondary and fact.sources == (IRS, BLOG)


def test_a_primary_only_fact_is_not_secondary() -> None:
    assert not parse_catalog([_entry()], []).notice("CP999").meaning.secondary


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ({"id": "fee", "label": "Fee", "value": 1, "unit": "USD", "sources": SRC}, "'year'"),
        (_figure(year="2026"), "whole year"),
        (_figure(year=2026.5), "whole year"),
        (_figure(year=None), "'year'"),
        (_figure(sources=[BLOG]), "secondary source needs"),
        (_figure(sources=[BLOG], caveat="From a secondary source."), "confirmed: false"),
        (_figure(sources=["https://www.formsbank.com/template/1/x.html"]), "blocklisted"),
    ],
)
def test_the_loader_refuses_a_figure_without_its_year_or_a_clean_source(
    figure: dict[str, Any], message: str
) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_catalog([], [], [figure])


def test_a_secondary_figure_loads_unconfirmed_with_its_caveat() -> None:
    figure = _figure(sources=[BLOG], confirmed=False, caveat="From a secondary source.")
    loaded = parse_catalog([], [], [figure]).figure("fee")
    assert (loaded.confirmed, loaded.secondary) == (False, True)


def test_the_loader_refuses_a_figure_listed_twice_for_a_year() -> None:
    with pytest.raises(CatalogError, match="twice"):
        parse_catalog([], [], [_figure(), _figure(value=2)])


def test_a_topic_fact_from_a_tax_relief_firm_is_refused() -> None:
    topic = {"id": "t", "title": "T", "keywords": ["k"], "facts": [
        {"text": "x", "sources": ["https://www.trifectataxrelief.com/installment-agreements"],
         "secondary": True}]}
    with pytest.raises(CatalogError, match="blocklisted"):
        parse_catalog([], [topic])


@pytest.mark.parametrize("quarter", [0, 5, "Q2"])
def test_the_loader_refuses_a_quarter_that_is_not_1_to_4(quarter: Any) -> None:
    with pytest.raises(CatalogError, match="quarter"):
        parse_catalog([], [], [_figure(quarter=quarter)])


def test_two_quarters_of_a_year_are_two_rows() -> None:
    catalog = parse_catalog([], [], [_figure(quarter=1), _figure(value=2, quarter=2)])
    assert catalog.figure("fee").value == 2
    assert catalog.figure("fee", year=2026, quarter=1).value == 1
