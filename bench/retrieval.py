"""Knowledge retrieval benchmark: index build time and query latency (p50/p95/p99).

Run with ``make bench``. Queries: the test question set plus variants, at least 200 in all.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import logging
import statistics
import time

import yaml
from percentiles import percentile  # bench/percentiles.py (this folder is on sys.path)

from noticebot.knowledge.catalog import load_catalog
from noticebot.knowledge.retrieval import KnowledgeBase, build_knowledge_base
from noticebot.nlp import Recognizer
from noticebot.settings import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "tests" / "knowledge" / "questions.yml"
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
PREFIXES = ("", "hi, ", "please help: ", "quick question - ", "sorry, ")
SUFFIXES = ("", " thanks", "??", " asap", " i am really worried")
MIN_QUERIES = 200


def _queries() -> list[str]:
    base = [q["question"] for q in yaml.safe_load(QUESTIONS.read_text())["questions"]]
    queries = [f"{p}{q}{s}" for q in base for p, s in zip(PREFIXES, SUFFIXES, strict=True)]
    return queries if len(queries) >= MIN_QUERIES else (queries * 4)[: max(MIN_QUERIES, 1)]


def main() -> None:
    """Measure and print."""
    logging.basicConfig(level=logging.WARNING)
    t0 = time.perf_counter()
    recognizer = Recognizer()
    t1 = time.perf_counter()
    catalog = load_catalog(PROJECT_ROOT / "data" / "knowledge")
    t2 = time.perf_counter()
    kb = build_knowledge_base(catalog, recognizer=recognizer)
    t3 = time.perf_counter()
    print(f"spaCy pipeline build:      {(t1 - t0) * 1000:8.1f} ms")
    print(f"catalog load + validate:   {(t2 - t1) * 1000:8.1f} ms")
    print(f"index build (catalog):     {(t3 - t2) * 1000:8.1f} ms  ({len(kb.passages)} passages)")
    if SEEDS.is_dir():
        from noticebot.knowledge.ingest import ingest_path

        t4 = time.perf_counter()
        articles = ingest_path(SEEDS, recognizer=recognizer)
        t5 = time.perf_counter()
        kb_all = KnowledgeBase([*kb.passages, *articles], recognizer=recognizer)
        t6 = time.perf_counter()
        print(f"ingest seeds:              {(t5 - t4) * 1000:8.1f} ms  ({len(articles)} passages)")
        print(f"index build (+ seeds):     {(t6 - t5) * 1000:8.1f} ms  "
              f"({len(kb_all.passages)} passages)")
        kb = kb_all
    queries = _queries()
    for query in queries[:20]:  # warm-up
        kb.ask(query)
    timings: list[float] = []
    for query in queries:
        start = time.perf_counter()
        kb.ask(query, k=3)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"queries:                   {len(timings)}")
    print(f"latency p50:               {percentile(timings, 50):8.2f} ms")
    print(f"latency p95:               {percentile(timings, 95):8.2f} ms  (goal <= 10 ms)")
    print(f"latency p99:               {percentile(timings, 99):8.2f} ms")
    print(f"latency mean:              {statistics.fmean(timings):8.2f} ms")


if __name__ == "__main__":
    main()
