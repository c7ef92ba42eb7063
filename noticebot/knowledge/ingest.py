"""Document ingestion: a firm's articles in, clean passages tagged with notice codes and forms out.

Firms write marketing: phone numbers, calls to action, author bios, their own name on every other
line. Ingestion keeps the facts and drops the rest, sentence by sentence, so a factual sentence
survives in a salesy paragraph. The drop rules are data (``marketing.yml``); the firm's and the
author's names are learned from the document itself ("At Acme Tax Relief, we ...", "Acme can
help", "Acme's attorneys", "I'm Jane Doe, an enrolled agent", "visit acme.tax", the page's
``<title>`` and ``og:site_name``) and every sentence naming one, possessive or not, is dropped. A
heading that is marketing drops its whole section. Image captions above the title, sentences
pointing back at a list that was lost ("All of these programs ..."), and passages too short to
teach anything go too.

Sentences come from spaCy's ``sentencizer`` on a blank English pipeline; notice codes and forms
from the project's recognizer. A passage carries the codes it mentions plus the document's own
subject: the codes named in its title, and a code that dominates the whole article.
"""

from __future__ import annotations

import logging
import math
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phonenumbers
import spacy
import yaml
from bs4 import BeautifulSoup, Tag
from bs4.element import PreformattedString
from markdown_it import MarkdownIt
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from noticebot.knowledge.passages import Passage

if TYPE_CHECKING:
    from noticebot.nlp import Recognizer

logger = logging.getLogger(__name__)

RULES_PATH = Path(__file__).with_name("marketing.yml")
TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)

# A dropped heading with one of these reasons drops its whole section.
SECTION_REASONS = frozenset(
    {
        "phone",
        "email",
        "web_address",
        "firm_name",
        "call_to_action",
        "sales_claim",
        "first_person_plural",
    }
)
# A code is the subject of a whole article when it has at least this many mentions...
SUBJECT_MIN_MENTIONS = 3
# ...and at least this share of all notice-code mentions.
SUBJECT_MIN_SHARE = 0.6
# Passage size bounds, in characters.
DEFAULT_MAX_CHARS = 700
DEFAULT_MIN_CHARS = 60
# A section is gutted when its kept sentences only lead into a sales pitch: every marketing
# sentence comes after them, and there are at least this many, and this many times as many.
GUTTED_MIN_DROPS = 2
GUTTED_RATIO = 2
# Drop reasons that say nothing about selling.
NOT_MARKETING = frozenset({"duplicate", "navigation", "fragment", "caption", "byline"})
# Default of ``min_passage_words`` in ``marketing.yml``.
DEFAULT_MIN_PASSAGE_WORDS = 15
# Longest line still taken for a heading.
HEADING_MAX_WORDS = 16
HEADING_MAX_CHARS = 120

# HTML elements that never hold article text.
HTML_DROP_TAGS = (
    "head", "title", "script", "style", "noscript", "template", "nav", "footer", "header", "aside",
    "form", "iframe", "svg", "canvas", "button", "select", "input", "textarea", "object", "embed",
)  # fmt: skip
# HTML elements that start a new block of text.
HTML_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "table", "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "figure", "figcaption", "dl",
    "dt", "dd", "hr", "address", "details", "summary",
)  # fmt: skip
# HTML elements never removed as page furniture, whatever their class.
HTML_KEEP_TAGS = ("html", "body", "main", "article")

# A capitalized word of a name ("Acme", "CuraDebt", "O'Neil", "Smith-Jones").
NAME_TOKEN = r"[A-Z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*"
# Up to five capitalized words, "&" allowed between them ("Doe & Roe").
NAME_RUN = rf"{NAME_TOKEN}(?:[ \t]+(?:&[ \t]+)?{NAME_TOKEN}){{0,4}}"
# A person's name: two or three capitalized words, an initial allowed ("Jane Q. Doe").
PERSON_NAME = (
    r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
    r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){1,2}"
)

_FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3\u200b\u200c\ufeff]"
)
_PHONE_SAFETY_NET = (
    # 10 digits, optionally +1, in any grouping: (555) 010-0199, 555.010.0199, 5550100199.
    re.compile(r"(?<![\d\w])(?:\+?1[\s.-]*)?\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}(?!\d)"),
    # Toll-free vanity numbers: 1-800-TAX-HELP, (888) 555-HELP.
    re.compile(r"(?i)(?<!\w)(?:1[\s.-]*)?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]*[a-z0-9]{3}[.-][a-z0-9]{4}(?!\w)"),
    # "tel:" links and "Tel./Phone:" labels followed by digits.
    re.compile(r"(?i)\b(?:tel|phone|call)\s*[:.]\s*\+?[\d(]"),
)  # fmt: skip
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FIRST_PERSON_PLURAL = re.compile(
    r"(?i:\b(?:we|our|ours|ourselves|let's|let’s)\b)|(?<![\w.])[Uu]s(?![\w.])"
)
_FIRST_PERSON = re.compile(r"(?<![\w-])I(?![\w-])|(?i:\b(?:me|my|mine|myself)\b)")
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
# An all-capitals abbreviation, maybe plural ("LITC", "LITCs"): an agency more often than a firm.
_ACRONYM = re.compile(r"[A-Z]{2,6}s?")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
# A word, for counting ("failure-to-pay", "CP14", "0.5%").
_WORD = re.compile(r"[A-Za-z0-9$][\w$%.'’-]*")
# A figure worth keeping a short passage for: an amount, a rate, a span of time or a date.
_FIGURE = re.compile(
    r"\$\s?\d|\d\s?%|\b\d+(?:[.,]\d+)?[\s-]*(?:calendar\s+|business\s+)?"
    r"(?:days?|weeks?|months?|years?)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE,
)
# The end of a sentence after a form number ("Form 668-W. Next ..."), which the sentencizer
# takes for an initial.
_FORM_END = re.compile(r"(?<=\d-[A-Z]\.)[ \t]+(?=[A-Z][a-z])")
# Words that point back at something said before ("these programs", "the above").
_POINTS_BACK = re.compile(r"\b(?:these|those|the above)\b")
# A finite or modal verb: a sentence, not a picture's description ("A taxpayer reviewing ...").
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|does|do|did|can|could|will|would|shall|should|"
    r"may|might|must|gets|get|got|needs|need|receives|received|owes|owe|pays|pay|files|file)\b"
)


