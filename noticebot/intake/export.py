"""Cases as JSON or CSV for the firm's own tools (``cases export``).

Both use the same fields in the same order (``FIELDS``). CSV cells that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a leading
single quote, so ``+12025550143`` is exported as ``'+12025550143``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import fields
from decimal import Decimal
from typing import Any

from noticebot.intake.cases import Case, CaseDraft, NoticeRef, notice_to_dict

# The record's own fields, then the draft's in their declared order (``CaseDraft``), then when
# the staff were told and the summary.
FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "status",
    *(item.name for item in fields(CaseDraft)),
    "notified_at",
    "summary",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
CSV_BOOLEANS = {True: "yes", False: "no", None: ""}


def _scalar(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def case_to_dict(case: Case) -> dict[str, Any]:
    """One case as JSON-ready values, keys in ``FIELDS`` order (dates ISO, amount a string)."""
    row: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(case, name)
        if name == "notices":
            row[name] = [notice_to_dict(n) for n in value]
        elif name == "reasons":
            row[name] = list(value)
        else:
            row[name] = _scalar(value)
    return row


def to_json(cases: Iterable[Case]) -> str:
    """A JSON list of cases (see ``case_to_dict``)."""
    return json.dumps([case_to_dict(c) for c in cases], indent=2, ensure_ascii=False) + "\n"


def notice_cell(notice: NoticeRef) -> str:
    """"CP504 2026-11-02 -> 2026-11-22"; unknown dates are left out."""
    text = notice.code
    if notice.notice_date:
        text += f" {notice.notice_date.isoformat()}"
    if notice.response_deadline:
        text += f" -> {notice.response_deadline.isoformat()}"
    return text


def safe_cell(value: str) -> str:
    """The cell with a leading single quote when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(case: Case, name: str) -> str:
    value = getattr(case, name)
    if name == "notices":
        text = LIST_SEPARATOR.join(notice_cell(n) for n in value)
    elif name == "reasons":
        text = LIST_SEPARATOR.join(value)
    elif value is None or isinstance(value, bool):
        text = CSV_BOOLEANS[value]
    else:
        text = str(_scalar(value))
    return safe_cell(text)


def to_csv(cases: Iterable[Case]) -> str:
    """A header row, then one row per case (notices as "CP504 2026-11-02 -> 2026-11-22; ...")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for case in cases:
        writer.writerow([_csv_cell(case, name) for name in FIELDS])
    return buffer.getvalue()
