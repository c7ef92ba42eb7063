"""The check digits that tell a number's kind: Luhn (payment cards), ABA (routing numbers) and
the USPS tracking number's."""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check used by payment cards."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def aba_valid(digits: str) -> bool:
    """Whether nine digits pass the ABA routing-number checksum."""
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def usps_check_digit_valid(digits: str) -> bool:
    """Whether a USPS tracking number's last digit checks (mod 10, weights 3 and 1 from the
    right). Asked only of one found inside a longer run, where the start alone is too weak."""
    total = sum(int(d) * (3 if index % 2 == 0 else 1) for index, d in enumerate(digits[-2::-1]))
    return (10 - total % 10) % 10 == int(digits[-1])
