"""Where the time goes: each rule's share of the engine's time, in one process.

Cleans the `.txt` files under a folder (a random sample of `--docs` of them, the same
sample every run) with all rules on, timing each rule's check on every pass, and
prints the rules by their share of rule time, then the passes:

    .venv/bin/python benchmarks/rule_costs.py ../shared/bench/bench/dev --docs 400

The first 30 documents warm up (packs, the date pattern) and are not counted. A rule
that first asks for work several rules share (a pass's sentence splits and folded
lines, the date analysis, the layout) is charged for all of it, so a rule that stops
early hands its share to the next one: to judge a change, count instructions
(`valgrind --tool=callgrind`), which a shared machine does not move.
"""
from __future__ import annotations

import argparse
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

from auditor.api import DEFAULT, clean_document
from auditor.checks import Context
from auditor.document import Document
from auditor.load import document_from_bytes


def stopwatch(engine, spent: dict, key, passes: Counter | None = None) -> dict:
    """Put a CPU clock around each rule of `engine`: `spent[key(rule, check, pass)]`
    adds up its seconds. Returns the state whose "pass" the caller sets to 0 before
    each document; `passes` counts the documents reaching each pass."""
    state = {"pass": 0}

    def findings(doc, corpus=None, ctx=None, fixers_only=False, skip=frozenset()):
        """`Engine.findings` with a stopwatch around each rule."""
        ctx = ctx or Context(corpus=corpus)
        out = []
        for rule, check in engine.runners:
            if fixers_only and rule.info.fix == "flag" or rule.code in skip:
                continue
            start = time.process_time()
            out.extend(check.check(doc, rule.settings, rule.info, ctx))
            spent[key(rule, check, state["pass"])] += time.process_time() - start
        if passes is not None:
            passes[state["pass"]] += 1
        state["pass"] += 1
        return out

    engine.findings = findings
    return state


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder of .txt articles (searched recursively)")
    ap.add_argument("--docs", type=int, default=400, help="how many documents (default 400)")
    ap.add_argument("--top", type=int, default=20, help="how many rules to list (default 20)")
    args = ap.parse_args(argv)

    paths = sorted(args.folder.rglob("*.txt"))
    random.Random(1).shuffle(paths)
    docs = [document_from_bytes(p.read_bytes(), str(p)) for p in paths[:args.docs + 30]]
    engine = DEFAULT.engine()
    spent: dict[str, float] = defaultdict(float)
    passes: Counter = Counter()
    state = stopwatch(engine, spent, lambda rule, check, n: rule.code, passes)
    for doc in docs[:30]:
        clean_document(doc, DEFAULT)
    spent.clear()
    passes.clear()
    start = time.process_time()
    kb = 0.0
    for doc in docs[30:]:
        state["pass"] = 0
        kb += len(doc.text.encode("utf-8")) / 1024
        clean_document(doc, DEFAULT)
    elapsed = time.process_time() - start
    n = len(docs) - 30
    rules = sum(spent.values())
    print(f"{n} documents, {kb:,.0f} KB: {elapsed:.2f} s ({elapsed / n * 1000:.2f} ms a document); "
          f"rules {rules / elapsed:.0%} of it")
    for code, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"  {code:8s} {seconds / n * 1000:6.3f} ms a document  {seconds / rules:6.1%}")
    print("documents reaching each pass: " + ", ".join(f"{k + 1}: {v}" for k, v in sorted(passes.items())))


if __name__ == "__main__":
    main()
