"""The documentation: every relative link leads somewhere, the README stays short, and nothing
points to the first specification, kept outside the repository (docs/contract.md replaced it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
README = PROJECT_ROOT / "README.md"
README_MAX_LINES = 170
PAGES = (README, *sorted((PROJECT_ROOT / "docs").glob("*.md")))

# [text](target) and ![alt](target), with an optional "title".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# http:, https:, mailto:... are not checked (no network in the tests).
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# The first specification lived outside the repository, on one machine; docs/contract.md took
# its place. Written in two parts so this file does not name them itself.
OUTSIDE_REFERENCES = ("SPEC" + ".md", "/work/" + "shared")
# Not the repository's own files: git's, the environments, and git-ignored output.
SKIPPED_DIRS = frozenset({
    ".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache",
    ".ruff_cache", ".rasa", "models", "var", "results", "test-artifacts", "build", "dist",
})


def prose(markdown: str) -> str:
    """The text without code blocks and code spans (a link written there is an example)."""
    return CODE_SPAN.sub("", FENCE.sub("", markdown))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation (backticks too) dropped,
    spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings (repeated headings get -1, -2...)."""
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base, n = slug(heading), 0
        name = base
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


def relative_links(page: Path) -> Iterator[str]:
    """Every link of ``page`` that is not a URL with a scheme."""
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if not SCHEME.match(target):
            yield target


def repository_files() -> Iterator[Path]:
    """Every file of the working tree but those under ``SKIPPED_DIRS`` (and egg-info)."""
    for folder, dirs, files in os.walk(PROJECT_ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        for name in files:
            yield Path(folder) / name


def test_the_pages_are_found() -> None:
    names = {page.relative_to(PROJECT_ROOT).as_posix() for page in PAGES}
    assert {"README.md", "docs/contract.md", "docs/architecture.md", "docs/testing.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        path_part, _, anchor = target.partition("#")
        file = (page.parent / path_part).resolve() if path_part else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines (at most {README_MAX_LINES}): move details to docs/")


def test_nothing_points_outside_the_repository() -> None:
    needles = [needle.encode() for needle in OUTSIDE_REFERENCES]
    found = []
    for file in repository_files():
        try:
            data = file.read_bytes()
        except OSError:
            continue
        for needle in needles:
            if needle in data:
                line = data[: data.index(needle)].count(b"\n") + 1
                found.append(f"{file.relative_to(PROJECT_ROOT)}:{line}: {needle.decode()}")
    assert not found, "use docs/contract.md instead: " + ", ".join(found)
