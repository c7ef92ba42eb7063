"""The ``noticebot`` command: ``noticebot kb ...``, ``noticebot cases ...``, ``noticebot web``.

Each command is its program's own ``main`` (``kb``, ``cases``, ``web`` in this package), loaded
only when named: the chat page's server does not import the case store, nor ``kb`` the database
driver. ``kb``, ``cases`` and ``noticebot-web`` remain as commands of their own.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from noticebot.apps.cliargs import OneLineParser

# Command -> (module with a ``main(argv, prog)``, what it does).
COMMANDS: dict[str, tuple[str, str]] = {
    "kb": ("noticebot.apps.kb", "the knowledge base: build the index, ask, explain a notice"),
    "cases": ("noticebot.apps.cases",
              "the cases taken in: list, show, export, set-status, delete, purge, migrate"),
    "web": ("noticebot.apps.web", "serve the chat page (web/) until interrupted"),
}


def build_parser() -> OneLineParser:
    """The top-level parser: the commands and what they do (each parses its own arguments)."""
    parser = OneLineParser(prog="noticebot", description="IRS notice assistant.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, summary) in COMMANDS.items():
        commands.add_parser(name, help=summary, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``noticebot`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[args[0]][0])
        return int(module.main(args[1:], prog=f"noticebot {args[0]}"))
    parser = build_parser()
    parser.parse_args(args)  # --help, or a one-line error: both exit
    parser.error(f"the command comes first: {parser.prog} COMMAND ...")


if __name__ == "__main__":
    sys.exit(main())
