"""Findings to a pandas DataFrame, and that frame to CSV, JSONL or JSON.

CSV (and GitHub annotations) have one row per problem: where several rules found
the same lines for the same kind of reason, the row of the rule that decided
names the others in `also`. JSONL and JSON keep every hit; a hit folded into
another's row names that row's rule in `same_as`.

Excerpts and messages are untrusted web text: in CSV every field is quoted and
a cell that a spreadsheet would read as a formula gets a leading apostrophe
(OWASP's advice). JSONL keeps the raw values.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from auditor.findings import Finding, problems

if TYPE_CHECKING:  # pandas loads when a frame is asked for (see `auditor.api`)
    import pandas as pd

# one row per problem (CSV)
COLUMNS = ["file", "rule", "name", "category", "severity", "confidence", "line",
           "end_line", "start", "end", "action", "message", "excerpt", "also"]
# one row per hit (JSONL, JSON, frames)
HIT_COLUMNS = COLUMNS + ["same_as"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMATS = ("csv", "jsonl", "json", "github")
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def rows(file: str, findings: Iterable[Finding]) -> list[dict]:
    """One document's report rows, a row per hit in report order: a problem's lead
    row names its other hits in `also`, and each of those names the lead in `same_as`."""
    findings = list(findings)
    marks = {}
    for lead, others in problems(findings):
        marks[id(lead)] = (" ".join(o.rule for o in others), "")
        marks.update((id(o), ("", lead.rule)) for o in others)
    return [{"file": file, "rule": f.rule, "name": f.name, "category": f.category,
             "severity": f.severity, "confidence": f.confidence, "line": f.line,
             "end_line": f.end_line, "start": f.start, "end": f.end, "action": f.action,
             "message": f.message, "excerpt": f.excerpt, "also": marks[id(f)][0],
             "same_as": marks[id(f)][1]} for f in findings]


def is_problem(record: dict) -> bool:
    """Whether a report row stands for a problem (not a hit folded into another's
    row); rows of reports written before `same_as` existed all do."""
    return not record.get("same_as")


def frame(records: Iterable[dict]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(records), columns=HIT_COLUMNS)


def neutralize(value):
    """Defuse a cell a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class ReportWriter:
    """Streams report rows to a file as documents finish, so no run holds them all."""

    def __init__(self, path: str | Path, fmt: str = "csv", append: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r} (use {', '.join(FORMATS)})")
        self.path = Path(path)
        self.fmt = fmt
        self.path.parent.mkdir(parents=True, exist_ok=True)
        append = append and fmt != "json" and self.path.exists() and self.path.stat().st_size > 0
        # a lone surrogate (a JSON record can hold one) is written as its escape,
        # `\ud800`: still valid JSON in JSONL, readable text in CSV
        self._fh = open(self.path, "a" if append else "w", encoding="utf-8",
                        errors="backslashreplace", newline="")
        self._first = True
        if fmt == "csv":
            self._csv = csv.writer(self._fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            if not append:
                self._csv.writerow(COLUMNS)
        elif fmt == "json":
            self._fh.write("[")

    def write(self, records: list[dict]) -> None:
        if self.fmt in ("csv", "github"):
            records = [r for r in records if is_problem(r)]
        if not records:
            return
        if self.fmt == "github":
            self._fh.writelines(github_annotation(r) + "\n" for r in records)
            return
        if self.fmt == "csv":
            self._csv.writerows([neutralize(r[c]) for c in COLUMNS] for r in records)
            return
        df = frame(records)
        text = df.to_json(orient="records", lines=True, force_ascii=False)
        if self.fmt == "jsonl":
            self._fh.write(text if text.endswith("\n") else text + "\n")
        else:
            for line in text.splitlines():
                self._fh.write(("\n" if self._first else ",\n") + line)
                self._first = False

    def close(self) -> None:
        if self.fmt == "json":
            self._fh.write("\n]\n")
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _gh_escape(value: str, prop: bool = False) -> str:
    value = str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github_annotation(r: dict) -> str:
    """A GitHub Actions workflow command that annotates the finding's lines."""
    props = (f"file={_gh_escape(r['file'], True)},line={r['line']},endLine={r['end_line']},"
             f"title={_gh_escape(r['rule'] + ' ' + r['name'], True)}")
    message = f"{r['message']} ({r['action']})" + (f": {r['excerpt']}" if r["excerpt"] else "")
    return f"::{GITHUB_LEVEL[r['severity']]} {props}::{_gh_escape(message)}"


def read_report(path: str | Path) -> pd.DataFrame:
    """Load a report written by `ReportWriter` (any format) back into a frame."""
    import pandas as pd

    path = Path(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    if path.suffix == ".json":
        return pd.read_json(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)
