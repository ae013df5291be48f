"""Cleaning a cleaned folder changes nothing: checked on every input folder of the public
benchmarks (or any folders given).

Each folder is cleaned, the output cleaned again, and the two outputs compared file by
file; a file that changed is listed with the rules that changed it the second time.

    .venv/bin/python benchmarks/idempotence.py --bench ../shared/bench
    .venv/bin/python benchmarks/idempotence.py FOLDER [FOLDER ...]
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def bench_folders(bench: Path) -> list[Path]:
    folders = [d for d in sorted((bench / "bench" / "dev").iterdir()) if d.is_dir()]
    folders.append(bench / "appended" / "dev")
    folders += [d for d in sorted((bench / "snippets" / "dev").iterdir()) if d.is_dir()]
    return folders


def clean(src: Path, out: Path, extra: list[str]) -> None:
    cmd = [sys.executable, "-m", "auditor", "clean", str(src), "--out", str(out),
           "--report", str(out.parent / f"{out.name}.csv"), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"auditor failed on {src} (exit {done.returncode}):\n{done.stderr}")


def changed_files(a: Path, b: Path) -> list[str]:
    return sorted(p.name for p in a.glob("*.txt")
                  if not (b / p.name).is_file() or (b / p.name).read_bytes() != p.read_bytes())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--bench", type=Path, help="every input folder of the benchmarks here")
    ap.add_argument("--options", default="", help="extra options for `auditor clean`")
    args = ap.parse_args(argv)
    folders = list(args.folders) + (bench_folders(args.bench) if args.bench else [])
    if not folders:
        ap.error("give folders or --bench")
    work = Path(tempfile.mkdtemp(prefix="idempotence-"))
    total = bad = 0
    for i, src in enumerate(folders):
        once, twice = work / f"{i}-once", work / f"{i}-twice"
        clean(src, once, args.options.split())
        clean(once, twice, args.options.split())
        changed = changed_files(once, twice)
        total += sum(1 for _ in once.glob("*.txt"))
        bad += len(changed)
        rules = Counter()
        with open(work / f"{twice.name}.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["file"] in changed and row["action"] in ("removed", "fixed"):
                    rules[row["rule"]] += 1
        label = f"{src.parent.name}/{src.name}"
        print(f"{label:28} {len(changed):3} changed on a second clean"
              + (f"  ({', '.join(f'{r} {n}' for r, n in rules.most_common())}: "
                 f"{', '.join(changed[:3])}{' …' if len(changed) > 3 else ''})" if changed else ""))
    print(f"{bad} of {total} files changed on a second clean")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
