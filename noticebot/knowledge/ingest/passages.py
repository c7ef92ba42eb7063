"""Passages: a cleaned article cut into passages of a few hundred characters, each tagged
with the notice codes and forms it names plus the article's own subject; and the entry
points that ingest one text, one file or a folder of them. (The :class:`Passage` itself is
``noticebot.knowledge.passages``.)"""

from __future__ import annotations

import logging
import math
import re
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from noticebot.knowledge.ingest.drops import clean
from noticebot.knowledge.ingest.patterns import FIGURE, WORD
from noticebot.knowledge.ingest.reading import (
    SUPPORTED_SUFFIXES,
    IngestError,
    load_document,
)
from noticebot.knowledge.ingest.rules import MarketingRules, load_rules
from noticebot.knowledge.ingest.structure import Chunk, CleanSection, Sentence, join_sentences
from noticebot.knowledge.passages import Passage

if TYPE_CHECKING:
    from noticebot.nlp import Recognizer

# The package's logger (the name it had as one module).
logger = logging.getLogger("noticebot.knowledge.ingest")

# A code is the subject of a whole article when it has at least this many mentions...
SUBJECT_MIN_MENTIONS = 3
# ...and at least this share of all notice-code mentions.
SUBJECT_MIN_SHARE = 0.6
# Passage size bounds, in characters.
DEFAULT_MAX_CHARS = 700
DEFAULT_MIN_CHARS = 60


def _split_long(sentence: Sentence, *, width: int) -> list[Sentence]:
    """Cut a sentence longer than ``width`` at word boundaries."""
    if len(sentence.text) <= width:
        return [sentence]
    return [
        Sentence(text=chunk, line=sentence.line, item=sentence.item)
        for chunk in textwrap.wrap(sentence.text, width=width)
    ]


def _group(section: CleanSection, *, max_chars: int, min_chars: int) -> Iterator[Chunk]:
    """Pack a section's sentences into passages (heading, body) of at most ``max_chars``."""
    heading = (
        section.heading if section.heading and len(section.heading) <= max_chars // 3 else None
    )
    room = max_chars - (len(heading) + 1 if heading else 0)
    pieces = [piece for s in section.sentences for piece in _split_long(s, width=room)]
    # Aim for chunks of even size, so the last one is not a stub.
    target = len(join_sentences(pieces)) / max(1, math.ceil(len(join_sentences(pieces)) / room))
    chunk: list[Sentence] = []
    for piece in pieces:
        size = len(join_sentences(chunk))
        at_line_break = bool(chunk) and piece.line != chunk[-1].line
        if chunk and (
            len(join_sentences([*chunk, piece])) > room or (size >= target and at_line_break)
        ):
            yield from _render(chunk, heading=heading, min_chars=min_chars, gutted=section.gutted)
            chunk = []
        chunk.append(piece)
    if chunk:
        yield from _render(chunk, heading=heading, min_chars=min_chars, gutted=section.gutted)


def _render(
    chunk: Sequence[Sentence], *, heading: str | None, min_chars: int, gutted: bool
) -> Iterator[Chunk]:
    body = join_sentences(chunk)
    if len(body) >= min_chars:
        yield Chunk(heading=heading, body=body, gutted=gutted)


def _too_thin(
    chunk: Chunk,
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
    words = len(WORD.findall(chunk.body))
    if forms or FIGURE.search(chunk.body):
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
    document = clean(text, title=title, rules=rules, site_names=site_names)
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
        document = load_document(file)
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
