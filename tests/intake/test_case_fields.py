"""A case's fields are declared once (``CaseDraft`` and ``Case``): the table, the export and
``cases show`` follow that list, so a field added there and nowhere else fails here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields

from noticebot.apps.cases import _show_lines
from noticebot.intake.cases import Case, CaseDraft
from noticebot.intake.export import FIELDS
from noticebot.intake.models import CaseRow
from noticebot.intake.repository import CaseRepository

CASE_FIELDS = [item.name for item in fields(Case)]


def test_the_table_has_a_column_for_every_field_and_no_other() -> None:
    assert sorted(c.name for c in CaseRow.__table__.columns) == sorted(CASE_FIELDS)


def test_the_export_gives_every_field_in_the_declared_order() -> None:
    draft = [item.name for item in fields(CaseDraft)]
    assert sorted(FIELDS) == sorted(CASE_FIELDS)
    assert [name for name in FIELDS if name in draft] == draft


def test_cases_show_has_a_line_for_every_field(
    repository: CaseRepository, make_draft: Callable[..., CaseDraft]
) -> None:
    case, _ = repository.save(make_draft())
    assert len(_show_lines(case, dt.timezone.utc, dt.date(2026, 11, 19))) == len(CASE_FIELDS)


def test_a_saved_case_reads_back_field_for_field(
    repository: CaseRepository, make_draft: Callable[..., CaseDraft]
) -> None:
    draft = make_draft()
    case, _ = repository.save(draft)
    assert repository.get(case.id).draft == case.draft
    for item in fields(CaseDraft):
        if item.name != "contact_name":  # kept stripped
            assert getattr(case, item.name) == getattr(draft, item.name), item.name
