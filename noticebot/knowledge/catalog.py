"""The curated notice catalog: notices, topics and yearly figures, every fact with its sources.

The catalog lives as YAML under ``data/knowledge/`` (``notices.yml``, ``topics.yml``,
``figures.yml``). This module turns it into frozen dataclasses and refuses a catalog that
breaks the rules the assistant depends on: every fact carries at least one source URL, codes
are canonical and unique, routes and stages come from fixed vocabularies.

Sources (``source_kind``): a *primary* source is an IRS page (any ``irs.gov`` host, the Taxpayer
Advocate Service included), the IRM, an IRS publication or form, a statute or regulation
(``uscode.house.gov``, ``law.cornell.edu``, ``ecfr.gov``), the Federal Register, the Tax Court,
or a government web archive of one of those. Anything else is *secondary*: allowed only when the
fact says so (``secondary: true``, or a ``caveat`` that names it secondary or non-IRS) and listed
after the primary sources. Refused outright: a blocklisted domain (tax-relief firms, forums,
proxies, form- and document-copy sites), a URL that wraps another URL (a proxy), a non-English
``irs.gov`` page (``/es/``, ``/zh-hans/``...: cite the English page of the same path), a URL with
tracking parameters (``utm_*``, ``fbclid``...) or with a user name in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

ROUTES = ("pay", "negotiate", "appeal", "get_help")
AUDIENCES = ("individual", "business", "both")
# Where a notice sits. The first thirteen are the collection ladder and its side tracks; the
# last five (added with the 60-notice catalog) are notices that are not collection notices but
# lead to a balance, hold one up, or undo a step:
#   return_adjusted: the IRS changed your return when processing it (math error, payments that
#       don't match, a removed payment, an offset); a bill or a changed refund, with a short
#       window to ask for the change to be reversed.
#   examination: an audit's proposed result (30-day letters, a proposed trust fund recovery
#       penalty) with appeal rights inside the IRS.
#   deficiency_notice: the statutory notice of deficiency (90-day letter), the door to the Tax
#       Court before the tax is assessed.
#   identity_verification: the IRS holds a return until you prove who you are.
#   passport_reversal: a passport certification was reversed (CP508R); nothing to do.
STAGES = (
    "balance_due",
    "reminder",
    "annual_reminder",
    "intent_to_levy",
    "final_intent_to_levy",
    "levy_issued",
    "installment_reminder",
    "installment_default",
    "lien_filed",
    "passport_certification",
    "proposed_change",
    "private_collection",
    "unfiled_returns",
    "return_adjusted",
    "examination",
    "deficiency_notice",
    "identity_verification",
    "passport_reversal",
)
DEADLINE_RULES = ("days_from_notice", "printed", "none")
CODE_RE = re.compile(r"^(CP|LT|LTR)[0-9]+[A-Z]?$")
FORM_RE = re.compile(r"^[0-9]{3,5}(-[A-Z]+)?( \([A-Za-z]+\))?$|^668\(Y\)\(c\)$")

# What a right's window is counted from (``counted_from``). A lien notice (Letter 3172) is sent
# within LIEN_NOTICE_LAG_BUSINESS_DAYS business days after the lien is filed (IRC 6320(a)(2)),
# so a window counted from the filing is, counted from the letter's own date, at least the
# window minus that lag: the loader keeps only that sure part, so a day we compute is never
# later than the real last day.
COUNTED_FROM = ("notice_date", "lien_filing")
LIEN_NOTICE_LAG_BUSINESS_DAYS = 5

PRIMARY_DOMAINS = (
    "irs.gov",  # IRS pages, the IRM, publications, forms; taxpayeradvocate.irs.gov (TAS)
    "treasury.gov",
    "tigta.gov",
    "uscode.house.gov",
    "law.cornell.edu",
    "ecfr.gov",
    "federalregister.gov",
    "govinfo.gov",
    "congress.gov",
    "ustaxcourt.gov",
    "ftc.gov",
    "ic3.gov",
    "state.gov",
    "ssa.gov",
)
# Government and library web archives: primary when the archived address is.
ARCHIVE_HOSTS = (
    "webarchive.library.unt.edu",
    "cybercemetery.unt.edu",
    "webharvest.gov",
    "web.archive.org",
)
# Never cited: competitor tax-relief and tax-resolution firms, forums, proxies, and sites that
# copy IRS forms or documents (cite the IRS copy instead).
BLOCKED_DOMAINS = (
    # tax-relief and tax-resolution firms
    "2020taxresolution.com",
    "ataxlawyer.com",
    "automatedtaxcredits.com",
    "businesstaxrelief.com",
    "carakerlawfirm.com",
    "carnahanlaw.com",
    "choicetaxrelief.com",
    "claritytaxrelief.com",
    "communitytax.com",
    "curadebt.com",
    "dicknortonea.com",
    "districtofcolumbiataxattorney.com",
    "executivetaxsolution.com",
    "freshstartdivision.org",
    "freshstartrelief.com",
    "genesistaxres.com",
    "gettaxreliefnow.com",
    "gregorytaxlaw.com",
    "howardlevyirslawyer.com",
    "irsdefenseattorney.com",
    "irsmedic.com",
    "irsresolutionservice.com",
    "irssolution.com",
    "irstaxattorney.com",
    "keimtaxlaw.com",
    "larsontaxrelief.com",
    "murphycollective.co",
    "mwattorneys.com",
    "optimataxrelief.com",
    "packeylawcorp.blogspot.com",
    "paladinilaw.com",
    "polaristaxandaccounting.com",
    "precisiontax.com",
    "prioritytaxrelief.com",
    "pztaxlaw.com",
    "regantaxlaw.com",
    "reliabletaxattorney.com",
    "resolvedtax.com",
    "ronideutch.com",
    "sambrotman.com",
    "seattle-taxattorney.com",
    "settlemytaxdebts.com",
    "taxcure.com",
    "taxdebtmonster.com",
    "taxfirm.com",
    "taxhelplaw.com",
    "taxpenaltywiper.com",
    "taxproblemattorneyblog.com",
    "taxreliefguides.com",
    "texasirslaw.com",
    "tfdtaxlawyer.com",
    "toptaxlawyer.com",
    "trifectataxrelief.com",
    "ustaxpenaltysaver.com",
    "victorytaxlaw.com",
    "wiggamlaw.com",
    "wilsontaxlaw.com",
    "wynntaxsolutions.com",
    # forums
    "community.intuit.com",
    "quora.com",
    "reddit.com",
    "ttlc.intuit.com",
    "wixsite.com",
    # proxies
    "altruwe.org",
    # copies of IRS forms, publications and other documents
    "dokumen.tips",
    "fill.io",
    "flipbuilder.com",
    "formize.com",
    "formsbank.com",
    "govregs.com",
    "greentomyr.org",
    "laws9.com",
    "omb.report",
    "pdffiller.com",
    "pdfslide.net",
    "scribd.com",
    "self-law.org",
    "ses.stf.com",
    "usermanual.wiki",
    "vdocuments.us",
    "whatistaxed.com",
)
# irs.gov's translated pages: /es/, /zh-hans/... (cite the English page of the same path).
NON_ENGLISH_IRS_SEGMENTS = frozenset({"es", "zh-hans", "zh-hant", "ko", "ru", "vi", "ht"})
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "hs_amp",
        "os",
        "share",
        "shared",
        "msg",
    }
)
SECONDARY_WORDS = re.compile(r"\b(secondary|non-IRS)\b", re.IGNORECASE)
PRIMARY = "primary"
SECONDARY = "secondary"


class CatalogError(ValueError):
    """The catalog data breaks a rule; the message names the entry and the field."""


@dataclass(frozen=True)
class Fact:
    """One sentence or short paragraph of knowledge, paraphrased, with where it comes from.

    ``secondary``: at least one source is not a primary source (the answer says so).
    """

    text: str
    sources: tuple[str, ...]
    year: int | None = None
    caveat: str | None = None
    secondary: bool = False


@dataclass(frozen=True)
class Deadline:
    """How a notice's response deadline is found.

    ``days_from_notice``: the last day is ``days`` calendar days after the notice date (the date
    printed on the notice still wins). ``printed``: only the date printed on the notice counts;
    ``fallback_days``, when a source gives a usual figure, yields an *estimated* deadline.
    ``none``: the notice asks for no action by a date.
    """

    rule: str
    text: str
    sources: tuple[str, ...]
    days: int | None = None
    fallback_days: int | None = None


@dataclass(frozen=True)
class Right:
    """A right that expires a fixed time after the notice date (a hearing, an appeal).

    The deadline code reads ``days_from_notice`` / ``years_from_notice`` (and the printed date
    when ``follows_response_deadline``). A window the law counts from another event, the lien
    filing for a Letter 3172, is written in the data as ``counted_from: lien_filing`` with
    ``days``/``years`` and ``plus_business_days``; the loader keeps that window here
    (``counted_from``, ``window_days``, ``window_years``, ``plus_business_days``) and sets
    ``days_from_notice``/``years_from_notice`` to the part of it that is sure to be left counted
    from the letter's date (see ``LIEN_NOTICE_LAG_BUSINESS_DAYS``).
    """

    id: str
    label: str
    lost: str
    sources: tuple[str, ...]
    days_from_notice: int | None = None
    years_from_notice: int | None = None
    form: str | None = None
    follows_response_deadline: bool = False
    counted_from: str = "notice_date"
    window_days: int | None = None
    window_years: int | None = None
    plus_business_days: int = 0


@dataclass(frozen=True)
class RouteAdvice:
    """What to do on one route for one notice: next steps and the forms involved.

    ``step_rights`` runs beside ``next_steps``: the id of the notice's right a step depends on
    (a hearing or an appeal with a window), ``None`` for a step that is always open. A step whose
    right has passed is not offered (``noticebot.triage``).
    """

    route: str
    next_steps: tuple[str, ...]
    forms: tuple[str, ...]
    sources: tuple[str, ...]
    step_rights: tuple[str | None, ...] = ()

    def right_of(self, step: str) -> str | None:
        """The right ``step`` depends on, or ``None``."""
        for text, right in zip(self.next_steps, self.step_rights, strict=False):
            if text == step:
                return right
        return None


@dataclass(frozen=True)
class Notice:
    """One IRS notice or letter of the catalog."""

    code: str
    title: str
    audience: str
    stage: str
    aliases: tuple[str, ...]
    meaning: Fact
    deadline: Deadline
    if_ignored: Fact
    lost_when_passed: Fact | None
    before: tuple[str, ...]
    after: tuple[str, ...]
    routes: Mapping[str, RouteAdvice]
    rights: tuple[Right, ...]
    facts: tuple[Fact, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source URL the entry cites, in first-seen order."""
        seen: dict[str, None] = {}
        for fact in (self.meaning, self.if_ignored, self.lost_when_passed, *self.facts):
            if fact is not None:
                seen.update(dict.fromkeys(fact.sources))
        seen.update(dict.fromkeys(self.deadline.sources))
        for advice in self.routes.values():
            seen.update(dict.fromkeys(advice.sources))
        for right in self.rights:
            seen.update(dict.fromkeys(right.sources))
        return tuple(seen)


