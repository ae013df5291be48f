"""Build the gold-header variant of a dates set: the same files, each header set to
its annotated publication date.

Every header of the variant is right, so every `header-date-mismatch` on it is a
false alarm: the variant counts how many correct headers an inference would flag,
over all the files rather than the half that the set leaves unshifted.

    python benchmarks/dates_gold.py ../shared/bench/dates-dev /tmp/dates-dev-gold
    auditor audit /tmp/dates-dev-gold/articles --report /tmp/dates-dev-gold/issues.csv
    python ../shared/bench/score_dates.py --labels /tmp/dates-dev-gold/labels.json \\
        --report /tmp/dates-dev-gold/issues.csv

The input set is read, never written.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def build(src: Path, dst: Path) -> int:
    labels = json.loads((src / "labels.json").read_text(encoding="utf-8"))
    (dst / "articles").mkdir(parents=True, exist_ok=True)
    out = {}
    for name, label in sorted(labels.items()):
        text = (src / "articles" / name).read_bytes().decode("utf-8", "surrogateescape")
        first, sep, rest = text.partition("\n")
        if not first.startswith(" date "):
            raise SystemExit(f"{name}: no ' date ' header line")
        after = first[len(" date "):].split(" ", 1)
        first = " date " + label["gold"] + (" " + after[1] if len(after) > 1 else "")
        (dst / "articles" / name).write_bytes(
            (first + sep + rest).encode("utf-8", "surrogateescape"))
        out[name] = dict(label, header=label["gold"], shifted=False, shift_days=0)
    (dst / "labels.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
    return len(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="a dates set: articles/ and labels.json")
    ap.add_argument("dst", type=Path, help="where to write the variant")
    a = ap.parse_args()
    print(f"{build(a.src, a.dst)} files written to {a.dst}")


if __name__ == "__main__":
    main()
