"""The shape of an article: sections under headings, lines (paragraphs, list items, table
cells), the sentences kept of them and the passages cut from those."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from noticebot.knowledge.ingest.patterns import EMOJI
from noticebot.knowledge.ingest.rules import MarketingRules

# Longest line still taken for a heading.
HEADING_MAX_WORDS = 16
HEADING_MAX_CHARS = 120


@dataclass
class Line:
    """One line of an article: a paragraph, a list item or a table cell."""

    text: str
    block: int
    item: bool = False
    before_title: bool = False


@dataclass
class Section:
    """A heading (or none) and the lines under it."""

    heading: str | None
    lines: list[Line] = field(default_factory=list)
    before_title: bool = False  # the heading sits above the title line


@dataclass
class Sentence:
    """A kept sentence and where it sits."""

    text: str
    line: int
    item: bool


@dataclass
class CleanSection:
    """What survives of a section: its heading (when kept and useful) and its sentences."""

    heading: str | None
    sentences: list[Sentence]
    gutted: bool = False  # most of its sentences were marketing


@dataclass(frozen=True)
class Chunk:
    """The heading and body of one passage, and whether its section was gutted."""

    heading: str | None
    body: str
    gutted: bool

    @property
    def text(self) -> str:
        """The passage text: the heading on its own line, then the body."""
        return f"{self.heading}\n{self.body}" if self.heading else self.body


@dataclass
class CleanDocument:
    """The result of cleaning one article."""

    title: str
    sections: list[CleanSection]
    dropped: Counter[str]
    total: int
    names: tuple[str, ...]


def is_heading_like(line: str) -> bool:
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
    text = EMOJI.sub("", text)
    text = re.sub(r"(?<=\d)(?=[A-Z][a-z]{2,})", ": ", text)
    text = re.sub(r"(?<=[a-z)]{2}[.!?])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"…(?=[A-Z])", "… ", text)
    text = re.sub(r"([.!?])[ \t]+(\([^().!?\n]{1,40}\))(?=[ \t]|$)", r" \2\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _lines_of(block: str, *, index: int, rules: MarketingRules) -> list[Line]:
    """Split a block into lines, marking list items and joining hard-wrapped lines."""
    lines: list[Line] = []
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
        lines.append(Line(text=text, block=index, item=marker is not None))
    wrapped = [line for line in lines[:-1] if len(line.text) >= 50 and line.text[-1] not in ".!?:;"]
    if len(lines) >= 3 and not any(line.item for line in lines) and len(wrapped) > len(lines) / 2:
        return [Line(text=" ".join(line.text for line in lines), block=index)]
    return lines


def split_sections(text: str, *, rules: MarketingRules) -> list[Section]:
    """Split plain text into sections: a heading-like line opens one, blank lines part blocks."""
    sections = [Section(heading=None)]
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    for index, block in enumerate(re.split(r"\n[ \t]*\n", normalized)):
        lines = _lines_of(block, index=index, rules=rules)
        if not lines:
            continue
        first = lines[0]
        opens_section = not first.item and is_heading_like(first.text)
        if len(lines) > 1:
            second = lines[1]
            opens_section = opens_section and not second.item and not is_heading_like(second.text)
        if opens_section:
            sections.append(Section(heading=first.text))
            lines = lines[1:]
        sections[-1].lines.extend(lines)
    return [s for s in sections if s.heading is not None or s.lines]


def join_sentences(sentences: Sequence[Sentence]) -> str:
    """Sentences of one line joined by spaces; lines by newlines, list items with a bullet."""
    out = ""
    previous: Sentence | None = None
    for sentence in sentences:
        if previous is not None and previous.line == sentence.line:
            out += " " + sentence.text
        else:
            prefix = "• " if sentence.item else ""
            out += ("\n" if out else "") + prefix + sentence.text
        previous = sentence
    return out

