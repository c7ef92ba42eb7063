"""The clock counts days where the firm is, not where the server is."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.clock import today_in


def test_dates_differ_across_the_date_line() -> None:
    assert (today_in("Pacific/Kiritimati") - today_in("Pacific/Pago_Pago")).days in (1, 2)


def test_today_is_near_the_utc_date() -> None:
    utc = dt.datetime.now(dt.timezone.utc).date()
    assert abs((today_in("America/New_York") - utc).days) <= 1


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="FIRM_TIMEZONE"):
        today_in("Mars/Olympus_Mons")
