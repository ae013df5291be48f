"""The `auditor` command: thin over the library (parse options, call, print).

Exit codes: 0 the run finished (findings or not); 1 a finding at or above
`--fail-on` exists; 2 bad usage or configuration (missing path, bad rule pack,
unknown selector); 3 the tool itself failed: a rule raised on some document
(reported as `AUD001 rule-failed`, the document left as it was, the run carried
on) or the run stopped on an error of its own; 130 interrupted. A file that
cannot be read is a finding, never an exit.
"""
from __future__ import annotations

import difflib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from auditor import __version__, corpus
from auditor.api import DEFAULT_MIN_CONFIDENCE, RuleOptions
from auditor.corpusstats import write_pack
from auditor.config import Config, ConfigError, find_config, load_config
from auditor.engine import FAILED, MAX_CHARS
from auditor.editlog import EditLog, restore as restore_originals
from auditor.findings import SEVERITIES
from auditor.html import Summary, render

TOOL_FAILED = 3  # exit code: the tool itself failed (see the module's docstring)
from auditor.report import FORMATS, ReportWriter, is_problem, read_report
from auditor.rulepack import PackError, load_rules

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit and clean the text and metadata of scraped news articles.")
err = Console(stderr=True)
out = Console()
PROGRESS_MIN_FILES = 20


def _version(value: bool) -> None:
    if value:
        out.print(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Audit and clean the text and metadata of scraped news articles."""

PathsArg = typer.Argument(..., help="Files or folders of .txt articles.", show_default=False)
ReportOpt = typer.Option(None, "--report", "-r", help="Write the issue report here.")
FormatOpt = typer.Option("csv", "--format", help=f"Report format: {', '.join(FORMATS)}.")
RulesOpt = typer.Option([], "--rules", help="An extra rule pack (TOML); repeatable.")
SelectOpt = typer.Option([], "--select", help="Only these rules (code, prefix or name); repeatable.")
IgnoreOpt = typer.Option([], "--ignore", help="Skip these rules (code, prefix or name); repeatable.")
ExtendOpt = typer.Option([], "--extend-select", help="Add rules to the default set; repeatable.")
ConfigOpt = typer.Option(None, "--config", help="Configuration file (default: auditor.toml or "
                         "[tool.auditor] in pyproject.toml, searched from here upwards).")
ConfOpt = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                       help="Findings below this confidence are flagged, not fixed "
                       "[default: 0.6].")
JobsOpt = typer.Option(None, "--jobs", "-j", min=0, help="Worker processes (0: all cores).")
TextFieldOpt = typer.Option("text", "--text-field", help="JSONL/Parquet: the field with the text.")
IdFieldOpt = typer.Option(None, "--id-field", help="JSONL/Parquet: the field with the document id.")
DateFieldOpt = typer.Option(None, "--date-field", help="JSONL/Parquet: the field with the "
                            "publication date (ISO 8601), judged as the date header is.")
EngineOpt = typer.Option("local", "--engine", help="local (process pool) or dask.")
SchedulerOpt = typer.Option(None, "--scheduler", help="Dask scheduler address (default: start "
                            "a local cluster of --jobs workers).")
StatsOpt = typer.Option(True, "--corpus-stats/--no-corpus-stats",
                        help="Count lines across the corpus first, so that lines recurring in "
                        "many documents of a source can be removed (NAV150).")
HtmlOpt = typer.Option(None, "--html", help="Also write a self-contained HTML report here.")
ShowOpt = typer.Option(False, "--show", help="Print every finding as file:line: RULE message.")
FailOpt = typer.Option(None, "--fail-on", help="Exit 1 when a finding at or above this "
                       "severity exists: error, warning, info or never.")


def _config(path: Path | None) -> Config:
    try:
        return load_config(path or find_config())
    except ConfigError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)


def _options(conf: Config, rules, select, ignore, extend, min_conf) -> RuleOptions:
    """Rule options from the configuration file, with the command line on top:
    `--select` replaces the file's selection; packs, ignores and extensions add up."""
    opts = RuleOptions(
        packs=conf.packs + tuple(map(str, rules)), select=tuple(select) or conf.select,
        ignore=conf.ignore + tuple(ignore), extend_select=conf.extend_select + tuple(extend),
        min_confidence=_pick(min_conf, conf.min_confidence, DEFAULT_MIN_CONFIDENCE),
        max_chars=conf.max_chars or MAX_CHARS, severity=conf.severity, params=conf.params,
        config=str(conf.path or ""))
    try:
        opts.engine()
    except PackError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    return opts


def _pick(*values):
    """The first value that was given."""
    return next(v for v in values if v is not None)


def _fields(conf: Config, text: str, id_: str | None, date: str | None) -> corpus.Fields:
    """Where records keep their text, id and date; `--date-field` over the file's."""
    return corpus.Fields(text, id_, date or conf.date_field)


def _sources(paths: list[Path], out_dir: Path | None = None) -> corpus.Sources:
    try:
        return corpus.Sources(paths, skip=[out_dir] if out_dir is not None else [])
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)


