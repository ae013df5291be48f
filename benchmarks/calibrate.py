"""Measure how often each removing rule removes noise, on the public benchmarks, and write
it down as the rule's confidence.

A rule's confidence is its removal precision: of what it removed, the share that was not
article text. It is measured on three public data sets laid out as in `../shared/bench/`:

- `bench`: nine extractors' text of news pages, with hand-checked article bodies
  (scrapinghub's article-extraction-benchmark); precision in 4-word shingles: removed
  shingles not in the gold body over all removed shingles;
- `snippets`: nine extractors' text of trafilatura's evaluation pages, with snippets that
  must stay ('with') and snippets that must go ('without'); precision in snippets:
  'without' removed over 'with' cut plus 'without' removed;
- `appended`: the same gold bodies with another page's story appended to half of them;
  it judges `APP001` alone (the bodies hold no other noise, so any other rule's removals
  there are article text or nothing, and are already counted on `bench`).

Every removing rule runs with `--min-confidence 0`, so each one shows what it would
remove. A rule's confidence is its lowest precision among the sets where it removed
enough to judge (`--min-shingles`, `--min-snippets`); one that removed too little
anywhere keeps the confidence its pack declares, marked "not measured". The rules off by
default whose text is article text or not by the user's choice (the headline, a wire
story's own reuse notice) are measured on `bench` alone but get no confidence from it:
that choice is made by selecting the rule, not a fact a benchmark can measure.

    .venv/bin/python benchmarks/calibrate.py --bench ../shared/bench            # print
    .venv/bin/python benchmarks/calibrate.py --bench ../shared/bench --write    # and save

`--write` saves `rules/calibration/precision.toml`, which the rule packs read: `auditor
rule CODE` shows the figures, and `--min-confidence` (default 0.9) turns every rule
measured below it into a rule that flags. `--run DIR` reuses the outputs of an earlier
run (the folder this script writes with `--keep DIR`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "rules" / "calibration" / "precision.toml"
# off by default, and what they remove is article text or not by the user's choice (the
# headline, a wire story's own reuse notice): measured on bench, but given no confidence
CHOICE_RULES = ("HDR005", "NAV204")
APPENDED_RULES = ("APP001",)  # the only rules the appended set judges


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folders(bench: Path) -> dict[str, list[tuple[str, Path]]]:
    """The input folders of each set: (name, folder)."""
    return {
        "bench": [(d.name, d) for d in sorted((bench / "bench" / "dev").iterdir()) if d.is_dir()],
        "appended": [("appended", bench / "appended" / "dev")],
        "snippets": [(d.name, d) for d in sorted((bench / "snippets" / "dev").iterdir())
                     if d.is_dir()],
    }


def run(sets: dict, out: Path, extra: list[str] = ()) -> None:
    """`auditor clean` on every folder, all removing rules removing."""
    for name, items in sets.items():
        for label, folder in items:
            target = out / name / label
            target.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, "-m", "auditor", "clean", str(folder), "--out", str(target),
                   "--report", str(target / "issues.csv"), "--min-confidence", "0", *extra]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode not in (0, 1):
                sys.exit(f"auditor failed on {folder} (exit {done.returncode}):\n{done.stderr}")


def shingle_precision(losses, gold_file: Path, raw: list[tuple[str, Path]], out: Path
                      ) -> dict[str, list[float]]:
    """rule code -> [noise, lost] shingles, with the attribution of `losses.py`."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    per_rule: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for label, raw_dir in raw:
        run_dir = out / label
        rows = losses.removed_rows(run_dir / "issues.csv")
        for pid, item in gold.items():
            raw_f = raw_dir / f"{pid}.txt"
            doc_rows = rows.get(raw_f.name, [])
            if not raw_f.is_file() or not doc_rows:
                continue
            out_f = run_dir / f"{pid}.txt"
            found, _ = losses.attribute(
                item.get("articleBody") or "", raw_f.read_text(encoding="utf-8", errors="replace"),
                out_f.read_text(encoding="utf-8", errors="replace") if out_f.is_file() else "",
                doc_rows)
            for rule, (noise, lost) in found.items():
                code = rule.split()[0]
                per_rule[code][0] += noise
                per_rule[code][1] += lost
    return per_rule


