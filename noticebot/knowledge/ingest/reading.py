"""Reading an article: plain text, Markdown or HTML in; its text, title and the names the
page gives its site out. HTML loses its page furniture (navigation, sidebars, share
buttons) before its blocks become lines."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import PreformattedString
from markdown_it import MarkdownIt

from noticebot.knowledge.ingest.rules import fold_line, load_rules
from noticebot.knowledge.ingest.structure import is_heading_like

# The package's logger (the name it had as one module).
logger = logging.getLogger("noticebot.knowledge.ingest")

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)

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


class IngestError(ValueError):
    """A document that cannot be read: unsupported type, missing or unreadable file."""


@dataclass(frozen=True)
class Document:
    """An article as read from its file: text, title and the site's own names for itself."""

    text: str
    title: str
    site_names: tuple[str, ...] = ()


def read_document(path: Path) -> tuple[str, str]:
    """Return the plain text and the title of a ``.txt``, Markdown or HTML file."""
    document = load_document(path)
    return document.text, document.title


def load_document(path: Path) -> Document:
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
    return Document(
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
        if not is_heading_like(line):
            break
        opening.append(line)
    if opening:
        return max(opening, key=len)
    return next((line for line in lines if is_heading_like(line)), None)