@dataclass
class RunSettings:
    """How a run executes, whatever it computes."""

    report: Path | None = None
    fmt: str = "csv"
    out_dir: Path | None = None
    jobs: int = 0
    fail_on: str = "never"
    fields: corpus.Fields = corpus.Fields()
    engine: str = "local"
    scheduler: str | None = None
    edits: Path | None = None
    stats: bool = True
    resume: bool = False
    diff: bool = False
    show: bool = False
    html: Path | None = None


def _run(paths: list[Path], options: RuleOptions, rs: RunSettings) -> None:
    if rs.fail_on not in SEVERITIES + ("never",):
        err.print(f"[red]error:[/] --fail-on takes error, warning, info or never, not {rs.fail_on!r}")
        raise typer.Exit(2)
    if rs.fmt not in FORMATS:
        err.print(f"[red]error:[/] --format takes {', '.join(FORMATS)}, not {rs.fmt!r}")
        raise typer.Exit(2)
    if rs.engine not in ("local", "dask"):
        err.print(f"[red]error:[/] --engine takes local or dask, not {rs.engine!r}")
        raise typer.Exit(2)
    sources = _sources(paths, rs.out_dir)
    jobs = rs.jobs or os.cpu_count() or 1
    thresholds = _stats_thresholds(options)
    stats = _stats(sources, rs, jobs, *thresholds) if rs.stats and thresholds else None
    if rs.resume and rs.out_dir is not None:
        out_dir = rs.out_dir
        done = sum(1 for s in sources if (out_dir / s.rel).exists())
        sources = sources.where(lambda s: not (out_dir / s.rel).exists())
        err.print(f"resuming: {done} file(s) already written, {len(sources)} to go")
    writer = ReportWriter(rs.report, rs.fmt, append=rs.resume) if rs.report else None
    log = EditLog(rs.edits, append=rs.resume, fields=rs.fields) if rs.edits else None
    output = corpus.Output(rs.out_dir, rs.fields) if rs.out_dir is not None else None
    tally = Tally()
    summary = Summary() if rs.html else None
    count, only_text = sources.census
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(),
                        console=err, transient=True,
                        disable=count < PROGRESS_MIN_FILES and only_text
                        or not err.is_terminal)
    items = corpus.read_items(sources, rs.fields)
    try:
        with progress:
            task = progress.add_task("cleaning" if output else "auditing",
                                     total=count if only_text else None, rate="-")
            for item, result in corpus.map_documents(items, options, jobs, rs.engine, rs.scheduler,
                                                           stats):
                written = output.write(item, result) if output else False
                tally.add(result, written)
                if log:
                    log.add(item, result, written)
                if writer:
                    writer.write(result.records)
                if summary is not None:
                    summary.add(result.records)
                if rs.show:
                    _show(result.records)
                if rs.diff and result.changed:
                    _diff(item.doc.text, result.text, result.id)
                elapsed = progress.tasks[0].elapsed or 0
                progress.update(task, advance=1,
                                rate=f"{tally.docs / elapsed:,.0f}" if elapsed > 0.5 else "-")
    except BaseException as exc:
        for sink in (output, log):  # a record file still being written is dropped, never half-kept
            if sink:
                sink.abort()
        if isinstance(exc, KeyboardInterrupt):
            err.print(f"[yellow]interrupted[/] after {tally.docs} documents; "
                      "every file written so far is complete")
            raise typer.Exit(130)
        if isinstance(exc, Exception):
            err.print(f"[red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} "
                      f"after {tally.docs} documents; every file written so far is complete")
            raise typer.Exit(TOOL_FAILED) from exc
        raise
    finally:
        for sink in (output, writer, log):
            if sink:
                sink.close()
    if summary is not None:
        corpus.write_atomic(rs.html, render(summary, documents=tally.docs))
    _summary(tally, rs)
    if tally.failed:
        err.print(f"[red]error:[/] a rule failed on {tally.failed} document(s), left as they "
                  f"were (report rows {FAILED} rule-failed)")
        raise typer.Exit(TOOL_FAILED)
    if rs.fail_on != "never" and tally.worst >= SEVERITIES.index(rs.fail_on):
        raise typer.Exit(1)


