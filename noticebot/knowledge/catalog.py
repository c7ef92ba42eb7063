"""The curated notice catalog: notices, topics and yearly figures, every fact with its sources.

The catalog lives as YAML under ``data/knowledge/`` (``notices.yml``, ``topics.yml``,
``figures.yml``). This module turns it into frozen dataclasses and refuses a catalog that
breaks the rules the assistant depends on: every fact carries at least one source URL, codes
are canonical and unique, routes and stages come from fixed vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROUTES = ("pay", "negotiate", "appeal", "get_help")
AUDIENCES = ("individual", "business", "both")
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
)
DEADLINE_RULES = ("days_from_notice", "printed", "none")
CODE_RE = re.compile(r"^(CP|LT|LTR)[0-9]+[A-Z]?$")
FORM_RE = re.compile(r"^[0-9]{3,5}(-[A-Z]+)?( \([A-Za-z]+\))?$|^668\(Y\)\(c\)$")


class CatalogError(ValueError):
    """The catalog data breaks a rule; the message names the entry and the field."""


@dataclass(frozen=True)
class Fact:
    """One sentence or short paragraph of knowledge, paraphrased, with where it comes from."""

    text: str
    sources: tuple[str, ...]
    year: int | None = None
    caveat: str | None = None


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
    """A right that expires a fixed time after the notice date (a hearing, an appeal)."""

    id: str
    label: str
    lost: str
    sources: tuple[str, ...]
    days_from_notice: int | None = None
    years_from_notice: int | None = None
    form: str | None = None
    follows_response_deadline: bool = False


@dataclass(frozen=True)
class RouteAdvice:
    """What to do on one route for one notice: next steps and the forms involved."""

    route: str
    next_steps: tuple[str, ...]
    forms: tuple[str, ...]
    sources: tuple[str, ...]


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

    def figure(self, figure_id: str, *, year: int | None = None) -> Figure:
        """Return the figure for ``figure_id`` in force for ``year`` (newest when ``None``)."""
        candidates = sorted(
            (f for f in self.figures if f.id == figure_id), key=lambda f: f.year, reverse=True
        )
        for candidate in candidates:
            if year is None or candidate.year <= year:
                return candidate
        raise KeyError(figure_id)


def _require(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in (None, "", []):
        raise CatalogError(f"{where}: missing '{key}'")
    return entry[key]


def _sources(value: Any, where: str) -> tuple[str, ...]:
    if not value:
        raise CatalogError(f"{where}: every fact needs at least one source URL")
    urls = tuple(str(url) for url in value)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise CatalogError(f"{where}: source is not a URL: {url!r}")
    return urls


def _fact(value: Any, where: str) -> Fact:
    if not isinstance(value, Mapping):
        raise CatalogError(f"{where}: expected a mapping with 'text' and 'sources'")
    return Fact(
        text=str(_require(value, "text", where)).strip(),
        sources=_sources(value.get("sources"), where),
        year=value.get("year"),
        caveat=value.get("caveat"),
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
    return Deadline(
        rule=rule,
        text=str(_require(value, "text", where)).strip(),
        sources=_sources(value.get("sources"), where),
        days=days,
        fallback_days=value.get("fallback_days"),
    )


def _right(value: Mapping[str, Any], where: str) -> Right:
    right_id = str(_require(value, "id", where))
    where = f"{where}.{right_id}"
    right = Right(
        id=right_id,
        label=str(_require(value, "label", where)),
        lost=str(_require(value, "lost", where)).strip(),
        sources=_sources(value.get("sources"), where),
        days_from_notice=value.get("days_from_notice"),
        years_from_notice=value.get("years_from_notice"),
        form=str(value["form"]) if value.get("form") else None,
        follows_response_deadline=bool(value.get("follows_response_deadline", False)),
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
    routes: dict[str, RouteAdvice] = {}
    for route, advice in (entry.get("routes") or {}).items():
        if route not in ROUTES:
            raise CatalogError(f"{where}: unknown route {route!r}")
        rwhere = f"{where}.routes.{route}"
        routes[route] = RouteAdvice(
            route=route,
            next_steps=tuple(str(s).strip() for s in _require(advice, "next_steps", rwhere)),
            forms=_forms(advice.get("forms"), rwhere),
            sources=_sources(advice.get("sources"), rwhere),
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
        rights=tuple(_right(r, f"{where}.rights") for r in entry.get("rights") or ()),
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
    return Figure(
        id=figure_id,
        label=str(_require(entry, "label", where)),
        value=float(_require(entry, "value", where)),
        unit=str(_require(entry, "unit", where)),
        year=int(_require(entry, "year", where)),
        sources=_sources(entry.get("sources"), where),
        confirmed=bool(entry.get("confirmed", True)),
        caveat=entry.get("caveat"),
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
    return Catalog(
        notices=by_code, topics=parsed_topics, figures=tuple(_figure(f) for f in figures)
    )


def load_catalog(directory: Path) -> Catalog:
    """Load ``notices.yml``, ``topics.yml`` and ``figures.yml`` from ``directory``."""
    notices = _read_yaml(directory / "notices.yml").get("notices", [])
    topics = _read_yaml(directory / "topics.yml").get("topics", [])
    figures_path = directory / "figures.yml"
    figures = _read_yaml(figures_path).get("figures", []) if figures_path.exists() else []
    return parse_catalog(notices, topics, figures)
