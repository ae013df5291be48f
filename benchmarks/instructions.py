"""Instructions per article: what cleaning costs, counted by valgrind's callgrind.

A count of instructions does not move with the load other tenants put on a shared
machine, so it is the figure a speed change is judged by (timings are not).

    .venv/bin/python benchmarks/instructions.py ../shared/bench/bench/dev --docs 200

runs this script twice under `valgrind --tool=callgrind`, in one process each: both
runs read the same documents and clean the same few warm-up documents (packs, the
date pattern and the lazily compiled rules are ready after them); the long run then
cleans `--docs` more. The difference of the two totals, divided by `--docs`, is the
instructions one article costs, start-up and reading excluded. The documents are a
random sample (the same every run, `--seed`) of the `.txt` files under the folder.
`--families` adds the CPU time per article of each rule family, first pass and later
passes apart (measured without valgrind, so it moves with the machine's load: read
it for shares, not for a change of a few percent).

`--against-floor` counts, the same way, what the command line costs a document end to
end (`auditor clean -j 1`: reading, decoding, cleaning, writing the files and the
report) against the bare read-decode-write pass of `throughput.py` over the same
folder, each less a run over one of its documents (start-up excluded): the ratio
`throughput.py` times, in a figure the machine's load does not move.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

WARM = 10


def sample(folder: Path, n: int, seed: int) -> list[Path]:
    paths = sorted(folder.rglob("*.txt"))
    random.Random(seed).shuffle(paths)
    return paths[:n + WARM]


def clean_sample(folder: Path, n: int, seed: int, count: int) -> None:
    """The measured work: read the sample, clean its warm-up and then `count` more."""
    from auditor.api import DEFAULT, clean_document
    from auditor.load import document_from_bytes

    docs = [document_from_bytes(p.read_bytes(), str(p)) for p in sample(folder, n, seed)]
    for doc in docs[:WARM + count]:
        clean_document(doc, DEFAULT)


def callgrind_total(folder: Path, n: int, seed: int, count: int) -> int:
    """Instructions of one run of `clean_sample` under callgrind."""
    return command_instructions([sys.executable, __file__, str(folder), "--docs", str(n),
                                 "--seed", str(seed), "--inner", str(count)])


def command_instructions(cmd: list[str]) -> int:
    """Instructions of one run of `cmd` (and of any process it starts) under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        f"--callgrind-out-file={out}.%p", *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONHASHSEED": "0"})
        totals = [re.search(r"^(?:summary|totals): (\d+)", part.read_text(), re.M)
                  for part in Path(tmp).glob("callgrind.out.*")]
        if not totals or not all(totals):
            raise SystemExit("callgrind wrote no total")
        return sum(int(found.group(1)) for found in totals)


def against_floor(folder: Path) -> tuple[int, float, float]:
    """(documents, instructions per document of the bare pass, of `clean -j 1`), each
    the run over `folder` less the run over a folder of its first document."""
    from throughput import FLOOR

    paths = sorted(folder.rglob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one"
        one.mkdir()
        (one / paths[0].name).write_bytes(paths[0].read_bytes())
        counts = {}
        for name, src in (("all", folder), ("one", one)):
            out = Path(tmp) / f"out-{name}"
            counts["floor", name] = command_instructions(
                [sys.executable, "-c", FLOOR, str(src), str(out / "floor")])
            counts["clean", name] = command_instructions(
                [sys.executable, "-m", "auditor", "clean", str(src), "--out", str(out / "clean"),
                 "--report", str(out / "issues.csv"), "-j", "1"])
    n = len(paths) - 1
    return (len(paths), (counts["floor", "all"] - counts["floor", "one"]) / n,
            (counts["clean", "all"] - counts["clean", "one"]) / n)


def family_times(folder: Path, n: int, seed: int) -> tuple[dict, dict, int]:
    """CPU seconds per rule family (the check kind), first pass and later ones."""
    from auditor.api import DEFAULT, clean_document
    from auditor.load import document_from_bytes
    from rule_costs import stopwatch

    docs = [document_from_bytes(p.read_bytes(), str(p)) for p in sample(folder, n, seed)]
    engine = DEFAULT.engine()
    spent: dict[tuple[bool, str], float] = defaultdict(float)
    state = stopwatch(engine, spent, lambda rule, check, n: (n > 0, check.kind))
    for doc in docs[:WARM]:
        state["pass"] = 0
        clean_document(doc, DEFAULT)
    spent.clear()
    total = time.process_time()
    for doc in docs[WARM:]:
        state["pass"] = 0
        clean_document(doc, DEFAULT)
    total = time.process_time() - total
    first = {kind: t for (later, kind), t in spent.items() if not later}
    later = {kind: t for (later, kind), t in spent.items() if later}
    return first, later, total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder of .txt articles (searched recursively)")
    ap.add_argument("--docs", type=int, default=200, help="articles counted (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="the sample's seed (default 1)")
    ap.add_argument("--families", action="store_true",
                    help="also print CPU time per article of each rule family")
    ap.add_argument("--no-callgrind", action="store_true", help="skip the instruction count")
    ap.add_argument("--against-floor", action="store_true",
                    help="also count `auditor clean -j 1` end to end against the bare "
                         "read-decode-write pass, per document of the whole folder")
    ap.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.inner is not None:
        clean_sample(args.folder, args.docs, args.seed, args.inner)
        return
    n = min(args.docs, len(sample(args.folder, args.docs, args.seed)) - WARM)
    if not args.no_callgrind:
        base = callgrind_total(args.folder, n, args.seed, 0)
        full = callgrind_total(args.folder, n, args.seed, n)
        print(f"{n} articles from {args.folder}: {(full - base) / n / 1e6:.2f} M instructions "
              f"per article (callgrind, start-up and reading subtracted)")
    if args.against_floor:
        docs, floor, clean = against_floor(args.folder)
        print(f"{docs} documents of {args.folder}, end to end, start-up subtracted: the bare "
              f"read-decode-write pass {floor / 1e6:.3f} M instructions a document, "
              f"auditor clean -j 1 {clean / 1e6:.2f} M ({clean / floor:.0f}x)")
    if args.families:
        first, later, total = family_times(args.folder, n, args.seed)
        rules = sum(first.values()) + sum(later.values())
        print(f"CPU time per article: {total / n * 1000:.2f} ms, rules {rules / total:.0%} of it")
        print(f"  {'family':14s} {'pass 1':>10s} {'passes 2+':>11s}   (the page-chrome and "
              "repeated-line phases start at pass 2)")
        kinds = set(first) | set(later)
        for kind in sorted(kinds, key=lambda k: -(first.get(k, 0) + later.get(k, 0))):
            print(f"  {kind:14s} {first.get(kind, 0) / n * 1000:7.3f} ms "
                  f"{later.get(kind, 0) / n * 1000:8.3f} ms")


if __name__ == "__main__":
    main()
