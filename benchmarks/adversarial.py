"""Feed adversarial lines to every rule, alone, and report time per rule.

Patterns that backtrack catastrophically show up as time growing much faster
than the input: each rule runs on lines of 256 KB and of 1 MB built from
fragments that its patterns half-match (names, dates, credits, brackets, spaces,
digits), and the ratio of the two times should stay near 4 (linear).

    python benchmarks/adversarial.py [--sizes 262144 1048576] [--budget 20]

Prints one row per rule: seconds at each size, the growth ratio, and a verdict.
"""
from __future__ import annotations

import argparse
import time

from auditor.document import Document
from auditor.engine import Engine
from auditor.rulepack import load_rules

FRAGMENTS = [
    "a", "A ", "By ", "By Jane Doe and ", "(AP Photo/", "((((", "))))", "Photo: ", "In this image ",
    "FILE - ", "March 13, 2025 ", "13.03.2025 ", "3/13/2025 ", "Updated ", "Thursday, ", "  ", "\t",
    "1", "1,", "- ", "• ", "Follow ", "Read more: ", "ÃƒÂ©", "â€™", "[1]: http://x/", "[a][1]",
    "Reuters/", "MOSCOW: ", "© ", "..." , "?", "The ", "of ", "\u00a0", "a , ", "Sections | ",
]


def adversarial_lines(size: int) -> dict[str, str]:
    """One document per fragment: the fragment repeated to `size` characters on one
    line, then the same as many short lines, and a mixed line of all fragments."""
    docs = {}
    for frag in FRAGMENTS:
        line = (frag * (size // len(frag) + 1))[:size]
        docs[f"line:{frag!r}"] = line + "\n"
    mixed = "".join(FRAGMENTS)
    docs["mixed"] = (mixed * (size // len(mixed) + 1))[:size] + "\n"
    per_line = " ".join(FRAGMENTS) + "\n"
    docs["many-lines"] = per_line * max(1, size // len(per_line))
    return docs


def time_rule(engine: Engine, docs: dict[str, str], budget: float) -> tuple[float, str]:
    """The slowest document's time for this engine, and which document it was."""
    worst, which = 0.0, ""
    for name, text in docs.items():
        start = time.perf_counter()
        engine.run(Document(" date 2025-03-13\n" + text, "adversarial.txt"))
        took = time.perf_counter() - start
        if took > worst:
            worst, which = took, name
        if took > budget:
            break
    return worst, which


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs=2, default=[262_144, 1_048_576])
    ap.add_argument("--budget", type=float, default=20.0,
                    help="seconds one document may take before the rule is called slow")
    ap.add_argument("--select", nargs="*", default=None, help="only these rule codes")
    a = ap.parse_args()
    small, large = (adversarial_lines(n) for n in a.sizes)
    print(f"{'rule':8} {'t@' + str(a.sizes[0] // 1024) + 'K':>9} {'t@' + str(a.sizes[1] // 1024) + 'K':>9} "
          f"{'ratio':>6}  verdict   slowest input")
    bad = 0
    for rule in load_rules():
        if a.select and rule.code not in a.select:
            continue
        engine = Engine([rule], max_chars=10 * a.sizes[1])
        t1, _ = time_rule(engine, small, a.budget)
        t2, which = time_rule(engine, large, a.budget)
        ratio = t2 / t1 if t1 > 1e-4 else float("nan")
        expected = a.sizes[1] / a.sizes[0]
        slow = t2 > a.budget or (t1 > 0.05 and ratio > 2.5 * expected)
        bad += slow
        print(f"{rule.code:8} {t1:9.3f} {t2:9.3f} {ratio:6.1f}  {'SLOW' if slow else 'linear':8}  {which}")
    print(f"{bad} rule(s) grew faster than linear" if bad else "every rule grew linearly")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