class IngestError(ValueError):
    """A document that cannot be read: unsupported type, missing or unreadable file."""


@dataclass(frozen=True)
class MarketingRules:
    """The drop rules of ``marketing.yml``, compiled by :func:`load_rules`."""

    call_to_action: re.Pattern[str]
    call_to_action_patterns: re.Pattern[str]
    sales_claims: re.Pattern[str]
    sales_hooks: re.Pattern[str]
    list_references: re.Pattern[str]
    caption_label: re.Pattern[str]
    caption_subject: re.Pattern[str]
    min_passage_words: int
    bio_cues: re.Pattern[str]
    bio_sentence: re.Pattern[str]
    author_line: re.Pattern[str]
    self_introduction: re.Pattern[str]
    navigation: frozenset[str]
    navigation_patterns: re.Pattern[str]
    skip_sections: frozenset[str]
    generic_headings: frozenset[str]
    firm_suffix: re.Pattern[str]
    firm_contexts: tuple[re.Pattern[str], ...]
    generic_names: frozenset[str]
    web_address: re.Pattern[str]
    bullet: re.Pattern[str]
    html_junk_markers: frozenset[str]


# --------------------------------------------------------------------------- rule builders


def fold(text: str) -> str:
    """Lower-case ``text`` with straight quotes, plain hyphens and single spaces."""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip().lower()


def fold_line(text: str) -> str:
    """Fold ``text`` and keep only letters, digits and single spaces (to compare whole lines)."""
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", fold(text))).strip()


def _alternation(alternatives: Iterable[str]) -> str:
    """Join regex alternatives longest first; a never-matching group when there are none."""
    ordered = sorted(set(alternatives), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")" if ordered else "(?!)"


def _phrase_regex(phrase: str) -> str:
    """Regex for a folded phrase whose words may be separated by any spaces or hyphens."""
    words = [w for w in re.split(r"[\s-]+", fold(phrase)) if w]
    return r"[\s-]+".join(re.escape(w) for w in words)


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Match any of ``phrases`` on word boundaries in folded text."""
    return re.compile(r"(?<!\w)" + _alternation(_phrase_regex(p) for p in phrases) + r"(?!\w)")


def lead_in_pattern(lead_ins: Iterable[str], *, name: str) -> re.Pattern[str]:
    """Match a case-insensitive lead-in followed by a name (group ``name``) in raw text."""
    lead = _alternation(r"[ \t]+".join(re.escape(w) for w in fold(p).split()) for p in lead_ins)
    lead = lead.replace("'", "['’]")
    return re.compile(rf"(?<![\w'’])(?i:{lead})[ \t]*:?[ \t]+(?P<name>{name})")


def firm_suffix_pattern(suffixes: Iterable[str]) -> re.Pattern[str]:
    """Match capitalized words followed by a firm suffix ("Acme Tax Relief", "Doe & Roe LLC")."""
    alternatives = (r"[ \t]+".join(re.escape(w) for w in s.split()) for s in suffixes)
    return re.compile(
        rf"(?P<name>{NAME_RUN})[ \t]+(?P<suffix>{_alternation(alternatives)})(?![A-Za-z])"
    )


def firm_context_patterns(
    *,
    lead_ins: Iterable[str],
    follow_ons: Iterable[str],
    we_lead_ins: Iterable[str],
    possessive_nouns: Iterable[str] = (),
) -> tuple[re.Pattern[str], ...]:
    """Patterns capturing a firm's name from context: "contact X", "X can help", "At X, we",
    "X's attorneys"."""
    follow = _alternation(_phrase_regex(p).replace("'", "['’]") for p in follow_ons)
    we_lead = _alternation(_phrase_regex(p) for p in we_lead_ins)
    owned = _alternation(_phrase_regex(p) for p in possessive_nouns)
    return (
        lead_in_pattern(lead_ins, name=NAME_RUN),
        re.compile(rf"(?P<name>{NAME_RUN})[ \t]+(?i:{follow})(?![\w])"),
        re.compile(rf"(?<![\w])(?i:{we_lead})[ \t]+(?P<name>{NAME_RUN}),?[ \t]+(?i:we)\b"),
        re.compile(rf"(?P<name>{NAME_RUN})['’]s?[ \t]+(?i:{owned})(?![\w])"),
    )


def opening_pattern(phrases: Iterable[str], *, tail: str = "") -> re.Pattern[str]:
    """Match folded text that opens with one of ``phrases`` (then ``tail``, when given)."""
    return re.compile(r"^" + _alternation(_phrase_regex(p) for p in phrases) + r"(?!\w)" + tail)


def caption_subject_pattern(subjects: Iterable[str]) -> re.Pattern[str]:
    """Match folded text describing a picture: "a (worried) taxpayer reviewing ..."."""
    people = _alternation(_phrase_regex(s) for s in subjects)
    return re.compile(
        rf"^(?:a|an|two|three|several)\s+(?:[a-z-]+\s+){{0,2}}?{people}\s+[a-z]+ing\b"
    )


def web_address_pattern(domains: Iterable[str]) -> re.Pattern[str]:
    """Match URLs and bare domain names ending in one of ``domains`` ("acme.tax", "IRS.gov")."""
    tlds = _alternation(re.escape(d.lower()) for d in domains)
    return re.compile(
        r"(?i)\bhttps?://[^\s<>()\"]+|\bwww\.[^\s<>()\"]+"
        rf"|(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.{tlds}\b(?:/[^\s<>()\"]*)?"
    )


def bullet_pattern(bullets: Iterable[str]) -> re.Pattern[str]:
    """Match the marker opening a list item: a bullet glyph, "-", "*", "+" or "1." / "1)"."""
    glyphs = _alternation(re.escape(b) for b in bullets)
    return re.compile(rf"^\s*(?:{glyphs}\ufe0f?|[-*+]|\d{{1,2}}[.)])\s+")


def bio_sentence_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """Match a line opening with a person's name and a bio verb ("Jane Doe is a ...")."""
    return re.compile(rf"^(?P<name>{PERSON_NAME})[ \t]+{_alternation(map(re.escape, verbs))}\b")


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_PATH) -> MarketingRules:
    """Read and compile the drop rules (``marketing.yml`` next to this module by default)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))

    def words(key: str) -> list[str]:
        return [str(item) for item in data.get(key) or ()]

    return MarketingRules(
        call_to_action=phrase_pattern(words("call_to_action")),
        call_to_action_patterns=re.compile(_alternation(words("call_to_action_patterns"))),
        sales_claims=phrase_pattern(words("sales_claims")),
        sales_hooks=opening_pattern(words("sales_hooks"), tail=r"[^?]*\?$"),
        list_references=opening_pattern(words("list_references")),
        caption_label=opening_pattern(words("caption_labels")),
        caption_subject=caption_subject_pattern(words("caption_subjects")),
        min_passage_words=int(data.get("min_passage_words") or DEFAULT_MIN_PASSAGE_WORDS),
        bio_cues=phrase_pattern(words("bio_cues")),
        bio_sentence=bio_sentence_pattern(words("bio_verbs")),
        author_line=lead_in_pattern(words("author_lead_ins"), name=PERSON_NAME),
        self_introduction=lead_in_pattern(words("self_introductions"), name=PERSON_NAME),
        navigation=frozenset(fold_line(line) for line in words("navigation")),
        navigation_patterns=re.compile(_alternation(words("navigation_patterns"))),
        skip_sections=frozenset(fold_line(line) for line in words("skip_sections")),
        generic_headings=frozenset(fold_line(line) for line in words("generic_headings")),
        firm_suffix=firm_suffix_pattern(words("firm_suffixes")),
        firm_contexts=firm_context_patterns(
            lead_ins=words("firm_lead_ins"),
            follow_ons=words("firm_follow_ons"),
            we_lead_ins=words("firm_we_lead_ins"),
            possessive_nouns=words("firm_possessive_nouns"),
        ),
        generic_names=frozenset(fold(name) for name in words("generic_names")),
        web_address=web_address_pattern(words("web_domains")),
        bullet=bullet_pattern(words("bullets")),
        html_junk_markers=frozenset(fold(m) for m in words("html_junk_markers")),
    )


# --------------------------------------------------------------------------- reading documents


@dataclass(frozen=True)
class _Document:
    """An article as read from its file: text, title and the site's own names for itself."""

    text: str
    title: str
    site_names: tuple[str, ...] = ()