def _stats(sources: corpus.Sources, rs: RunSettings, jobs: int, min_docs: int = 2,
           min_share: float = 0.0):
    """The first pass: how often each short line recurs across the whole corpus."""
    with err.status("counting recurring lines (statistics pass)…"):
        return corpus.collect_stats(corpus.read_items(sources, rs.fields), jobs, rs.engine,
                                    rs.scheduler, min_docs, min_share)


def _stats_thresholds(options: RuleOptions) -> tuple[int, float] | None:
    """The lowest (min_docs, min_share) of the selected rules that read corpus
    statistics, or None when none is selected (then there is no first pass)."""
    readers = [r.settings for r in options.engine().rules if r.check == "corpus-lines"]
    if not readers:
        return None
    return min(s.min_docs for s in readers), min(s.min_share for s in readers)


def _show(records: list[dict]) -> None:
    """One line per finding, as linters print them: file:line: CODE message."""
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}
    for r in filter(is_problem, records):
        also = f" [dim](also {r['also']})[/]" if r["also"] else ""
        out.print(f"{r['file']}:{r['line']}: [bold {colour[r['severity']]}]{r['rule']}[/] "
                  f"{escape(r['name'])} [dim]({r['action']})[/] {escape(r['message'])}{also}",
                  highlight=False, soft_wrap=True)


def _diff(before: str, after: str, name: str) -> None:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    for line in lines:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else None
        text = line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        out.print(text, style=style, end="", markup=False, highlight=False, soft_wrap=True)


@dataclass
class Tally:
    """Counts for the summary table: problems by category and action (a hit folded
    into another rule's row is not counted again); the worst severity of any hit."""

    docs: int = 0
    changed: int = 0
    written: int = 0
    unreadable: int = 0
    failed: int = 0
    worst: int = -1
    by_cat: Counter = field(default_factory=Counter)
    by_action: Counter = field(default_factory=Counter)

    def add(self, result, written: bool) -> None:
        self.docs += 1
        self.changed += result.changed
        self.written += written
        self.unreadable += bool(result.error)
        self.failed += any(r["rule"] == FAILED for r in result.records)
        for r in result.records:
            self.worst = max(self.worst, SEVERITIES.index(r["severity"]))
        for r in filter(is_problem, result.records):
            self.by_cat[r["category"]] += 1
            self.by_action[(r["category"], r["action"])] += 1


