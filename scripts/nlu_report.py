"""Print the held-out NLU figures written by `rasa test nlu` and fail under the threshold.

Usage: python scripts/nlu_report.py RESULTS_DIR [--min-intent-accuracy 0.95]
                                   [--max-fallback 0.02]

The fallback rate is the share of in-scope messages (every intent but out_of_scope) that came
out as nlu_fallback: clear messages the assistant would answer "Sorry, I didn't catch that".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Read intent_report.json and the entity reports; exit 1 below the threshold."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("--min-intent-accuracy", type=float, default=0.95)
    parser.add_argument("--max-fallback", type=float, default=0.02)
    args = parser.parse_args(argv)
    intents = json.loads((args.results / "intent_report.json").read_text())
    accuracy = float(intents["accuracy"])
    macro_f1 = float(intents["macro avg"]["f1-score"])
    print(f"NLU held-out set: intent accuracy {accuracy:.3f}, macro-F1 {macro_f1:.3f} "
          f"({int(intents['macro avg']['support'])} messages)")
    for report in sorted(args.results.glob("*_report.json")):
        if report.name == "intent_report.json" or "response" in report.name:
            continue
        entities = json.loads(report.read_text())
        for name, row in sorted(entities.items()):
            if isinstance(row, dict) and name not in ("micro avg", "macro avg", "weighted avg"):
                print(f"  {report.stem}: {name:12s} F1 {row['f1-score']:.3f} "
                      f"(support {row['support']})")
        if "micro avg" in entities:
            print(f"  {report.stem}: entity micro-F1 {entities['micro avg']['f1-score']:.3f}")
    in_scope = sum(
        int(row["support"])
        for name, row in intents.items()
        if isinstance(row, dict) and "support" in row and name not in NOT_INTENTS
        and name != "out_of_scope"
    )
    errors_path = args.results / "intent_errors.json"
    errors = json.loads(errors_path.read_text()) if errors_path.exists() else []
    fallbacks = sum(
        1
        for error in errors
        if (error.get("intent_prediction") or {}).get("name") == "nlu_fallback"
        and error.get("intent") != "out_of_scope"
    )
    rate = fallbacks / in_scope if in_scope else 0.0
    print(f"  nlu_fallback on in-scope messages: {fallbacks}/{in_scope} ({rate:.3f})")
    failed = False
    if accuracy < args.min_intent_accuracy:
        print(f"FAILED: intent accuracy {accuracy:.3f} < {args.min_intent_accuracy:.2f}",
              file=sys.stderr)
        failed = True
    if rate > args.max_fallback:
        print(f"FAILED: nlu_fallback on {rate:.3f} of in-scope messages > {args.max_fallback}",
              file=sys.stderr)
        failed = True
    return 1 if failed else 0


NOT_INTENTS = frozenset({"accuracy", "macro avg", "weighted avg", "micro avg"})


if __name__ == "__main__":
    sys.exit(main())
