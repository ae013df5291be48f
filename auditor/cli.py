"""The `auditor` command: thin over the library (parse options, call, print).

Exit codes: 0 the run finished (findings or not); 1 a finding at or above
`--fail-on` exists; 2 bad usage or configuration (missing path, bad rule pack,
unknown selector). A file that cannot be read is a finding, never an exit.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from auditor import corpus
from auditor.findings import SEVERITIES
from auditor.report import FORMATS, ReportWriter
from auditor.rulepack import PackError, load_rules

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit and clean the text and metadata of scraped news articles.")
err = Console(stderr=True)
out = Console()
PROGRESS_MIN_FILES = 20

PathsArg = typer.Argument(..., help="Files or folders of .txt articles.", show_default=False)
ReportOpt = typer.Option(None, "--report", "-r", help="Write the issue report here.")
FormatOpt = typer.Option("csv", "--format", help=f"Report format: {', '.join(FORMATS)}.")
RulesOpt = typer.Option([], "--rules", help="An extra rule pack (TOML); repeatable.")
SelectOpt = typer.Option([], "--select", help="Only these rules (code, prefix or name); repeatable.")
IgnoreOpt = typer.Option([], "--ignore", help="Skip these rules (code, prefix or name); repeatable.")
ExtendOpt = typer.Option([], "--extend-select", help="Add rules to the default set; repeatable.")
ConfOpt = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                       help="Findings below this confidence are flagged, not fixed.")
JobsOpt = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: all cores).")
FailOpt = typer.Option("never", "--fail-on", help="Exit 1 when a finding at or above this "
                       "severity exists: error, warning, info or never.")


def _options(rules, select, ignore, extend, min_conf) -> corpus.RuleOptions:
    opts = corpus.RuleOptions(tuple(map(str, rules)), tuple(select), tuple(ignore),
                              tuple(extend), min_conf)
    try:
        opts.engine()
    except PackError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    return opts


def _sources(paths: list[Path]) -> list[corpus.Source]:
    try:
        return corpus.discover(paths)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)


def _run(paths, report, fmt, options, out_dir, jobs, fail_on) -> None:
    if fail_on not in SEVERITIES + ("never",):
        err.print(f"[red]error:[/] --fail-on takes error, warning, info or never, not {fail_on!r}")
        raise typer.Exit(2)
    if fmt not in FORMATS:
        err.print(f"[red]error:[/] --format takes {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(2)
    sources = _sources(paths)
    jobs = jobs or os.cpu_count() or 1
    writer = ReportWriter(report, fmt) if report else None
    by_cat: Counter = Counter()
    by_action: Counter = Counter()
    worst = -1
    files = changed = unreadable = 0
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(),
                        console=err, transient=True,
                        disable=len(sources) < PROGRESS_MIN_FILES or not err.is_terminal)
    try:
        with progress:
            task = progress.add_task("auditing", total=len(sources), rate="-")
            for oc in corpus.run(sources, options, out_dir, jobs):
                files += 1
                changed += oc.changed
                unreadable += bool(oc.error)
                for r in oc.records:
                    by_cat[r["category"]] += 1
                    by_action[(r["category"], r["action"])] += 1
                    worst = max(worst, SEVERITIES.index(r["severity"]))
                if writer:
                    writer.write(oc.records)
                elapsed = progress.tasks[0].elapsed or 0
                progress.update(task, advance=1,
                                rate=f"{files / elapsed:,.0f}" if elapsed > 0.5 else "-")
    except KeyboardInterrupt:
        err.print(f"[yellow]interrupted[/] after {files} of {len(sources)} files; "
                  "the files written so far are complete")
        raise typer.Exit(130)
    finally:
        if writer:
            writer.close()
    _summary(files, changed, unreadable, by_cat, by_action, report, out_dir)
    if fail_on != "never" and worst >= SEVERITIES.index(fail_on):
        raise typer.Exit(1)


def _summary(files, changed, unreadable, by_cat, by_action, report, out_dir) -> None:
    table = Table(title=f"{files} files, {sum(by_cat.values())} findings", title_justify="left")
    for col in ("category", "findings", "removed", "fixed", "flagged"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for cat, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(cat, str(n), *(str(by_action[(cat, a)]) for a in ("removed", "fixed", "flagged")))
    err.print(table)
    if out_dir is not None:
        err.print(f"cleaned: {files - unreadable} files written to {out_dir} ({changed} changed)")
    if unreadable:
        err.print(f"[yellow]{unreadable} file(s) could not be read[/]; see the report")
    if report:
        err.print(f"report: {report}")


@app.command()
def audit(paths: List[Path] = PathsArg, report: Optional[Path] = ReportOpt,
          fmt: str = FormatOpt, rules: List[Path] = RulesOpt, select: List[str] = SelectOpt,
          ignore: List[str] = IgnoreOpt, extend_select: List[str] = ExtendOpt,
          min_confidence: float = ConfOpt, jobs: int = JobsOpt, fail_on: str = FailOpt) -> None:
    """Find problems and write the issue report; change nothing."""
    options = _options(rules, select, ignore, extend_select, min_confidence)
    _run(paths, report, fmt, options, None, jobs, fail_on)


@app.command()
def clean(paths: List[Path] = PathsArg,
          out_dir: Path = typer.Option(..., "--out", "-o", help="Write cleaned files here."),
          report: Optional[Path] = ReportOpt, fmt: str = FormatOpt,
          rules: List[Path] = RulesOpt, select: List[str] = SelectOpt,
          ignore: List[str] = IgnoreOpt, extend_select: List[str] = ExtendOpt,
          min_confidence: float = ConfOpt, jobs: int = JobsOpt, fail_on: str = FailOpt) -> None:
    """Write cleaned copies under --out (same relative paths) and the issue report."""
    options = _options(rules, select, ignore, extend_select, min_confidence)
    resolved = out_dir.resolve()
    for p in paths:
        if p.is_file() and p.resolve().parent == resolved:
            err.print(f"[red]error:[/] --out {out_dir} would overwrite the input {p}")
            raise typer.Exit(2)
        if p.is_dir() and p.resolve() == resolved:
            err.print(f"[red]error:[/] --out {out_dir} is the input folder; choose another")
            raise typer.Exit(2)
    _run(paths, report, fmt, options, out_dir, jobs, fail_on)


@app.command("rules")
def list_rules(rules: List[Path] = RulesOpt) -> None:
    """List every rule: code, name, category, severity, fix and purpose."""
    try:
        loaded = load_rules(rules)
    except PackError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    table = Table(title=f"{len(loaded)} rules", title_justify="left")
    for col in ("code", "name", "category", "severity", "fix"):
        table.add_column(col, no_wrap=True)
    table.add_column("summary", overflow="fold", min_width=20)
    for r in loaded:
        table.add_row(r.code, r.name, r.info.category, r.info.severity, r.info.fix, r.summary)
    out.print(table)


@app.command("rule")
def show_rule(code: str = typer.Argument(..., help="A rule's code or name."),
              rules: List[Path] = RulesOpt) -> None:
    """Explain one rule: what it finds, why it matters, an example before and after."""
    try:
        loaded = load_rules(rules)
    except PackError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    found = [r for r in loaded if r.code == code.upper() or r.name == code]
    if not found:
        err.print(f"[red]error:[/] no rule {code!r}; `auditor rules` lists them")
        raise typer.Exit(2)
    r = found[0]
    out.print(f"[bold]{r.code}[/] {r.name}  ({r.info.category}, {r.info.severity}, "
              f"fix: {r.info.fix}, check: {r.check})\n")
    out.print(f"[bold]What it finds[/]\n{r.summary}\n")
    out.print(f"[bold]Why it matters[/]\n{r.why}\n")
    for ex in r.examples:
        out.print("[bold]Before[/]", markup=True)
        out.print(ex.before, markup=False, highlight=False)
        if ex.after is not None:
            out.print("[bold]After[/]", markup=True)
            out.print(ex.after, markup=False, highlight=False)


if __name__ == "__main__":
    app()
