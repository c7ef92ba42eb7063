"""A number as the detectors see it: a run of digit groups (or a part of one) with its shape,
its anchor and its look, and the whole run with where it may be cut."""

from __future__ import annotations

import re
from dataclasses import dataclass

from noticebot.privacy.keywords import Anchor
from noticebot.privacy.limits import TRACKING_DIGITS, TRACKING_PREFIXES
from noticebot.privacy.looks import harmless_look

# Digit groups joined by 1-3 spaces (a line break is one), 1-3 dashes (with spaces around them
# or not), one dot or one slash (11/09/2026 then reads as a date, 236/62/4588 as an SSN).
_SEPARATOR = r"(?:\s{1,3}(?:-{1,3}\s{0,3})?|-{1,3}\s{0,3}|[./](?=[0-9]))"
RUN_RE = re.compile(rf"[0-9]+(?:{_SEPARATOR}[0-9]+)*")
GROUP_RE = re.compile(r"[0-9]+")
DIGIT_RE = re.compile(r"[0-9]")


class Number:
    """A run of digit groups, or a part of one; positions in the normalized text."""

    __slots__ = ("anchor", "digits", "end", "groups", "look", "part", "shape", "start")

    def __init__(
        self,
        start: int,
        end: int,
        groups: tuple[str, ...],
        anchor: Anchor | None,
        part: str = "",
    ) -> None:
        self.start = start
        self.end = end
        self.groups = groups
        self.digits = "".join(groups)  # without separators
        self.shape = tuple(len(group) for group in groups)  # (3, 2, 4) for 236-62-4588
        self.anchor = anchor
        self.look = harmless_look(groups, self.digits, self.shape)
        # "" for a whole run; "part" for a part of one where nothing was found whole; "rest"
        # for a part of one holding a harmless stretch ("091-457-060 17796-3136")
        self.part = part


def is_tracking(number: Number | tuple[str, ...], anchor: Anchor | None) -> bool:
    """A USPS certified-mail or tracking number (LT11 and Letter 1058 are sent that way): 20 to
    34 digits in one block or in fours, starting as USPS numbers do or after a tracking word."""
    groups = number.groups if isinstance(number, Number) else number
    digits = "".join(groups)
    after_reference = anchor is not None and anchor.kind == "ref"
    in_fours = all(len(group) == 4 for group in groups[:-1]) and len(groups[-1]) <= 4
    return (
        len(digits) in TRACKING_DIGITS
        and (len(groups) == 1 or in_fours)
        and (digits.startswith(TRACKING_PREFIXES[len(digits)]) or after_reference)
    )


@dataclass(frozen=True)
class Run:
    """A whole run of digit groups, with the positions of its groups."""

    number: Number
    spans: tuple[tuple[int, int], ...]
    cuts: tuple[int, ...]  # where it may be cut in parts (none when it looks harmless)
    harmless: frozenset[int]  # groups no part may take: a harmless stretch, a glued code
    whole: bool  # whether it is looked at whole (not when it holds a harmless stretch)