def read_document(path: Path) -> tuple[str, str]:
    """Return the plain text and the title of a ``.txt``, Markdown or HTML file."""
    document = _read_document(path)
    return document.text, document.title


def _read_document(path: Path) -> _Document:
    """Read an article; for HTML also the site names of ``<title>`` and ``<meta>``."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{path}: unsupported document type {suffix or '(no suffix)'!r}; "
            f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    raw = _read_text(path)
    site_names: tuple[str, ...] = ()
    if suffix in HTML_SUFFIXES:
        text, title, site_names = _html_document(raw)
    elif suffix in MARKDOWN_SUFFIXES:
        text, title, site_names = _html_document(_markdown_to_html(raw))
    else:
        text, title = raw, None
    return _Document(
        text=text, title=title or guess_title(text) or path.stem, site_names=site_names
    )


def _read_text(path: Path) -> str:
    """Read ``path`` as UTF-8 (falling back to Windows-1252), or raise :class:`IngestError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("%s is not UTF-8; reading it as Windows-1252", path)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot read {path}: not a text file ({exc.reason})") from exc


def _markdown_to_html(markdown: str) -> str:
    """Render Markdown to HTML (raw HTML allowed; it is cleaned with the rest)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Render Markdown (raw HTML allowed, then cleaned) and return its text and first heading."""
    return html_to_text(_markdown_to_html(markdown))


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return the article text of an HTML page (blocks on their own lines) and its title."""
    text, title, _ = _html_document(html)
    return text, title


def _html_document(html: str) -> tuple[str, str | None, tuple[str, ...]]:
    """The article text, title and site names (see :func:`_html_site_names`) of a page."""
    rules = load_rules()
    soup = BeautifulSoup(html, "html.parser")
    title = _html_title(soup)
    site_names = _html_site_names(soup, title=title)
    for node in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        node.extract()  # comments, doctype, CDATA, processing instructions
    for tag in soup.find_all(HTML_DROP_TAGS):
        tag.decompose()
    _drop_junk_elements(soup, markers=rules.html_junk_markers)
    for node in soup.find_all(string=True):
        if node.find_parent("pre") is None:
            node.replace_with(re.sub(r"\s+", " ", str(node)))
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert_before("\n• ")
        tag.insert_after("\n")
    for tag in soup.find_all(("td", "th")):
        tag.insert_before("\n")
    for tag in soup.find_all(HTML_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    lines = [line.strip() for line in soup.get_text().splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, title, site_names


def _html_title(soup: BeautifulSoup) -> str | None:
    """The page's title: the article's first ``h1``, else any ``h1``, else ``<title>``."""
    container = soup.find("article") or soup.find("main")
    heading = container.find("h1") if isinstance(container, Tag) else None
    heading = heading or soup.find("h1")
    if isinstance(heading, Tag) and heading.get_text(strip=True):
        return re.sub(r"\s+", " ", heading.get_text(" ", strip=True))
    if soup.title is not None and soup.title.string:
        return re.split(r"\s+[|–—-]\s+", soup.title.string.strip())[0] or None
    return None


def _html_site_names(soup: BeautifulSoup, *, title: str | None) -> tuple[str, ...]:
    """What a page calls its site or author: the other parts of ``<title>`` ("CP504 | Acme")
    and the ``og:site_name``, ``application-name`` and ``author`` meta tags."""
    names: list[str] = []
    if soup.title is not None and soup.title.string:
        names.extend(re.split(r"\s+[|–—-]\s+|\s*[|]\s*", soup.title.string.strip()))
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or "").lower()
        if key in {"og:site_name", "application-name", "author"} and meta.get("content"):
            names.append(str(meta.get("content")))
    skip = fold_line(title or "")
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip() and fold_line(n) != skip))


def _drop_junk_elements(soup: BeautifulSoup, *, markers: frozenset[str]) -> None:
    """Remove elements whose class or id words name page furniture (sidebar, share, author...)."""
    total = len(soup.get_text(" ", strip=True)) or 1
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in HTML_KEEP_TAGS:
            continue
        names = [*(tag.get("class") or ()), str(tag.get("id") or "")]
        words = {w for name in names for w in re.split(r"[^a-z0-9]+", name.lower()) if w}
        if words & markers and len(tag.get_text(" ", strip=True)) < total / 2:
            tag.decompose()


def guess_title(text: str) -> str | None:
    """The title of a plain-text article: the longest heading-like line of its opening block."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:10]
    opening: list[str] = []
    for line in lines:
        if not _is_heading_like(line):
            break
        opening.append(line)
    if opening:
        return max(opening, key=len)
    return next((line for line in lines if _is_heading_like(line)), None)


# --------------------------------------------------------------------------- document structure


@dataclass
class _Line:
    """One line of an article: a paragraph, a list item or a table cell."""

    text: str
    block: int
    item: bool = False
    before_title: bool = False


@dataclass
class _Section:
    """A heading (or none) and the lines under it."""

    heading: str | None
    lines: list[_Line] = field(default_factory=list)
    before_title: bool = False  # the heading sits above the title line


@dataclass
class _Sentence:
    """A kept sentence and where it sits."""

    text: str
    line: int
    item: bool


@dataclass
class _CleanSection:
    """What survives of a section: its heading (when kept and useful) and its sentences."""

    heading: str | None
    sentences: list[_Sentence]
    gutted: bool = False  # most of its sentences were marketing


@dataclass(frozen=True)
class _Chunk:
    """The heading and body of one passage, and whether its section was gutted."""

    heading: str | None
    body: str
    gutted: bool

    @property
    def text(self) -> str:
        """The passage text: the heading on its own line, then the body."""
        return f"{self.heading}\n{self.body}" if self.heading else self.body


@dataclass
class _CleanDocument:
    """The result of cleaning one article."""

    title: str
    sections: list[_CleanSection]
    dropped: Counter[str]
    total: int
    names: tuple[str, ...]


def _is_heading_like(line: str) -> bool:
    """Short, with letters, and not ending like a sentence or a lead-in (``?`` is allowed)."""
    stripped = line.rstrip(" \"'”’)]")
    return (
        bool(stripped)
        and len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and stripped[-1] not in ".,;:!"
        and any(c.isalpha() for c in line)
    )


def tidy(text: str) -> str:
    """Drop emoji, repair glued table cells ("CP14First bill.If") and tuck "(IRS)" citations in."""
    text = _EMOJI.sub("", text)
    text = re.sub(r"(?<=\d)(?=[A-Z][a-z]{2,})", ": ", text)
    text = re.sub(r"(?<=[a-z)]{2}[.!?])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"…(?=[A-Z])", "… ", text)
    text = re.sub(r"([.!?])[ \t]+(\([^().!?\n]{1,40}\))(?=[ \t]|$)", r" \2\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _lines_of(block: str, *, index: int, rules: MarketingRules) -> list[_Line]:
    """Split a block into lines, marking list items and joining hard-wrapped lines."""
    lines: list[_Line] = []
    for raw in block.split("\n"):
        marker = rules.bullet.match(raw)
        text = tidy(raw[marker.end() :] if marker else raw)
        if not text:
            continue
        previous = lines[-1] if lines else None
        if (
            previous is not None
            and marker is None
            and text[0].islower()
            and previous.text[-1] not in ".!?:;"
        ):
            previous.text = f"{previous.text} {text}"
            continue
        lines.append(_Line(text=text, block=index, item=marker is not None))
    wrapped = [line for line in lines[:-1] if len(line.text) >= 50 and line.text[-1] not in ".!?:;"]
    if len(lines) >= 3 and not any(line.item for line in lines) and len(wrapped) > len(lines) / 2:
        return [_Line(text=" ".join(line.text for line in lines), block=index)]
    return lines


def split_sections(text: str, *, rules: MarketingRules) -> list[_Section]:
    """Split plain text into sections: a heading-like line opens one, blank lines part blocks."""
    sections = [_Section(heading=None)]
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    for index, block in enumerate(re.split(r"\n[ \t]*\n", normalized)):
        lines = _lines_of(block, index=index, rules=rules)
        if not lines:
            continue
        first = lines[0]
        opens_section = not first.item and _is_heading_like(first.text)
        if len(lines) > 1:
            second = lines[1]
            opens_section = opens_section and not second.item and not _is_heading_like(second.text)
        if opens_section:
            sections.append(_Section(heading=first.text))
            lines = lines[1:]
        sections[-1].lines.extend(lines)
    return [s for s in sections if s.heading is not None or s.lines]


# --------------------------------------------------------------------------- names of the firm


def has_phone_number(text: str) -> bool:
    """Whether ``text`` holds a phone number (``phonenumbers`` plus a regex safety net)."""
    if next(iter(phonenumbers.PhoneNumberMatcher(text, "US")), None) is not None:
        return True
    return any(pattern.search(text) for pattern in _PHONE_SAFETY_NET)


def _host(address: str) -> str:
    """The host name of a URL or bare domain, lower-cased, without ``www.``."""
    host = re.sub(r"(?i)^https?://", "", address).split("/")[0].lower()
    return host.removeprefix("www.")


def _is_official(address: str) -> bool:
    """Government addresses (``.gov``, ``.mil``) are sources, not marketing."""
    return _host(address).rstrip(".").endswith((".gov", ".mil"))


def firm_addresses(text: str, *, rules: MarketingRules) -> list[str]:
    """Web addresses in ``text`` that are not government ones."""
    return [m.group() for m in rules.web_address.finditer(text) if not _is_official(m.group())]


class _NameFinder:
    """Learns the firm's and the author's names from one document."""

    def __init__(self, text: str, *, rules: MarketingRules) -> None:
        """Index the words ``text`` writes in lower case (a firm never lower-cases its name)."""
        self._rules = rules
        plain = _EMAIL.sub(" ", rules.web_address.sub(" ", text))
        self._lowercase = {w.replace("’", "'") for w in _LOWER_WORD.findall(plain)}
        self._capitalized = set(re.findall(r"(?<![\w'’])[A-Z][a-z]{3,}(?![\w])", plain))

    def is_proper(self, token: str) -> bool:
        """A word the document never writes in lower case, not a stop word or agency name."""
        word = fold(token)
        return (
            word not in self._lowercase
            and word not in STOP_WORDS
            and word not in self._rules.generic_names
            and any(c.isalpha() for c in word)
            and not any(c.isdigit() for c in word)
        )

    def _tokens(self, run: str) -> list[str]:
        tokens = [re.sub(r"['’]s$", "", t) for t in run.split()]
        while tokens and not self.is_proper(tokens[0]):
            tokens.pop(0)
        return tokens

    def _acceptable(self, name: str) -> bool:
        return bool(name) and fold(name) not in self._rules.generic_names

    def suffix_names(self, text: str) -> set[str]:
        """Names followed by a firm suffix: the full name and, when it is all proper, its core."""
        names: set[str] = set()
        for match in self._rules.firm_suffix.finditer(text):
            tokens = self._tokens(match.group("name"))
            if not tokens:
                continue
            core = " ".join(tokens)
            names.add(f"{core} {match.group('suffix')}")
            if all(self.is_proper(t) or t == "&" for t in tokens) and self._acceptable(core):
                names.add(core)
        return names

    def context_names(self, text: str) -> set[str]:
        """Names in a firm's context ("contact X", "X can help", "At X, we"): proper words only."""
        names: set[str] = set()
        for pattern in self._rules.firm_contexts:
            for match in pattern.finditer(text):
                tokens = self._tokens(match.group("name"))
                proper: list[str] = []
                for token in tokens:
                    if not self.is_proper(token) or _ACRONYM.fullmatch(token):
                        break
                    proper.append(token)
                name = " ".join(proper)
                if self._acceptable(name):
                    names.add(name)
        return names

    def author_names(self, text: str) -> set[str]:
        """People named by a bio: "I'm Jane Doe", "Picture of Jane Doe", "Jane Doe is a CPA..."."""
        names: set[str] = set()
        for raw in text.splitlines():
            line = _EMOJI.sub("", raw).strip()
            found = [m.group("name") for m in self._rules.self_introduction.finditer(line)]
            author = self._rules.author_line.match(line)
            if author is not None and len(line.split()) <= 8:
                found.append(author.group("name"))
            bio = self._rules.bio_sentence.match(line)
            if bio is not None and self._rules.bio_cues.search(fold(line)):
                found.append(bio.group("name"))
            for name in found:
                tokens = name.split()
                if all(self.is_proper(t) for t in tokens if not t.endswith(".")):
                    names.update((name, tokens[0], tokens[-1]))
        return names

    def address_names(self, text: str) -> set[str]:
        """The names inside a firm's web addresses ("IRSTaxRelief" in "IRSTaxRelief.tax")."""
        names: set[str] = set()
        for address in firm_addresses(text, rules=self._rules):
            host = re.sub(r"(?i)^(?:https?://)?", "", address).split("/")[0]
            labels = host.split(".")
            label = labels[-2] if len(labels) >= 2 else labels[0]
            if len(label) >= 4 and self.is_proper(label) and self._acceptable(label):
                names.add(label)
                names.update(self._brand_words(label))
        return names

    def _brand_words(self, label: str) -> list[str]:
        """Proper words of the document that spell the start of a domain label: "Harbor" and
        "Finch" in "harborfinchlaw"."""
        label = label.lower()
        words: list[str] = []
        position = 0
        while len(words) < 3:
            fits = [
                w
                for w in self._capitalized
                if label.startswith(w.lower(), position) and self.is_proper(w)
            ]
            if not fits:
                break
            word = max(fits, key=len)
            if self._acceptable(word):
                words.append(word)
            position += len(word)
        return words

    def site_names(self, candidates: Iterable[str]) -> set[str]:
        """Names a page gives itself ("Acme Tax Relief" in ``<title>`` or ``og:site_name``):
        a run of proper words, or a name with a firm suffix."""
        names: set[str] = set()
        for candidate in candidates:
            names |= self.suffix_names(candidate)
            tokens = self._tokens(_EMOJI.sub("", candidate).strip())
            if (
                0 < len(tokens) <= 5
                and all(self.is_proper(t) or t == "&" for t in tokens)
                and not all(_ACRONYM.fullmatch(t) for t in tokens)
                and self._acceptable(" ".join(tokens))
            ):
                names.add(" ".join(tokens))
        return names


def find_firm_names(
    text: str, *, rules: MarketingRules | None = None, site_names: Iterable[str] = ()
) -> tuple[str, ...]:
    """The firm's and the author's names as the document itself gives them, longest first.

    ``site_names`` are what the page calls itself (parts of its ``<title>``, ``og:site_name``).
    """
    rules = rules or load_rules()
    finder = _NameFinder(text, rules=rules)
    names = (
        finder.suffix_names(text)
        | finder.context_names(text)
        | finder.author_names(text)
        | finder.address_names(text)
        | finder.site_names(site_names)
    )
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Match any of ``names`` as whole words, with or without a possessive "'s".

    Case counts, except for a name written all in lower case (a domain label such as
    "brightline"), which matches "Brightline" and "BRIGHTLINE" too.
    """
    alternatives = (
        ("(?i:{})" if name.islower() else "{}").format(
            r"\s+".join(re.escape(w) for w in name.split())
        )
        for name in names
    )
    return re.compile(r"(?<![A-Za-z0-9])" + _alternation(alternatives) + r"(?![A-Za-z0-9])")


# --------------------------------------------------------------------------- drop decisions


def _unquoted(text: str) -> str:
    """``text`` without quoted speech (a quote cut by the sentence splitter counts too)."""
    text = _QUOTED.sub(" ", text)
    if "”" in text:
        text = text.split("”", 1)[1]
    if "“" in text:
        text = text.split("“", 1)[0]
    return text


def drop_reason(
    text: str, *, names: re.Pattern[str], rules: MarketingRules, heading: bool = False
) -> str | None:
    """Why a sentence (or heading) is marketing, or ``None`` to keep it."""
    folded = fold(text)
    unquoted = _unquoted(text)
    checks: tuple[tuple[str, bool], ...] = (
        ("phone", has_phone_number(text)),
        ("email", _EMAIL.search(text) is not None),
        ("web_address", bool(firm_addresses(text, rules=rules))),
        ("firm_name", names.search(text) is not None),
        (
            "call_to_action",
            rules.call_to_action.search(folded) is not None
            or rules.call_to_action_patterns.search(folded) is not None,
        ),
        ("sales_claim", rules.sales_claims.search(folded) is not None),
        ("sales_hook", rules.sales_hooks.search(folded.rstrip(" \"')")) is not None),
        ("first_person_plural", _FIRST_PERSON_PLURAL.search(unquoted) is not None),
        ("first_person", _FIRST_PERSON.search(unquoted) is not None),
        (
            "navigation",
            fold_line(text) in rules.navigation or bool(rules.navigation_patterns.search(folded)),
        ),
        (
            "hype",
            not heading and text.rstrip(" \"'”’").endswith("!") and not re.search(r"\d", text),
        ),
        ("fragment", not heading and len(re.findall(r"[A-Za-z]{2,}", text)) < 2),
    )
    return next((reason for reason, hit in checks if hit), None)


@lru_cache(maxsize=1)
def sentence_splitter() -> Language:
    """A blank English pipeline with spaCy's rule-based ``sentencizer`` (built once)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class _Cleaner:
    """Keeps the sentences of one article that are not marketing, and counts the rest."""

    def __init__(
        self, text: str, *, title: str, rules: MarketingRules, site_names: Sequence[str] = ()
    ) -> None:
        """Learn the firm's and author's names from ``text``, its title and its site names."""
        self.rules = rules
        self.title = title
        known = f"{title}\n\n{text}" if title else text
        self.names = find_firm_names(known, rules=rules, site_names=site_names)
        self.names_re = names_pattern(self.names)
        authors = _NameFinder(known, rules=rules).author_names(known)
        self.authors_re = names_pattern(sorted(authors, key=len, reverse=True))
        self.nlp = sentence_splitter()
        self.dropped: Counter[str] = Counter()
        self.total = 0
        self.seen: set[str] = set()

    def heading_reason(self, section: _Section) -> str | None:
        """Why a heading is dropped ("skipped_section" for sources, bios, tables of contents)."""
        heading = section.heading
        if heading is None:
            return None
        if fold_line(heading) in self.rules.skip_sections:
            return "skipped_section"
        if self.rules.author_line.match(heading) is not None and len(heading.split()) <= 8:
            return "byline"  # "By Jane Doe, Acme Tax Relief": the line goes, not its section
        reason = drop_reason(heading, names=self.names_re, rules=self.rules, heading=True)
        if reason is None and self.is_caption(heading, before_title=section.before_title):
            return "caption"
        return reason

    def is_caption(self, text: str, *, before_title: bool) -> bool:
        """A line describing a picture: "Photo: ..." anywhere, "A taxpayer reading ..." only
        before the title, and only when no verb of its own follows the subject."""
        folded = fold(text)
        if self.rules.caption_label.match(folded):
            return True
        subject = self.rules.caption_subject.match(folded)
        if not before_title or subject is None:
            return False
        clause = re.split(r",|;|\s-\s|\b(?:which|that|who|while|as)\b", folded[subject.end() :])[0]
        return _FINITE_VERB.search(clause) is None

    def is_bio(self, first_line: str) -> bool:
        """A paragraph opening with the author's name or a self-introduction is a bio."""
        return (
            self.authors_re.match(first_line) is not None
            or self.rules.self_introduction.search(first_line) is not None
        )

    def section(self, section: _Section) -> _CleanSection:
        """The kept sentences of a section, and its heading when it is kept and useful."""
        reason = self.heading_reason(section)
        if reason is not None:
            self.dropped[f"heading:{reason}"] += 1
        docs = list(self.nlp.pipe(line.text for line in section.lines))
        if reason in SECTION_REASONS or reason == "skipped_section":
            count = sum(len(list(doc.sents)) for doc in docs)
            self.total += count
            if count:
                self.dropped[f"section:{reason}"] += count
            return _CleanSection(heading=None, sentences=[])
        first_lines: dict[int, str] = {}
        for line in section.lines:
            first_lines.setdefault(line.block, line.text)
        bio_blocks = {block for block, first in first_lines.items() if self.is_bio(first)}
        kept: list[_Sentence] = []
        marketing = 0  # sentences dropped as marketing
        pitch = 0  # ... of them after the first kept sentence
        skip_items = False
        # Set when a list was lost (its lead-in or its items dropped): the next paragraph must
        # not point back at it ("All of these programs ...").
        list_lost = False
        for index, (line, doc) in enumerate(zip(section.lines, docs, strict=True)):
            skip_items = skip_items and line.item
            caption = self.is_caption(line.text, before_title=line.before_title)
            # The paragraph right after a lost list: drop its opening "These ..." sentence and
            # every later sentence of it that still says "these" or "those".
            orphans = list_lost and not line.item
            list_lost = list_lost and line.item
            sents = [part for s in doc.sents for part in _FORM_END.split(s.text.strip()) if part]
            for position, sentence in enumerate(sents):
                self.total += 1
                if position == 0:
                    orphans = (
                        orphans and self.rules.list_references.match(fold(sentence)) is not None
                    )
                if line.block in bio_blocks:
                    why: str | None = "bio"
                elif caption:
                    why = "caption"
                elif skip_items:
                    why = "marketing_list"
                elif orphans and (position == 0 or _POINTS_BACK.search(fold(sentence))):
                    why = "orphan_reference"
                else:
                    why = drop_reason(sentence, names=self.names_re, rules=self.rules)
                if why is None and fold(sentence) in self.seen:
                    why = "duplicate"
                if why is None and position == len(sents) - 1:
                    following = section.lines[index + 1 : index + 2]
                    if _dangles(
                        sentence,
                        line=line,
                        following=following,
                        docs=docs[index + 1 :],
                        rules=self.rules,
                    ):
                        why = "dangling_lead_in"
                if why is not None:
                    self.dropped[why] += 1
                    if why not in NOT_MARKETING:
                        pitch = pitch + 1 if kept else 0
                        marketing += 1
                    skip_items = skip_items or (why in SECTION_REASONS and sentence.endswith(":"))
                    list_lost = list_lost or sentence.endswith(":") or why == "marketing_list"
                    continue
                list_lost = list_lost and not line.item  # a kept item: the list survived
                pitch = 0
                self.seen.add(fold(sentence))
                kept.append(_Sentence(text=sentence, line=index, item=line.item))
        if kept and kept[-1].text.endswith(":"):
            kept.pop()
            self.dropped["dangling_lead_in"] += 1
        useful = (
            section.heading is not None
            and reason is None
            and fold_line(section.heading) not in self.rules.generic_headings
            and fold_line(section.heading) != fold_line(self.title)
        )
        # Gutted: the kept sentences only lead into a pitch that takes the rest of the section.
        gutted = pitch == marketing >= max(GUTTED_MIN_DROPS, GUTTED_RATIO * len(kept))
        return _CleanSection(
            heading=section.heading if useful else None, sentences=kept, gutted=gutted
        )


def _clean(
    text: str, *, title: str, rules: MarketingRules, site_names: Sequence[str] = ()
) -> _CleanDocument:
    """Split ``text`` into sections and keep the sentences that are not marketing."""
    cleaner = _Cleaner(text, title=title, rules=rules, site_names=site_names)
    split = split_sections(text, rules=rules)
    _mark_lines_before_title(split, title=title)
    sections = [cleaner.section(s) for s in split]
    return _CleanDocument(
        title=_safe_title(title, names=cleaner.names_re, rules=rules, sections=sections),
        sections=sections,
        dropped=cleaner.dropped,
        total=cleaner.total,
        names=cleaner.names,
    )


def _mark_lines_before_title(sections: Sequence[_Section], *, title: str) -> None:
    """Mark the headings and lines above the title line (where captions sit); with no title line
    in the text, only the opening line or heading."""
    wanted = fold_line(title)
    lines: list[_Line] = []
    headings: list[_Section] = []
    for section in sections:
        if wanted and section.heading is not None and fold_line(section.heading) == wanted:
            break
        if section.heading is not None:
            headings.append(section)
        found = next(
            (n for n, ln in enumerate(section.lines) if fold_line(ln.text) == wanted), None
        )
        if wanted and found is not None:
            lines.extend(section.lines[:found])
            break
        lines.extend(section.lines)
    else:  # no title line: only what opens the text
        first = sections[0] if sections else None
        headings = [first] if first is not None and first.heading is not None else []
        lines = first.lines[:1] if first is not None and first.heading is None else []
    for section in headings:
        section.before_title = True
    for line in lines:
        line.before_title = True


def _dangles(
    sentence: str,
    *,
    line: _Line,
    following: Sequence[_Line],
    docs: Sequence[Doc],
    rules: MarketingRules,
) -> bool:
    """A lead-in ("You may qualify for:") whose list was lost: several sentences follow it, or
    one that points back at the list ("All of these programs ...")."""
    if not sentence.endswith(":") or not following:
        return False
    after = following[0]
    if after.block == line.block or after.item:
        return False
    return len(list(docs[0].sents)) > 1 or rules.list_references.match(fold(after.text)) is not None


def _safe_title(
    title: str, *, names: re.Pattern[str], rules: MarketingRules, sections: Sequence[_CleanSection]
) -> str:
    """``title`` without emoji, or the first kept heading when the title itself is marketing."""
    title = tidy(title)
    if title and drop_reason(title, names=names, rules=rules, heading=True) is None:
        return title
    return next((s.heading for s in sections if s.heading), "Article")


def clean_text(text: str, *, rules: MarketingRules | None = None) -> str:
    """The kept headings and sentences of an article as plain text (for review and debugging)."""
    document = _clean(text, title="", rules=rules or load_rules())
    parts: list[str] = []
    for section in document.sections:
        body = _join(section.sentences)
        if section.heading and body:
            parts.append(f"{section.heading}\n{body}")
        elif body:
            parts.append(body)
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- passages


def _join(sentences: Sequence[_Sentence]) -> str:
    """Sentences of one line joined by spaces; lines by newlines, list items with a bullet."""
    out = ""
    previous: _Sentence | None = None
    for sentence in sentences:
        if previous is not None and previous.line == sentence.line:
            out += " " + sentence.text
        else:
            prefix = "• " if sentence.item else ""
            out += ("\n" if out else "") + prefix + sentence.text
        previous = sentence
    return out


def _split_long(sentence: _Sentence, *, width: int) -> list[_Sentence]:
    """Cut a sentence longer than ``width`` at word boundaries."""
    if len(sentence.text) <= width:
        return [sentence]
    return [
        _Sentence(text=chunk, line=sentence.line, item=sentence.item)
        for chunk in textwrap.wrap(sentence.text, width=width)
    ]


def _group(section: _CleanSection, *, max_chars: int, min_chars: int) -> Iterator[_Chunk]:
    """Pack a section's sentences into passages (heading, body) of at most ``max_chars``."""
    heading = (
        section.heading if section.heading and len(section.heading) <= max_chars // 3 else None
    )
    room = max_chars - (len(heading) + 1 if heading else 0)
    pieces = [piece for s in section.sentences for piece in _split_long(s, width=room)]
    # Aim for chunks of even size, so the last one is not a stub.
    target = len(_join(pieces)) / max(1, math.ceil(len(_join(pieces)) / room))
    chunk: list[_Sentence] = []
    for piece in pieces:
        size = len(_join(chunk))
        at_line_break = bool(chunk) and piece.line != chunk[-1].line
        if chunk and (len(_join([*chunk, piece])) > room or (size >= target and at_line_break)):
            yield from _render(chunk, heading=heading, min_chars=min_chars, gutted=section.gutted)
            chunk = []
        chunk.append(piece)
    if chunk:
        yield from _render(chunk, heading=heading, min_chars=min_chars, gutted=section.gutted)


def _render(
    chunk: Sequence[_Sentence], *, heading: str | None, min_chars: int, gutted: bool
) -> Iterator[_Chunk]:
    body = _join(chunk)
    if len(body) >= min_chars:
        yield _Chunk(heading=heading, body=body, gutted=gutted)


def _too_thin(
    chunk: _Chunk,
    *,
    codes: Sequence[str],
    forms: Sequence[str],
    subject: Sequence[str],
    min_words: int,
) -> bool:
    """A passage too short to teach anything, unless it names a notice code, a form or a figure.

    What is left of a gutted section (mostly marketing) is the set-up of a sales pitch ("IRS
    notices like CP523 are intimidating ..."): it must be twice as long, and the code the whole
    article is about does not save it.
    """
    words = len(_WORD.findall(chunk.body))
    if forms or _FIGURE.search(chunk.body):
        return False
    if chunk.gutted:
        return words < 2 * min_words and not set(codes) - set(subject)
    return words < min_words and not codes


def _subject_codes(title_codes: Sequence[str], mentions: Sequence[Sequence[str]]) -> list[str]:
    """Codes a whole article is about: those in its title, and one that dominates its text."""
    subject = list(dict.fromkeys(title_codes))
    counts = Counter(code for codes in mentions for code in codes)
    total = sum(counts.values())
    if counts:
        code, count = counts.most_common(1)[0]
        if count >= SUBJECT_MIN_MENTIONS and count >= SUBJECT_MIN_SHARE * total:
            subject.append(code)
    return list(dict.fromkeys(subject))


def _tags(text: str, *, recognizer: Recognizer) -> tuple[list[str], list[str]]:
    """Every notice-code mention (with repeats) and the distinct forms ``text`` names."""
    mentions = recognizer.recognize(text)
    codes = [str(m.value) for m in mentions if m.label == "notice_code"]
    forms = [str(m.value) for m in mentions if m.label == "form"]
    return codes, list(dict.fromkeys(forms))


def _source_name(source: str) -> str:
    """The last part of a path or URL ("article.md" for "https://x.test/blog/article.md")."""
    trimmed = re.sub(r"[?#].*$", "", source).rstrip("/\\")
    return re.split(r"[/\\]", trimmed)[-1] or trimmed or "article"


def passages_from_text(
    text: str,
    *,
    source: str,
    title: str,
    recognizer: Recognizer,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
    doc_id: str | None = None,
    entry: str | None = None,
    rules: MarketingRules | None = None,
) -> list[Passage]:
    """Clean an article and cut it into tagged passages of at most ``max_chars`` characters.

    ``doc_id`` prefixes the passage ids (default: the stem of ``source``); ``entry`` defaults to
    the file name in ``source``.
    """
    if max_chars < 2 * min_chars:
        raise ValueError(f"max_chars ({max_chars}) must be at least twice min_chars ({min_chars})")
    return _passages(
        text,
        source=source,
        title=title,
        recognizer=recognizer,
        max_chars=max_chars,
        min_chars=min_chars,
        doc_id=doc_id,
        entry=entry,
        rules=rules or load_rules(),
    )


def _passages(
    text: str,
    *,
    source: str,
    title: str,
    recognizer: Recognizer,
    max_chars: int,
    min_chars: int,
    doc_id: str | None,
    entry: str | None,
    rules: MarketingRules,
    site_names: Sequence[str] = (),
) -> list[Passage]:
    """:func:`passages_from_text`, also told the names the page gives itself."""
    entry = entry or _source_name(source)
    doc_id = doc_id or Path(entry).stem or entry
    document = _clean(text, title=title, rules=rules, site_names=site_names)
    chunks = [
        chunk
        for section in document.sections
        for chunk in _group(section, max_chars=max_chars, min_chars=min_chars)
    ]
    tags = [_tags(chunk.text, recognizer=recognizer) for chunk in chunks]
    title_codes, _ = _tags(document.title, recognizer=recognizer)
    subject = _subject_codes(title_codes, [codes for codes, _ in tags])
    thin = [
        _too_thin(
            chunk, codes=codes, forms=forms, subject=subject, min_words=rules.min_passage_words
        )
        for chunk, (codes, forms) in zip(chunks, tags, strict=True)
    ]
    texts = [chunk.text for chunk, drop in zip(chunks, thin, strict=True) if not drop]
    tags = [tag for tag, drop in zip(tags, thin, strict=True) if not drop]
    passages = [
        Passage(
            id=f"{doc_id}#{n}",
            text=chunk,
            title=document.title,
            source=source,
            kind="article",
            entry=entry,
            notice_codes=tuple(dict.fromkeys([*subject, *codes])),
            forms=tuple(forms),
        )
        for n, (chunk, (codes, forms)) in enumerate(zip(texts, tags, strict=True))
    ]
    kept = document.total - sum(document.dropped.values())
    logger.debug(
        "%s: kept %d of %d sentences in %d passages (%d thin ones dropped); dropped %s; names %s",
        source,
        kept,
        document.total,
        len(passages),
        sum(thin),
        ", ".join(f"{reason}={count}" for reason, count in sorted(document.dropped.items()))
        or "none",
        ", ".join(document.names) or "none",
    )
    return passages


def _documents(path: Path) -> list[Path]:
    """The supported files under ``path``, sorted, skipping hidden files and folders."""
    return sorted(
        (
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in SUPPORTED_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ),
        key=lambda p: p.relative_to(path).as_posix(),
    )


def ingest_path(path: Path, *, recognizer: Recognizer) -> list[Passage]:
    """Passages from one article file, or from every supported file under a folder."""
    if path.is_dir():
        files, root = _documents(path), path
    elif path.exists():
        files, root = [path], path.parent
    else:
        raise IngestError(f"no such file or folder: {path}")
    passages: list[Passage] = []
    used: set[str] = set()
    for file in files:
        relative = file.relative_to(root)
        doc_id = relative.with_suffix("").as_posix()
        if doc_id in used:
            doc_id = relative.as_posix()
        used.add(doc_id)
        document = _read_document(file)
        passages.extend(
            _passages(
                document.text,
                source=str(file),
                title=document.title,
                recognizer=recognizer,
                max_chars=DEFAULT_MAX_CHARS,
                min_chars=DEFAULT_MIN_CHARS,
                doc_id=doc_id,
                entry=file.name,
                rules=load_rules(),
                site_names=document.site_names,
            )
        )
    logger.info("ingested %d passages from %d documents under %s", len(passages), len(files), path)
    return passages
