"""The logging filter that redacts every record's message and traceback."""

from __future__ import annotations

import logging

from noticebot.privacy.redaction import redact_data, redact_text


class RedactingLogFilter(logging.Filter):
    """Logging filter that redacts the formatted message and any traceback text of a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        try:
            record.msg = redact_text(record.getMessage())
            record.args = None
        except (TypeError, ValueError, KeyError):
            # Bad format arguments: let the handler report the error, without the numbers.
            record.msg = redact_text(str(record.msg))
            record.args = redact_data(record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True
