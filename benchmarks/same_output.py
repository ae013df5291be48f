"""Same output: clean every input folder of the benchmarks and compare, byte for byte,
with what another tree (or another way of running) wrote.

A change made for speed must leave the cleaned files, the issue report and the edit
log exactly as they were. Run the tree before the change once, then this one:

    OLD/.venv/bin/python benchmarks/same_output.py --bench ../shared/bench --out /tmp/before
    .venv/bin/python benchmarks/same_output.py --bench ../shared/bench --out /tmp/after \\
        --modes j1 j2 dask --compare /tmp/before

Each mode writes OUT/MODE/SET/FOLDER/ (cleaned files, `issues.csv`, `edits.jsonl`):
`j1` and `j2` are `clean -j 1` and `-j 2`, `dask` is `--engine dask -j 2` on a local
cluster. `--compare REF` compares every mode with REF's `j1` (so the modes are also
compared with one another) and lists each file that differs, is missing or is extra;
the exit code is 1 when any does. The script runs `auditor` from the interpreter that
runs it, so each tree's own environment runs its own code.
"""
from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = {"j1": ["-j", "1"], "j2": ["-j", "2"], "dask": ["--engine", "dask", "-j", "2"]}


def folders(bench: Path) -> list[tuple[str, Path]]:
    """(set/folder name, input folder) of every input folder of the cleaning sets."""
    out = [(f"bench/{d.name}", d) for d in sorted((bench / "bench" / "dev").iterdir()) if d.is_dir()]
    out.append(("appended/dev", bench / "appended" / "dev"))
    out += [(f"snippets/{d.name}", d) for d in sorted((bench / "snippets" / "dev").iterdir())
            if d.is_dir()]
    return [(name, path) for name, path in out if path.is_dir()]


def run(bench: Path, out: Path, modes: list[str]) -> None:
    for mode in modes:
        for name, source in folders(bench):
            target = out / mode / name
            target.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, "-m", "auditor", "clean", str(source), "--out", str(target),
                   "--report", str(target / "issues.csv"), "--edits",
                   str(target / "edits.jsonl"), *MODES[mode]]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode not in (0, 1):
                print(f"{mode} {name}: exit {done.returncode}\n{done.stderr[-2000:]}")
        print(f"{mode}: {len(folders(bench))} folders cleaned into {out / mode}")


def differences(ref: Path, new: Path) -> list[str]:
    """Files under `ref` and `new` that differ, or are on one side only."""
    out = []
    cmp = filecmp.dircmp(ref, new)
    stack = [(cmp, Path())]
    while stack:
        c, rel = stack.pop()
        out += [f"only before: {rel / f}" for f in c.left_only]
        out += [f"only after: {rel / f}" for f in c.right_only]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out += [f"differs: {rel / f}" for f in mismatch + errors]
        stack += [(sub, rel / name) for name, sub in c.subdirs.items()]
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--out", type=Path, required=True, help="where each mode's output goes")
    ap.add_argument("--modes", nargs="+", default=["j1"], choices=sorted(MODES))
    ap.add_argument("--compare", type=Path, help="an earlier --out to compare with (its j1)")
    args = ap.parse_args(argv)
    run(args.bench, args.out, args.modes)
    if args.compare is None:
        return 0
    failed = False
    for mode in args.modes:
        found = differences(args.compare / "j1", args.out / mode)
        files = sum(1 for p in (args.out / mode).rglob("*") if p.is_file())
        print(f"{mode} against {args.compare / 'j1'}: {files} files, {len(found)} differ")
        for line in found[:50]:
            print("  " + line)
        failed |= bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
