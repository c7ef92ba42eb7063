"""Command line: ``kb build``, ``kb ask`` and ``kb notice`` (also as ``noticebot kb ...``).

Bad input (an unknown code, a malformed date, a missing folder) gets one clear line on stderr
and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from noticebot.apps.cliargs import OneLineParser, UsageError, iso_date
from noticebot.deadlines import DeadlineInputError
from noticebot.knowledge.catalog import CatalogError, load_catalog
from noticebot.notices import NoticeExplanation, explain_notice
from noticebot.settings import get_settings

logger = logging.getLogger(__name__)

# spaCy's thinc imports TensorFlow when it is installed (Rasa brings it); keep its C++ start-up
# chatter off the terminal so an error stays one line.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _recognizer() -> Any:
    from noticebot.nlp import Recognizer

    return Recognizer()


def cmd_build(args: argparse.Namespace) -> int:
    """Build the knowledge index from the catalog plus any folders of documents."""
    from noticebot.knowledge.ingest import IngestError, ingest_path
    from noticebot.knowledge.retrieval import build_knowledge_base

    settings = get_settings()
    output: Path = args.output or settings.index_path
    started = time.perf_counter()
    recognizer = _recognizer()
    catalog = load_catalog(settings.knowledge_dir)
    documents = []
    folders = [*args.documents]
    if settings.documents_dir is not None and not folders:
        folders.append(settings.documents_dir)
    for folder in folders:
        if not folder.exists():
            raise UsageError(f"no such file or folder: {folder}")
        try:
            documents.extend(ingest_path(folder, recognizer=recognizer))
        except IngestError as exc:
            raise UsageError(str(exc)) from exc
    kb = build_knowledge_base(catalog, recognizer=recognizer, documents=documents)
    kb.save(output)
    elapsed = time.perf_counter() - started
    print(
        f"indexed {len(kb.passages)} passages ({len(catalog.notices)} notices, "
        f"{len(catalog.topics)} topics, {len(documents)} article passages) "
        f"into {output} in {elapsed:.1f}s"
    )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer a question with the best passages and their sources."""
    from noticebot.knowledge.retrieval import open_knowledge_base

    question = args.question.strip()
    if not question:
        raise UsageError("the question is empty")
    kb = open_knowledge_base(get_settings(), recognizer=_recognizer())
    answers = kb.ask(question, k=args.top)
    if args.json:
        rows = [
            {
                "score": round(a.score, 3),
                "entry": a.passage.entry,
                "title": a.passage.title,
                "text": a.passage.text,
                "source": a.passage.source,
                "notice_codes": list(a.passage.notice_codes),
                "forms": list(a.passage.forms),
            }
            for a in answers
        ]
        print(json.dumps({"question": question, "answers": rows}, indent=2))
        return 0
    if not answers:
        print("No answer found in the knowledge base.")
        return 1
    for rank, answer in enumerate(answers, start=1):
        print(f"{rank}. {answer.passage.title}\n   {answer.passage.text}\n   Source: "
              f"{answer.passage.source}")
    return 0


def _explanation_json(explanation: NoticeExplanation) -> dict[str, Any]:
    """The ``notice_summary`` fields (docs/contract.md), plus ``details`` for people and scripts."""
    deadline = explanation.deadline
    payload = explanation.summary
    details: dict[str, Any] = {
        "deadline_basis": deadline.basis,
        "deadline_moved_from": deadline.moved_from.isoformat() if deadline.moved_from else None,
        "deadline_moved_reason": deadline.moved_reason,
    }
    payload["details"] = details
    details["rights"] = [
        {
            "id": right.id,
            "label": right.label,
            "form": right.form,
            "last_day": right.last_day.isoformat() if right.last_day else None,
            "days_left": right.days_left,
        }
        for right in deadline.rights
    ]
    return payload


def _print_explanation(explanation: NoticeExplanation) -> None:
    notice, deadline = explanation.notice, explanation.deadline
    lines = [
        f"{notice.code}: {notice.title}",
        f"Stage: {notice.stage.replace('_', ' ')}",
        f"What it means: {notice.meaning.text}",
        f"Deadline rule: {notice.deadline.text}",
    ]
    if deadline.response_deadline is not None:
        lines.append(
            f"Respond by: {deadline.response_deadline.isoformat()} ({deadline.days_left} days "
            f"left, {deadline.urgency}; {deadline.basis})"
        )
        if deadline.moved_from is not None:
            lines.append(
                f"  ({deadline.moved_from.isoformat()} is {deadline.moved_reason}, so the "
                "deadline moves to the next business day; a mailed reply counts by its postmark)"
            )
    else:
        lines.append(f"Respond by: unknown ({deadline.basis.replace('_', ' ')})")
    for right in deadline.rights:
        when = right.last_day.isoformat() if right.last_day else "date unknown"
        lines.append(f"Right: {right.label} until {when}. If missed: {right.lost}")
    lines.append(f"If ignored: {notice.if_ignored.text}")
    lines.append("Sources: " + ", ".join(notice.sources))
    print("\n".join(lines))


def cmd_notice(args: argparse.Namespace) -> int:
    """Explain one notice and compute its deadline."""
    from noticebot.nlp import canonical_notice_code

    code = canonical_notice_code(args.code) or args.code.strip().upper()
    catalog = load_catalog(get_settings().knowledge_dir)
    today = args.today or dt.date.today()
    try:
        explanation = explain_notice(
            catalog,
            code,
            today=today,
            notice_date=args.date,
            printed_deadline=args.printed_deadline,
        )
    except DeadlineInputError as exc:
        raise UsageError(str(exc)) from exc
    if explanation is None:
        known = ", ".join(sorted(catalog.notices))
        raise UsageError(f"unknown notice code {args.code!r}; known codes: {known}")
    if args.json:
        print(json.dumps(_explanation_json(explanation), indent=2))
    else:
        _print_explanation(explanation)
    return 0


def _kb_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    build = sub.add_parser("build", help="index the catalog plus folders of articles")
    build.add_argument("documents", nargs="*", type=Path, help="files or folders of articles")
    build.add_argument("--output", type=Path, help="index file (default: NOTICEBOT_INDEX_PATH)")
    build.set_defaults(func=cmd_build)
    ask = sub.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("-k", "--top", type=int, default=3, help="how many answers (default 3)")
    ask.set_defaults(func=cmd_ask)
    notice = sub.add_parser("notice", help="explain a notice and compute its deadline")
    notice.add_argument("code", help="notice code, e.g. CP504, LT11, 'letter 1058'")
    notice.add_argument("--date", type=iso_date, help="date printed on the notice")
    notice.add_argument("--printed-deadline", type=iso_date,
                        help="response date printed on the notice")
    notice.add_argument("--today", type=iso_date, help="count days left from this date")
    notice.add_argument("--json", action="store_true", help="print the notice_summary JSON")
    notice.set_defaults(func=cmd_notice)


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except (UsageError, CatalogError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{parser.prog}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None, prog: str = "kb") -> int:
    """Entry point of the ``kb`` command, and of ``noticebot kb`` (``prog``)."""
    parser = OneLineParser(prog=prog, description="The notice knowledge base.")
    _kb_parser(parser)
    return _run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
