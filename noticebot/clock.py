"""Today's date where the firm is: relative dates ("yesterday") and days left count from it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from noticebot.settings import get_settings


def today_in(timezone: str) -> dt.date:
    """The current date in ``timezone`` (an IANA name such as ``America/New_York``)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"FIRM_TIMEZONE {timezone!r} is not a known time zone") from exc
    return dt.datetime.now(zone).date()


def utc_now() -> dt.datetime:
    """The current time, timezone-aware (UTC): what stamps and schedules are kept in."""
    return dt.datetime.now(dt.timezone.utc)


def firm_today() -> dt.date:
    """The current date in the firm profile's time zone."""
    return today_in(get_settings().firm.timezone)
