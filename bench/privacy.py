"""Redaction timing: how long ``redact`` takes on messages of the sizes people send.

Run with ``.venv/bin/python bench/privacy.py``. Prints, per message size and shape (ordinary
text, numbers everywhere, Unicode noise, digits typed one by one), the median and p99 wall time
and the median CPU time of this process (steadier on a busy machine); asserts nothing.
Redaction runs on every incoming message and log line, so a 2,000-character message should take
well under 5 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from noticebot.privacy import redact

ROUNDS = 300
TARGET_MS = 5.0

ORDINARY = (
    "Hi, I got a CP504 dated 11/09/2026 saying I owe $12,480.55 for 2019 and 2020. "
    "I called 1-800-829-1040 and waited two hours. My account balance shows 12480 and "
    "they want 250 a month. Form 9465 or form 433-F? "
)
NUMBERS = (
    "my ssn is 923-45-6781, routing 050497469 and 4409118823, card 4111 1111 1111 1111, "
    "unfiled years 2017 2018 2019 2020, certified mail 9407 1118 9876 5432 1012 34, "
    "call (202) 555-0143, zip CA 900123456, IP PIN 483920. "
)
NOISY = (
    "my ssn is ９２３－４５－６７８１ and my card 4111\u00a01111\u00a01111\u00a01111, "
    "social nine two three four five six seven eight one, EIN 98\u20137654321 "
    "\u200bthanks \u2014 I\u2019m worried. "
)
SPACED = "2 3 6 6 2 4 5 8 8 1 9 0 2 7 4 5 1 2 3 4 5 6 7 8 9 0 "


def _sized(sample: str, size: int) -> str:
    return (sample * (size // len(sample) + 1))[:size]


def _time_ms(function: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each call."""
    wall, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    """Measure and print."""
    redact("warm up 923-45-6781")
    print(f"redact(): {ROUNDS} rounds per row, milliseconds (target: under {TARGET_MS} ms "
          "at 2,000 characters)")
    print(f"{'message':<10} {'chars':>6} {'median':>8} {'p99':>8} {'cpu':>8}")
    for name, sample in (("ordinary", ORDINARY), ("numbers", NUMBERS), ("unicode", NOISY),
                         ("spaced", SPACED)):
        for size in (200, 2000, 10000):
            text = _sized(sample, size)
            wall, cpu = _time_ms(lambda text=text: redact(text))  # type: ignore[misc]
            wall.sort()
            p99 = wall[min(len(wall) - 1, int(0.99 * len(wall)))]
            print(
                f"{name:<10} {size:>6} {statistics.median(wall):>8.3f} {p99:>8.3f}"
                f" {statistics.median(cpu):>8.3f}"
            )


if __name__ == "__main__":
    main()
