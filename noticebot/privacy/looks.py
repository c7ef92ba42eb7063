"""The harmless numbers people type, recognized by how they look: years, dates, time stamps,
ZIP+4, document locator numbers, phone numbers, and digits typed one by one."""

from __future__ import annotations

from noticebot.privacy.limits import DATE_YEARS, YEARS


def is_year(group: str) -> bool:
    """Whether a four-digit group reads as a tax year (1990-2039)."""
    return len(group) == 4 and int(group) in YEARS


def _is_month_day(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def is_date(groups: tuple[str, ...]) -> bool:
    """11-09-2026, 11/09/2026, 11 09 2026, 2026-11-09, 20261109, 11092026."""
    if len(groups) == 1 and len(groups[0]) == 8:
        d = groups[0]
        return (int(d[:4]) in DATE_YEARS and _is_month_day(d[4:6], d[6:])) or (
            int(d[4:]) in DATE_YEARS
            and (_is_month_day(d[:2], d[2:4]) or _is_month_day(d[2:4], d[:2]))
        )
    if len(groups) != 3:
        return False
    first, second, third = groups
    if len(first) == 4:
        return int(first) in DATE_YEARS and len(second) <= 2 and _is_month_day(second, third)
    if len(first) > 2 or len(second) > 2:
        return False
    if len(third) in (2, 4) and (len(third) == 2 or int(third) in DATE_YEARS):
        return _is_month_day(first, second) or _is_month_day(second, first)
    return False


def _is_time(digits: str) -> bool:
    """HHMMSS."""
    return int(digits[:2]) < 24 and int(digits[2:4]) < 60 and int(digits[4:]) < 60


def _is_nanp(digits: str) -> bool:
    """A North American phone number's ten digits: area code and exchange not starting 0/1."""
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"


# How people group a phone number: 2025550143, 202 555 0143, 202 5550143, 1 202 555 0143.
_PHONE_SHAPES = ((10,), (3, 3, 4), (3, 7), (11,), (1, 3, 3, 4), (1, 10))


def harmless_look(groups: tuple[str, ...], digits: str, shape: tuple[int, ...]) -> str | None:
    """What a number looks like when it is one of the harmless numbers people type."""
    if len(groups) > 1 and all(is_year(group) for group in groups):
        return "years"  # unfiled years 2017 2018 2019 2020; 2017-2020
    if is_date(groups):
        return "date"
    if shape == (5, 4):
        return "zip"  # 90012-3456, 90012 3456
    if shape == (5, 3, 5, 1):
        return "dln"  # an IRS document locator number: 28221-123-45678-2
    if shape == (8, 6) and is_date(groups[:1]) and _is_time(groups[1]):
        return "date"  # a time stamp: 20261204-071236 (Rasa's model files)
    if shape in _PHONE_SHAPES and _is_nanp(digits[-10:]) and digits[:-10] in ("", "1"):
        return "phone"  # 202-555-0143, 2025550143, 1 202 555 0143
    if groups[0] == "011" and 11 <= len(digits) <= 17:
        return "phone"  # dialled abroad: 011 44 20 7946 0958
    return None


def may_start_harmless(group: str) -> bool:
    """Whether a group could be part of a harmless stretch other than a date with slashes: a
    year, a ZIP or the start of a DLN (5 digits), an 8-digit date, a tracking number's start."""
    size = len(group)
    return (
        (size == 4 and int(group) in DATE_YEARS)
        or size in (5, 8)
        or size >= 20
        or group.startswith(("70", "71", "92", "93", "94", "95", "42"))
    )


def digit_by_digit(groups: tuple[str, ...]) -> bool:
    """Nine or more digits typed one by one: 2 3 6 6 2 4 5 8 8."""
    return len(groups) >= 9 and all(len(group) == 1 for group in groups)
