"""Every log handler of a server process redacts sensitive numbers (``RedactingLogFilter``).

``deploy/logging.yml`` (passed to both servers with ``--logging-config-file``) puts the filter on
the handlers it defines. Libraries add handlers of their own afterwards (Sanic configures its
``sanic.*`` loggers when Rasa creates its app; Rasa 3.6 installs ``coloredlogs`` on the root
logger), so the launchers (``rasa_ext.serve``, ``rasa_ext.action_server``) also call
``guard_all_handlers`` once the server is configured: it adds the filter to every handler of every
logger that lacks it, and to ``logging.lastResort`` (what prints a record when a logger has no
handler at all), and sends Python warnings through logging. Each filtered record has its message
and traceback redacted once.
"""

from __future__ import annotations

import logging

from noticebot.privacy import RedactingLogFilter


def _handlers() -> list[logging.Handler]:
    found: list[logging.Handler] = list(logging.getLogger().handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            found.extend(logger.handlers)
    if logging.lastResort is not None:
        found.append(logging.lastResort)
    return found


def guard_all_handlers() -> int:
    """Add ``RedactingLogFilter`` to every handler that has none; return how many got one.

    Python warnings are routed into logging as well (``py.warnings``): Rasa reports some
    problems with a message (a ``/intent{...}`` it cannot parse) as a warning quoting the text,
    which would otherwise be printed to stderr past every handler."""
    logging.captureWarnings(True)
    added = 0
    for handler in dict.fromkeys(_handlers()):  # each handler once, in order
        if not any(isinstance(f, RedactingLogFilter) for f in handler.filters):
            handler.addFilter(RedactingLogFilter())
            added += 1
    return added


def unguarded_handlers() -> list[logging.Handler]:
    """The handlers without the filter (empty once ``guard_all_handlers`` ran)."""
    return [h for h in dict.fromkeys(_handlers())
            if not any(isinstance(f, RedactingLogFilter) for f in h.filters)]