def _summary(t: Tally, rs: RunSettings) -> None:
    table = Table(title=f"{t.docs} documents, {sum(t.by_cat.values())} problems",
                  title_justify="left")
    for col in ("category", "problems", "removed", "fixed", "flagged"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for cat, n in sorted(t.by_cat.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(cat, str(n), *(str(t.by_action[(cat, a)]) for a in ("removed", "fixed", "flagged")))
    err.print(table)
    if rs.out_dir is not None:
        err.print(f"cleaned: {t.written} documents written to {rs.out_dir} ({t.changed} changed)")
    if t.unreadable:
        err.print(f"[yellow]{t.unreadable} document(s) could not be read[/]; see the report")
    if rs.report:
        err.print(f"report: {rs.report}")
    if rs.html:
        err.print(f"HTML report: {rs.html}")


@app.command()
def audit(paths: List[Path] = PathsArg, report: Optional[Path] = ReportOpt,
          fmt: str = FormatOpt, rules: List[Path] = RulesOpt, select: List[str] = SelectOpt,
          ignore: List[str] = IgnoreOpt, extend_select: List[str] = ExtendOpt,
          min_confidence: Optional[float] = ConfOpt, jobs: Optional[int] = JobsOpt,
          fail_on: Optional[str] = FailOpt, text_field: str = TextFieldOpt,
          id_field: Optional[str] = IdFieldOpt, date_field: Optional[str] = DateFieldOpt,
          engine: str = EngineOpt, scheduler: Optional[str] = SchedulerOpt,
          config: Optional[Path] = ConfigOpt, show: bool = ShowOpt,
          html: Optional[Path] = HtmlOpt, corpus_stats: bool = StatsOpt) -> None:
    """Find problems and write the issue report; change nothing."""
    conf = _config(config)
    options = _options(conf, rules, select, ignore, extend_select, min_confidence)
    _run(paths, options, RunSettings(report, fmt, None, _pick(jobs, conf.jobs, 0),
                                     _pick(fail_on, conf.fail_on, "never"),
                                     _fields(conf, text_field, id_field, date_field), engine,
                                     scheduler, show=show, html=html, stats=corpus_stats))


@app.command()
def clean(paths: List[Path] = PathsArg,
          out_dir: Optional[Path] = typer.Option(None, "--out", "-o",
                                                 help="Write cleaned files here."),
          report: Optional[Path] = ReportOpt, fmt: str = FormatOpt,
          rules: List[Path] = RulesOpt, select: List[str] = SelectOpt,
          ignore: List[str] = IgnoreOpt, extend_select: List[str] = ExtendOpt,
          min_confidence: Optional[float] = ConfOpt, jobs: Optional[int] = JobsOpt,
          fail_on: Optional[str] = FailOpt, text_field: str = TextFieldOpt,
          id_field: Optional[str] = IdFieldOpt, date_field: Optional[str] = DateFieldOpt,
          engine: str = EngineOpt, scheduler: Optional[str] = SchedulerOpt,
          config: Optional[Path] = ConfigOpt,
          edits: Optional[Path] = typer.Option(None, "--edits", help="Log every edit here "
                                               "(JSONL); `auditor restore` undoes them."),
          resume: bool = typer.Option(False, "--resume", help="Skip inputs whose output "
                                      "exists; append to the report and edit log."),
          diff: bool = typer.Option(False, "--diff", help="Print what clean would change as "
                                    "a unified diff; write no cleaned files."),
          show: bool = ShowOpt, corpus_stats: bool = StatsOpt) -> None:
    """Write cleaned copies under --out (same relative paths) and the issue report."""
    conf = _config(config)
    options = _options(conf, rules, select, ignore, extend_select, min_confidence)
    if diff:
        out_dir = None
    elif out_dir is None:
        err.print("[red]error:[/] clean needs --out DIR (or --diff to only show the changes)")
        raise typer.Exit(2)
    resolved = out_dir.resolve() if out_dir else None
    for p in paths if resolved else ():
        if p.is_file() and p.resolve().parent == resolved:
            err.print(f"[red]error:[/] --out {out_dir} would overwrite the input {p}")
            raise typer.Exit(2)
        if p.is_dir() and p.resolve() == resolved:
            err.print(f"[red]error:[/] --out {out_dir} is the input folder; choose another")
            raise typer.Exit(2)
    _run(paths, options, RunSettings(report, fmt, out_dir, _pick(jobs, conf.jobs, 0),
                                     _pick(fail_on, conf.fail_on, "never"),
                                     _fields(conf, text_field, id_field, date_field), engine,
                                     scheduler, edits, corpus_stats, resume, diff, show))


@app.command()
def learn(paths: List[Path] = PathsArg,
          out_file: Path = typer.Option(..., "--out", "-o", help="Write the learned pack here."),
          min_docs: int = typer.Option(5, "--min-docs", min=2, help="A line must recur in at "
                                       "least this many documents of its source."),
          min_share: float = typer.Option(0.05, "--min-share", min=0.0, max=1.0,
                                          help="...and in at least this share of them."),
          code: str = typer.Option("LRN001", "--code", help="The rule code of the pack."),
          text_field: str = TextFieldOpt, jobs: Optional[int] = JobsOpt) -> None:
    """Learn a corpus's recurring boilerplate lines into a rule pack to review and reuse."""
    sources = _sources(paths)
    rs = RunSettings(fields=corpus.Fields(text_field))
    stats = _stats(sources, rs, jobs or os.cpu_count() or 1, min_docs, min_share)
    write_pack(stats, out_file, min_docs=min_docs, min_share=min_share, code=code)
    learned = len(stats.recurring(min_docs, min_share))
    err.print(f"learned {learned} recurring line(s) from {sum(stats.docs.values())} documents: "
              f"{out_file} (use it with --rules {out_file})")


@app.command()
def restore(cleaned_dir: Path = typer.Argument(..., help="A folder written by `auditor clean`."),
            edits: Path = typer.Option(..., "--edits", help="The edit log `clean --edits` wrote."),
            out_dir: Path = typer.Option(..., "--out", "-o", help="Write the originals here.")) -> None:
    """Rebuild the original files from a cleaned folder and its edit log: .txt and JSONL
    byte for byte, Parquet with the same schema and values."""
    if not edits.is_file():
        err.print(f"[red]error:[/] no edit log at {edits}")
        raise typer.Exit(2)
    restored = failed = 0
    for file, problem in restore_originals(cleaned_dir, edits, out_dir):
        if problem:
            err.print(f"[red]{escape(file)}:[/] {escape(problem)}")
            failed += 1
        else:
            restored += 1
    err.print(f"restored {restored} file(s) to {out_dir}" + (f", {failed} failed" if failed else ""))
    if failed:
        raise typer.Exit(1)


@app.command()
def report(findings: Path = typer.Argument(..., help="A report written by audit or clean "
                                           "(CSV, JSONL or JSON)."),
           html_out: Path = typer.Option(..., "--html", help="Write the HTML report here.")) -> None:
    """Turn a findings report into a self-contained HTML page with charts."""
    try:
        frame = read_report(findings)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/] cannot read {findings}: {exc}")
        raise typer.Exit(2)
    missing = [c for c in ("file", "rule", "name", "category", "severity", "action") if c not in frame]
    if missing:
        err.print(f"[red]error:[/] {findings} is not a findings report (no {', '.join(missing)})")
        raise typer.Exit(2)
    summary = Summary()
    records = frame.astype(object).where(frame.notna(), "").to_dict("records")
    for r in records:
        if isinstance(r["excerpt"], str) and r["excerpt"].startswith("'"):
            r["excerpt"] = r["excerpt"][1:]  # undo the CSV formula guard for display
    summary.add(records)
    corpus.write_atomic(html_out, render(summary, title=f"auditor report: {findings.name}"))
    err.print(f"HTML report: {html_out} ({len(records):,} findings)")


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
    table.add_column("summary", overflow="fold")
    for r in loaded:
        table.add_row(r.code, r.name, r.info.category, r.info.severity, r.info.fix, r.summary)
    out.print(table)


def _reflow(text: str) -> str:
    """Paragraphs of a pack's hard-wrapped prose as single lines, for the terminal to wrap."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


SET_NAMES = {"bench": "bench (news pages, 9 extractors)",
             "snippets": "snippets (trafilatura's evaluation pages, 9 extractors)",
             "appended": "appended (article bodies, half with a story appended)"}


def _measured(rule) -> str:
    """What `benchmarks/calibrate.py` measured for a removing rule, in words."""
    c = rule.calibration
    value = rule.info.confidence
    lines = []
    if value is None:
        lines.append(f"Not measured: {c['note']}." if c.get("note") else
                     "Not measured: it removed too little on the public benchmarks to judge.")
    else:
        acts = "removes" if value >= DEFAULT_MIN_CONFIDENCE else "only flags"
        lines.append(f"Confidence {value:.3f}: the share of its removals that were not article "
                     f"text, the lowest of the sets judged; at the default --min-confidence "
                     f"{DEFAULT_MIN_CONFIDENCE} it {acts}.")
    for name, label in SET_NAMES.items():
        fig = c.get(name)
        if not isinstance(fig, dict):
            continue
        unit = fig.get("unit", "")
        judged = "" if fig.get("judged") or c.get("note") else " (too little to judge)"
        lines.append(f"  {label}: {fig['noise']} {unit} of noise removed, {fig['text']} of "
                     f"article text; precision {fig['precision']}{judged}")
    lines.append(f"Measured {c.get('measured_on', '?')} on {c.get('data', '?')}.")
    return "\n".join(lines)


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
    out.print("[bold]What it finds[/]")
    out.print(_reflow(r.summary) + "\n", markup=False, highlight=False)
    out.print("[bold]Why it matters[/]")
    out.print(_reflow(r.why) + "\n", markup=False, highlight=False)
    if r.calibration:
        out.print("[bold]How sure it is[/]")
        out.print(_measured(r) + "\n", markup=False, highlight=False)
    for ex in r.examples:
        out.print("[bold]Before[/]", markup=True)
        out.print(ex.before, markup=False, highlight=False)
        if ex.after is not None:
            out.print("[bold]After[/]", markup=True)
            out.print(ex.after, markup=False, highlight=False)


if __name__ == "__main__":
    app()