@dataclass(frozen=True)
class Topic:
    """A subject beyond one notice (installment agreements, liens, scams...)."""

    id: str
    title: str
    notice_codes: tuple[str, ...]
    forms: tuple[str, ...]
    keywords: tuple[str, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Figure:
    """A number that changes over time (a fee, a threshold, a rate), with the year it applies to."""

    id: str
    label: str
    value: float
    unit: str
    year: int
    sources: tuple[str, ...]
    confirmed: bool = True
    caveat: str | None = None
    secondary: bool = False  # at least one source is secondary (see ``source_kind``)
    # For a rate set every quarter: the quarter (1-4) from which this row's value applies in its
    # year; ``None``: the whole year.
    quarter: int | None = None


@dataclass(frozen=True)
class Catalog:
    """The whole curated knowledge: notices by canonical code, topics and figures."""

    notices: Mapping[str, Notice]
    topics: tuple[Topic, ...]
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def notice(self, code: str) -> Notice:
        """Return the notice with this canonical code, or raise ``KeyError``."""
        return self.notices[code]

    def resolve(self, code: str) -> Notice | None:
        """Return the notice for a canonical code or one of its aliases (``CP504B``), else None."""
        if code in self.notices:
            return self.notices[code]
        wanted = code.upper().replace(" ", "")
        for notice in self.notices.values():
            if wanted in (alias.upper().replace(" ", "") for alias in notice.aliases):
                return notice
        return None

    def figure(
        self, figure_id: str, *, year: int | None = None, quarter: int | None = None
    ) -> Figure:
        """Return the figure for ``figure_id`` in force for ``year`` (newest when ``None``).

        ``quarter`` (1-4, with ``year``) skips a row of that year that only applies from a later
        quarter: the row in force then is an earlier one.
        """
        candidates = sorted(
            (f for f in self.figures if f.id == figure_id),
            key=lambda f: (f.year, f.quarter or 0),
            reverse=True,
        )
        for candidate in candidates:
            if year is None or candidate.year < year:
                return candidate
            if candidate.year == year and (
                quarter is None or candidate.quarter is None or candidate.quarter <= quarter
            ):
                return candidate
        raise KeyError(figure_id)


def _require(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in (None, "", []):
        raise CatalogError(f"{where}: missing '{key}'")
    return entry[key]


def _on_domain(host: str, domains: Iterable[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _embedded_url(url: str) -> str | None:
    """Another address carried inside ``url`` (a proxy's or an archive's target), if any."""
    parts = urlsplit(url)
    rest = unquote(f"{parts.path}?{parts.query}")
    match = re.search(r"https?:/{1,2}[^\s?&]+|https?-[a-z0-9.-]+\.[a-z]{2,}", rest, re.IGNORECASE)
    return match.group(0) if match else None


def source_problem(url: str) -> str | None:
    """Why ``url`` can never be a source (blocklisted, proxy, translated, tracked), or None."""
    if not url.startswith(("http://", "https://")):
        return "is not a URL"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if "@" in parts.netloc:
        return "has a user name in its address"
    if _on_domain(host, BLOCKED_DOMAINS):
        return "is on a blocklisted domain (tax-relief firm, forum, proxy or copy site)"
    if not _on_domain(host, ARCHIVE_HOSTS) and _embedded_url(url) is not None:
        return "wraps another address (a proxy or a mirror): cite the page itself"
    if _on_domain(host, ("irs.gov",)):
        first = parts.path.strip("/").split("/", 1)[0].lower()
        if first in NON_ENGLISH_IRS_SEGMENTS:
            return f"is a translated irs.gov page (/{first}/): cite the English page"
    tracked = sorted(
        key
        for key, _ in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower().startswith("utm_") or key.lower() in TRACKING_PARAMETERS
    )
    if tracked:
        return f"carries tracking parameters {tracked}"
    return None


def source_kind(url: str) -> str:
    """``PRIMARY`` for an official source (or a government archive of one), else ``SECONDARY``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _on_domain(host, PRIMARY_DOMAINS):
        return PRIMARY
    if _on_domain(host, ARCHIVE_HOSTS):
        target = _embedded_url(url)
        if target is not None:
            target = re.sub(r"^(https?):/(?!/)", r"\1://", target)  # "http:/www" in some archives
            target_host = (urlsplit(target).hostname or "").lower()
            if _on_domain(target_host, PRIMARY_DOMAINS):
                return PRIMARY
    return SECONDARY


def _sources(value: Any, where: str) -> tuple[str, ...]:
    if not value:
        raise CatalogError(f"{where}: every fact needs at least one source URL")
    urls = tuple(str(url) for url in value)
    for url in urls:
        problem = source_problem(url)
        if problem is not None:
            raise CatalogError(f"{where}: source {problem}: {url!r}")
    if len(set(urls)) != len(urls):
        raise CatalogError(f"{where}: a source is listed twice")
    return urls


def _labelled_sources(
    value: Mapping[str, Any], where: str, *, caveat: str | None
) -> tuple[tuple[str, ...], bool]:
    """The sources and whether any is secondary; refuses an unlabelled or misordered secondary.

    A secondary source needs ``secondary: true`` or a caveat that calls it secondary or
    non-IRS, and comes after every primary source.
    """
    urls = _sources(value.get("sources"), where)
    kinds = [source_kind(url) for url in urls]
    secondary = SECONDARY in kinds
    if secondary:
        labelled = bool(value.get("secondary")) or bool(
            caveat and SECONDARY_WORDS.search(caveat)
        )
        if not labelled:
            raise CatalogError(
                f"{where}: a secondary source needs 'secondary: true' or a caveat saying so "
                f"(no primary source for this fact?): {urls[kinds.index(SECONDARY)]!r}"
            )
        if PRIMARY in kinds and kinds.index(SECONDARY) < len(kinds) - kinds[::-1].index(PRIMARY):
            raise CatalogError(f"{where}: list the primary sources before the secondary ones")
    return urls, secondary


def _fact(value: Any, where: str) -> Fact:
    if not isinstance(value, Mapping):
        raise CatalogError(f"{where}: expected a mapping with 'text' and 'sources'")
    caveat = value.get("caveat")
    sources, secondary = _labelled_sources(value, where, caveat=caveat)
    return Fact(
        text=str(_require(value, "text", where)).strip(),
        sources=sources,
        year=value.get("year"),
        caveat=caveat,
        secondary=secondary,
    )


def _codes(values: Iterable[Any] | None, where: str) -> tuple[str, ...]:
    codes = tuple(str(v) for v in values or ())
    for code in codes:
        if not CODE_RE.match(code):
            raise CatalogError(f"{where}: {code!r} is not a canonical notice code")
    return codes


def _forms(values: Iterable[Any] | None, where: str) -> tuple[str, ...]:
    forms = tuple(str(v) for v in values or ())
    for form in forms:
        if not FORM_RE.match(form):
            raise CatalogError(f"{where}: {form!r} is not a form number like '9465' or '433-F'")
    return forms


def _deadline(value: Any, where: str) -> Deadline:
    rule = str(_require(value, "rule", where))
    if rule not in DEADLINE_RULES:
        raise CatalogError(f"{where}: rule must be one of {DEADLINE_RULES}, not {rule!r}")
    days = value.get("days")
    if rule == "days_from_notice" and not isinstance(days, int):
        raise CatalogError(f"{where}: rule days_from_notice needs an integer 'days'")
    sources, _ = _labelled_sources(value, where, caveat=value.get("caveat"))
    return Deadline(
        rule=rule,
        text=str(_require(value, "text", where)).strip(),
        sources=sources,
        days=days,
        fallback_days=value.get("fallback_days"),
    )


def _window_from_notice(
    counted_from: str, *, days: int | None, years: int | None, business_days: int, where: str
) -> tuple[int | None, int | None]:
    """The part of a window sure to be left counted from the notice date: (days, years).

    The deadline code counts calendar days or years from the notice date, then moves a weekend
    or holiday to the next business day. Business days left over after the notice's own lag are
    counted as one calendar day each (never more than the real window).
    """
    lag = LIEN_NOTICE_LAG_BUSINESS_DAYS if counted_from == "lien_filing" else 0
    extra = max(business_days - lag, 0)
    if years is not None:
        if days or extra:
            raise CatalogError(f"{where}: give a window in years or in days, not both")
        return None, years
    return (days or 0) + extra, None


def _right(value: Mapping[str, Any], where: str) -> Right:
    right_id = str(_require(value, "id", where))
    where = f"{where}.{right_id}"
    counted_from = str(value.get("counted_from") or "notice_date")
    if counted_from not in COUNTED_FROM:
        raise CatalogError(f"{where}: counted_from must be one of {COUNTED_FROM}")
    days_from_notice = value.get("days_from_notice")
    years_from_notice = value.get("years_from_notice")
    window_days = value.get("days")
    window_years = value.get("years")
    business_days = int(value.get("plus_business_days") or 0)
    if counted_from != "notice_date" or window_days is not None or window_years is not None:
        if days_from_notice is not None or years_from_notice is not None:
            raise CatalogError(
                f"{where}: a window counted from {counted_from} is written with days/years and "
                "plus_business_days, not days_from_notice/years_from_notice"
            )
        if window_days is None and window_years is None:
            raise CatalogError(f"{where}: a window counted from {counted_from} needs days or years")
        days_from_notice, years_from_notice = _window_from_notice(
            counted_from,
            days=window_days,
            years=window_years,
            business_days=business_days,
            where=where,
        )
    elif business_days:
        days_from_notice = (days_from_notice or 0) + business_days
    right = Right(
        id=right_id,
        label=str(_require(value, "label", where)),
        lost=str(_require(value, "lost", where)).strip(),
        sources=_labelled_sources(value, where, caveat=value.get("caveat"))[0],
        days_from_notice=days_from_notice,
        years_from_notice=years_from_notice,
        form=str(value["form"]) if value.get("form") else None,
        follows_response_deadline=bool(value.get("follows_response_deadline", False)),
        counted_from=counted_from,
        window_days=window_days,
        window_years=window_years,
        plus_business_days=business_days,
    )
    if (
        right.days_from_notice is None
        and right.years_from_notice is None
        and not right.follows_response_deadline
    ):
        raise CatalogError(
            f"{where}: needs days_from_notice, years_from_notice or follows_response_deadline"
        )
    return right


def _steps(value: Any, where: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Steps written as text, or as ``{text: ..., right: <right id>}`` when they need a right."""
    texts: list[str] = []
    rights: list[str | None] = []
    for i, step in enumerate(_require(value, "next_steps", where)):
        if isinstance(step, Mapping):
            texts.append(str(_require(step, "text", f"{where}.next_steps[{i}]")).strip())
            rights.append(str(step["right"]) if step.get("right") else None)
        else:
            texts.append(str(step).strip())
            rights.append(None)
    return tuple(texts), tuple(rights)


def _notice(entry: Mapping[str, Any]) -> Notice:
    code = str(_require(entry, "code", "notice"))
    where = f"notice {code}"
    _codes([code], where)
    audience = str(_require(entry, "audience", where))
    if audience not in AUDIENCES:
        raise CatalogError(f"{where}: audience must be one of {AUDIENCES}")
    stage = str(_require(entry, "stage", where))
    if stage not in STAGES:
        raise CatalogError(f"{where}: stage must be one of {STAGES}, not {stage!r}")
    rights = tuple(_right(r, f"{where}.rights") for r in entry.get("rights") or ())
    right_ids = [right.id for right in rights]
    if len(set(right_ids)) != len(right_ids):
        raise CatalogError(f"{where}: a right id is listed twice")
    routes: dict[str, RouteAdvice] = {}
    for route, advice in (entry.get("routes") or {}).items():
        if route not in ROUTES:
            raise CatalogError(f"{where}: unknown route {route!r}")
        rwhere = f"{where}.routes.{route}"
        texts, step_rights = _steps(advice, rwhere)
        for right_id in step_rights:
            if right_id is not None and right_id not in right_ids:
                raise CatalogError(f"{rwhere}: a step needs the right {right_id!r} it lacks")
        routes[route] = RouteAdvice(
            route=route,
            next_steps=texts,
            forms=_forms(advice.get("forms"), rwhere),
            sources=_labelled_sources(advice, rwhere, caveat=advice.get("caveat"))[0],
            step_rights=step_rights,
        )
    if not routes:
        raise CatalogError(f"{where}: needs at least one route")
    lost = entry.get("lost_when_passed")
    return Notice(
        code=code,
        title=str(_require(entry, "title", where)),
        audience=audience,
        stage=stage,
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        meaning=_fact(_require(entry, "meaning", where), f"{where}.meaning"),
        deadline=_deadline(_require(entry, "deadline", where), f"{where}.deadline"),
        if_ignored=_fact(_require(entry, "if_ignored", where), f"{where}.if_ignored"),
        lost_when_passed=_fact(lost, f"{where}.lost_when_passed") if lost else None,
        before=_codes(entry.get("before"), f"{where}.before"),
        after=_codes(entry.get("after"), f"{where}.after"),
        routes=routes,
        rights=rights,
        facts=tuple(
            _fact(f, f"{where}.facts[{i}]") for i, f in enumerate(entry.get("facts") or ())
        ),
    )


def _topic(entry: Mapping[str, Any]) -> Topic:
    topic_id = str(_require(entry, "id", "topic"))
    where = f"topic {topic_id}"
    return Topic(
        id=topic_id,
        title=str(_require(entry, "title", where)),
        notice_codes=_codes(entry.get("notice_codes"), where),
        forms=_forms(entry.get("forms"), where),
        keywords=tuple(str(k) for k in entry.get("keywords") or ()),
        facts=tuple(
            _fact(f, f"{where}.facts[{i}]")
            for i, f in enumerate(_require(entry, "facts", where))
        ),
    )


def _figure(entry: Mapping[str, Any]) -> Figure:
    figure_id = str(_require(entry, "id", "figure"))
    where = f"figure {figure_id}"
    year = _require(entry, "year", where)
    if type(year) is not int:
        raise CatalogError(f"{where}: 'year' must be a whole year like 2026, not {year!r}")
    quarter = entry.get("quarter")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise CatalogError(f"{where} {year}: 'quarter' must be 1, 2, 3 or 4, not {quarter!r}")
    caveat = entry.get("caveat")
    sources, secondary = _labelled_sources(entry, f"{where} {year}", caveat=caveat)
    confirmed = bool(entry.get("confirmed", True))
    if secondary and confirmed and not entry.get("secondary"):
        raise CatalogError(
            f"{where} {year}: a figure from a secondary source is 'confirmed: false' "
            "(or marked 'secondary: true' when primary sources confirm it too)"
        )
    return Figure(
        id=figure_id,
        label=str(_require(entry, "label", where)),
        value=float(_require(entry, "value", where)),
        unit=str(_require(entry, "unit", where)),
        year=year,
        sources=sources,
        confirmed=confirmed,
        caveat=caveat,
        secondary=secondary,
        quarter=quarter,
    )


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def parse_catalog(
    notices: Iterable[Mapping[str, Any]],
    topics: Iterable[Mapping[str, Any]],
    figures: Iterable[Mapping[str, Any]] = (),
) -> Catalog:
    """Build and validate a catalog from plain mappings (as read from YAML)."""
    by_code: dict[str, Notice] = {}
    for entry in notices:
        notice = _notice(entry)
        if notice.code in by_code:
            raise CatalogError(f"notice {notice.code}: listed twice")
        by_code[notice.code] = notice
    for notice in by_code.values():
        for neighbour in (*notice.before, *notice.after):
            if neighbour not in by_code:
                raise CatalogError(f"notice {notice.code}: refers to unknown notice {neighbour}")
    parsed_topics = tuple(_topic(t) for t in topics)
    ids = [t.id for t in parsed_topics]
    if len(ids) != len(set(ids)):
        raise CatalogError("topics: an id is listed twice")
    parsed_figures = tuple(_figure(f) for f in figures)
    keys = [(f.id, f.year, f.quarter) for f in parsed_figures]
    if len(keys) != len(set(keys)):
        raise CatalogError("figures: a figure is listed twice for the same year (and quarter)")
    return Catalog(notices=by_code, topics=parsed_topics, figures=parsed_figures)


def load_catalog(directory: Path) -> Catalog:
    """Load ``notices.yml``, ``topics.yml`` and ``figures.yml`` from ``directory``."""
    notices = _read_yaml(directory / "notices.yml").get("notices", [])
    topics = _read_yaml(directory / "topics.yml").get("topics", [])
    figures_path = directory / "figures.yml"
    figures = _read_yaml(figures_path).get("figures", []) if figures_path.exists() else []
    return parse_catalog(notices, topics, figures)
