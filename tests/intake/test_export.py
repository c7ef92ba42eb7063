"""Exports: JSON with stable keys, CSV that survives odd names and spreadsheet formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from noticebot.intake.cases import Case, CaseDraft, NoticeRef
from noticebot.intake.export import FIELDS, case_to_dict, safe_cell, to_csv, to_json

NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.timezone.utc)
MakeDraft = Callable[..., CaseDraft]


@pytest.fixture
def make_case(make_draft: MakeDraft) -> Callable[..., Case]:
    """A stored-looking case from a draft with the given changes."""

    def build(**changes: Any) -> Case:
        return Case.from_draft(make_draft(**changes), id="C7K2M9QX4TB", created_at=NOW,
                               updated_at=NOW, status="new", summary="CP504 ...",
                               notified_at=None)

    return build


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_json_is_a_list_of_cases_with_iso_dates_and_string_amounts(
    make_case: Callable[..., Case],
) -> None:
    case = make_case(notices=(NoticeRef("CP504", dt.date(2026, 11, 2), dt.date(2026, 11, 22)),
                              NoticeRef("LT11", None, None)))
    [payload] = json.loads(to_json([case]))
    assert list(payload) == list(FIELDS)
    assert payload["id"] == "C7K2M9QX4TB"
    assert payload["created_at"] == "2026-11-19T15:00:00+00:00"
    assert payload["response_deadline"] == "2026-11-22"
    assert payload["amount"] == "12400"
    assert payload["notified_at"] is None
    assert payload["agrees_with_amount"] is True
    assert payload["reasons"] == ["agrees with the amount", "cannot pay in full"]
    assert payload["notices"] == [
        {"code": "CP504", "notice_date": "2026-11-02", "response_deadline": "2026-11-22"},
        {"code": "LT11", "notice_date": None, "response_deadline": None},
    ]
    assert json.loads(to_json([])) == []
    assert case_to_dict(case) == payload


def test_json_keeps_non_ascii_names_readable(make_case: Callable[..., Case]) -> None:
    assert '"contact_name": "Zoë Nguyễn"' in to_json([make_case(contact_name="Zoë Nguyễn")])


def test_csv_has_a_header_and_one_row_per_case(make_case: Callable[..., Case]) -> None:
    cases = [
        make_case(notices=(NoticeRef("CP504", dt.date(2026, 11, 2), dt.date(2026, 11, 22)),
                           NoticeRef("LT11", None, dt.date(2026, 12, 1)),
                           NoticeRef("CP14", dt.date(2026, 10, 1), None))),
        make_case(amount=None, agrees_with_amount=None, contact_time=None, route=None),
    ]
    header, *_ = csv.reader(io.StringIO(to_csv(cases)))
    assert tuple(header) == FIELDS
    first, second = rows(to_csv(cases))
    assert first["notices"] == "CP504 2026-11-02 -> 2026-11-22; LT11 -> 2026-12-01; CP14 2026-10-01"
    assert first["amount"] == "12400"
    assert first["agrees_with_amount"] == "yes" and first["can_pay_in_full"] == "no"
    assert first["reasons"] == "agrees with the amount; cannot pay in full"
    assert first["created_at"] == "2026-11-19T15:00:00+00:00"
    assert (second["amount"], second["agrees_with_amount"], second["route"]) == ("", "", "")
    assert to_csv([]).strip() == ",".join(FIELDS)


@pytest.mark.parametrize("name", [
    'Doe, Jane', 'Jane "JJ" Doe', "Jane\nDoe", "Jane\r\nDoe", 'O\'Brien, "Jo"\nJr.',
])
def test_awkward_names_round_trip_through_csv(make_case: Callable[..., Case], name: str) -> None:
    [row] = rows(to_csv([make_case(contact_name=name)]))
    assert row["contact_name"] == name


@pytest.mark.parametrize(("name", "exported"), [
    ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("Jane = Doe", "Jane = Doe"),
])
def test_csv_cells_cannot_run_as_spreadsheet_formulas(
    make_case: Callable[..., Case], name: str, exported: str
) -> None:
    [row] = rows(to_csv([make_case(contact_name=name, contact_time="=cmd()")]))
    assert row["contact_name"] == exported
    assert row["contact_time"] == "'=cmd()"


def test_phone_numbers_are_quoted_so_spreadsheets_keep_the_plus(
    make_case: Callable[..., Case],
) -> None:
    [row] = rows(to_csv([make_case()]))
    assert row["contact_phone"] == "'+12025550143"
    assert safe_cell("") == ""
    assert Decimal(rows(to_csv([make_case(amount=Decimal("0.5"))]))[0]["amount"]) == Decimal("0.5")
