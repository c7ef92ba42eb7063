"""What the command-line tools share: one-line usage errors and argument types."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import NoReturn


class UsageError(Exception):
    """Input the command cannot use; printed as one line."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and exit with 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def iso_date(value: str) -> dt.date:
    """An argument in the form YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None
