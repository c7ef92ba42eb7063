"""Print the held-out NLU figures written by `rasa test nlu` and fail under the threshold.

Usage: python scripts/nlu_report.py RESULTS_DIR [--min-intent-accuracy 0.90]
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
    parser.add_argument("--min-intent-accuracy", type=float, default=0.90)
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
    if accuracy < args.min_intent_accuracy:
        print(f"FAILED: intent accuracy {accuracy:.3f} < {args.min_intent_accuracy:.2f}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