def snippet_precision(snippets, gold_file: Path, raw_root: Path, out: Path
                      ) -> dict[str, list[int]]:
    """rule code -> ['without' removed, 'with' cut], each rule that touched it counting."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for event in snippets.analyse(gold, raw_root, out)["events"]:
        for code in event["removal_rules"]:
            per_rule[code][0 if event["kind"] == "without" else 1] += 1
    return per_rule


def measure_bench(bench: Path, out: Path) -> dict[str, tuple]:
    """rule code -> (noise, lost) shingles on the bench set alone."""
    losses = _module(bench / "losses.py")
    found = shingle_precision(losses, bench / "bench" / "dev" / "gold.json",
                              folders(bench)["bench"], out / "bench")
    return {code: (round(noise), round(lost)) for code, (noise, lost) in found.items()}


def measure(bench: Path, out: Path) -> dict[str, dict[str, tuple]]:
    """rule code -> set -> (noise, lost) for every rule that removed something."""
    losses = _module(bench / "losses.py")
    snippets = _module(bench / "snippets_rules.py")
    sets = folders(bench)
    found: dict[str, dict[str, tuple]] = defaultdict(dict)
    for name, gold in (("bench", bench / "bench" / "dev" / "gold.json"),
                       ("appended", bench / "appended" / "dev.gold.json")):
        for code, (noise, lost) in shingle_precision(losses, gold, sets[name],
                                                      out / name).items():
            found[code][name] = (round(noise), round(lost))
    for code, (noise, lost) in snippet_precision(snippets, bench / "snippets" / "dev.gold.json",
                                                 bench / "snippets" / "dev",
                                                 out / "snippets").items():
        found[code]["snippets"] = (noise, lost)
    return found


def judged_sets(code: str) -> tuple[str, ...]:
    if code in CHOICE_RULES:
        return ("bench",)
    if code in APPENDED_RULES:
        return ("bench", "snippets", "appended")
    return ("bench", "snippets")


def confidence(code: str, figures: dict[str, tuple], min_shingles: int, min_snippets: int
               ) -> tuple[float | None, list[str]]:
    """The lowest precision among the sets with enough evidence, and which sets those were."""
    if code in CHOICE_RULES:
        return None, []
    judged = []
    for name in judged_sets(code):
        noise, lost = figures.get(name, (0, 0))
        enough = min_snippets if name == "snippets" else min_shingles
        if noise + lost >= enough:
            judged.append((noise / (noise + lost), name))
    if not judged:
        return None, []
    return round(min(p for p, _ in judged), 3), [n for _, n in judged]


def removing_rules() -> dict[str, str]:
    """code -> name of every rule whose fix removes text, disabled ones included."""
    sys.path.insert(0, str(ROOT))
    from auditor.rulepack import load_rules

    return {r.code: r.name for r in load_rules(calibrated=False) if r.info.fix == "remove"}


def render(found: dict, rules: dict[str, str], min_shingles: int, min_snippets: int) -> str:
    today = dt.date.today().isoformat()
    lines = [
        "# Removal precision of each removing rule on the public benchmarks, and the",
        "# confidence it gives the rule. Written by benchmarks/calibrate.py; do not edit by",
        "# hand: re-run it after changing a rule.",
        f'measured = "{today}"',
        'data = "dev halves of the public benchmarks: scrapinghub\'s article-extraction-benchmark '
        '(91 news pages x 9 extractors, and its bodies with stories appended), trafilatura\'s '
        'evaluation corpus (463 pages x 9 extractors)"',
        f'evidence = "at least {min_shingles} shingles (bench, appended) or {min_snippets} '
        'snippets"',
        'command = "benchmarks/calibrate.py --bench BENCH --write"',
        "",
    ]
    for code in sorted(rules):
        figures = found.get(code, {})
        value, judged = confidence(code, figures, min_shingles, min_snippets)
        lines.append(f"[{code}]")
        lines.append(f"confidence = {value}" if value is not None else "measured = false")
        if code in CHOICE_RULES:
            lines.append('note = "what it removes is article text or not by choice: selecting '
                         'the rule removes it, whatever a benchmark counts it as"')
        for name in ("bench", "appended", "snippets"):
            if name not in judged_sets(code):
                continue
            noise, lost = figures.get(name, (0, 0))
            unit = "snippets" if name == "snippets" else "shingles"
            share = f"{noise / (noise + lost):.3f}" if noise + lost else "nan"
            lines.append(f'{name} = {{ noise = {noise}, text = {lost}, unit = "{unit}", '
                         f'precision = {share}, judged = {str(name in judged).lower()} }}')
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, required=True,
                    help="the benchmark folder (bench/, appended/, snippets/ and their scorers)")
    ap.add_argument("--run", type=Path, help="reuse the outputs of an earlier run")
    ap.add_argument("--keep", type=Path, help="write the outputs here and keep them")
    ap.add_argument("--write", action="store_true", help=f"save {OUTPUT.relative_to(ROOT)}")
    ap.add_argument("--min-shingles", type=int, default=30)
    ap.add_argument("--min-snippets", type=int, default=10)
    args = ap.parse_args(argv)

    bench = args.bench.resolve()
    rules = removing_rules()
    disabled = [c for c in CHOICE_RULES if c in rules]
    if args.run:
        out = args.run
    else:
        out = args.keep or Path(tempfile.mkdtemp(prefix="calibrate-"))
        run(folders(bench), out)
    if not args.run and disabled:
        # rules off by default are measured in a run of their own, so that they do
        # not change what the default rules are measured on
        run({"bench": folders(bench)["bench"]}, out / "disabled",
            [arg for code in disabled for arg in ("--extend-select", code)])
    found = measure(bench, out)
    if (out / "disabled").is_dir():
        extra = measure_bench(bench, out / "disabled")
        for code in disabled:
            found[code] = {"bench": extra[code]} if code in extra else {}
    text = render(found, rules, args.min_shingles, args.min_snippets)
    print(f"{'rule':8} {'conf':>6}  {'bench noise/text':>18} {'prec':>6}  "
          f"{'snippets w/o / with':>20} {'prec':>6}  {'appended':>14}")
    for code in sorted(rules):
        figures = found.get(code, {})
        value, _ = confidence(code, figures, args.min_shingles, args.min_snippets)
        cells = []
        for name in ("bench", "snippets", "appended"):
            noise, lost = figures.get(name, (0, 0))
            prec = f"{noise / (noise + lost):.3f}" if noise + lost else "-"
            cells.append((f"{noise}/{lost}", prec))
        print(f"{code:8} {value if value is not None else '-':>6}  {cells[0][0]:>18} "
              f"{cells[0][1]:>6}  {cells[1][0]:>20} {cells[1][1]:>6}  "
              f"{cells[2][0]:>9} {cells[2][1]:>5}")
    if args.write:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    print(f"outputs: {out}")


if __name__ == "__main__":
    main()
