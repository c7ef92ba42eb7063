"""The domain package stays apart from the programs and adapters beside it: nothing in
``noticebot/`` outside ``apps/`` and ``adapters/`` imports from them."""

from __future__ import annotations

import ast
from pathlib import Path

from noticebot.settings import PROJECT_ROOT

DOMAIN = PROJECT_ROOT / "noticebot"
APART = ("noticebot.apps", "noticebot.adapters")


def imported_modules(source: Path) -> set[str]:
    """Every module a Python file imports (``from x import y`` counts ``x`` and ``x.y``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_domain_imports_neither_the_apps_nor_the_adapters() -> None:
    offending = []
    for source in sorted(DOMAIN.rglob("*.py")):
        if source.relative_to(DOMAIN).parts[0] in ("apps", "adapters"):
            continue
        for module in sorted(imported_modules(source)):
            if module.startswith(APART):
                offending.append(f"{source.relative_to(PROJECT_ROOT)}: {module}")
    assert not offending, offending


def test_the_apps_and_adapters_are_found() -> None:
    assert (DOMAIN / "apps" / "cli.py").is_file() and (DOMAIN / "adapters" / "notify.py").is_file()
