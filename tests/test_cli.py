"""The command line as a user drives it: audit, clean, rules, rule, and exit codes."""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report import COLUMNS

SAMPLES = Path(__file__).parent.parent / "sample_data"
runner = CliRunner()


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "in"
    shutil.copytree(SAMPLES, root / "news")
    return root


def test_clean_writes_every_file_at_its_relative_path_and_a_report(corpus, tmp_path):
    out, report = tmp_path / "out", tmp_path / "issues.csv"
    before = {p: p.read_bytes() for p in corpus.rglob("*.txt")}
    res = runner.invoke(app, ["clean", str(corpus), "--out", str(out), "--report", str(report), "-j", "1"])
    assert res.exit_code == 0, res.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert written == sorted(p.relative_to(corpus).as_posix() for p in before)
    assert {p: p.read_bytes() for p in corpus.rglob("*.txt")} == before  # inputs untouched
    rows = read_csv(report)
    assert list(rows[0].keys()) == COLUMNS
    assert {r["file"].split("/")[0] for r in rows} == {"news"}
    assert {r["action"] for r in rows} <= {"removed", "fixed", "flagged"}


def test_cleaned_file_keeps_the_header_line_on_its_own(corpus, tmp_path):
    out = tmp_path / "out"
    runner.invoke(app, ["clean", str(corpus), "--out", str(out), "-j", "1"])
    merged = (out / "news" / "000_c09f9be5b21b3bf1.txt").read_text(encoding="utf-8")
    assert merged.splitlines()[0] == " date 2025-03-13"
    assert merged.splitlines()[1].startswith("Russian forces have driven the Ukrainian army")
    nav = (out / "news" / "001_fbf9d7aa774f525d.txt").read_text(encoding="utf-8")
    assert nav.splitlines()[0] == " date 2024-12-03"
    headerless = (out / "news" / "004_cc470b77ab695863.txt").read_text(encoding="utf-8")
    assert not headerless.startswith(" date")


def test_audit_writes_only_the_report(corpus, tmp_path):
    report = tmp_path / "r.csv"
    res = runner.invoke(app, ["audit", str(corpus), "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert report.exists()
    assert sorted(os.listdir(tmp_path)) == ["in", "r.csv"]


def test_one_row_per_problem_and_every_hit_in_jsonl(corpus, tmp_path):
    csv_report, hits_report = tmp_path / "r.csv", tmp_path / "r.jsonl"
    res = runner.invoke(app, ["audit", str(corpus), "--report", str(csv_report), "-j", "1"])
    assert res.exit_code == 0, res.output
    runner.invoke(app, ["audit", str(corpus), "--report", str(hits_report), "--format", "jsonl",
                        "-j", "1"])
    problems = read_csv(csv_report)
    places = [(r["file"], r["category"], r["line"], r["end_line"]) for r in problems]
    assert len(places) == len(set(places))  # no two rows for the same lines and reason
    assert f"5 documents, {len(problems)} problems" in res.output
    # a caption line found by its credit, its lead phrase and its position is one row
    caption = next(r for r in problems if r["file"] == "news/001_fbf9d7aa774f525d.txt"
                   and r["line"] == "9" and r["category"] == "caption")
    assert (caption["rule"], caption["also"]) == ("CAP001", "CAP002 CAP003")
    # the JSONL report keeps every hit; each folded one names the row it is in
    hits = [json.loads(line) for line in hits_report.read_text(encoding="utf-8").splitlines()]
    assert len(hits) == sum(1 + len(r["also"].split()) for r in problems) > len(problems)
    by_place = {(r["file"], r["category"], r["line"], r["end_line"]): r for r in problems}
    for h in hits:
        row = by_place[(h["file"], h["category"], str(h["line"]), str(h["end_line"]))]
        if h["same_as"]:
            assert h["same_as"] == row["rule"] and h["rule"] in row["also"].split()
        else:
            assert (h["rule"], h["also"]) == (row["rule"], row["also"])


def test_output_is_the_same_whatever_the_jobs(corpus, tmp_path):
    for jobs in ("1", "2"):
        runner.invoke(app, ["clean", str(corpus), "--out", str(tmp_path / jobs),
                            "--report", str(tmp_path / f"{jobs}.csv"), "-j", jobs])
    one = {p.name: p.read_bytes() for p in (tmp_path / "1").rglob("*.txt")}
    two = {p.name: p.read_bytes() for p in (tmp_path / "2").rglob("*.txt")}
    assert one == two
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes()


def test_unreadable_file_is_reported_and_the_run_goes_on(corpus, tmp_path):
    if os.geteuid() == 0:
        bad = corpus / "news" / "zz_broken.txt"
        bad.symlink_to(corpus / "missing-target.txt")  # reading it fails even for root
    else:
        bad = corpus / "news" / "zz_broken.txt"
        bad.write_text("x")
        bad.chmod(0)
    out, report = tmp_path / "out", tmp_path / "r.csv"
    res = runner.invoke(app, ["clean", str(corpus), "--out", str(out), "--report", str(report), "-j", "1"])
    assert res.exit_code == 0, res.output
    rows = [r for r in read_csv(report) if r["file"] == "news/zz_broken.txt"]
    assert [(r["name"], r["severity"]) for r in rows] == [("unreadable-file", "error")]
    assert len(list((out / "news").glob("*.txt"))) == 5


def test_fail_on_sets_the_exit_code(corpus):
    assert runner.invoke(app, ["audit", str(corpus), "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["audit", str(corpus), "--fail-on", "never"]).exit_code == 0


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["audit", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(app, ["audit", str(SAMPLES), "--select", "ZZZ9"]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\ncode = "XYZ001"\nname = "x"\n')
    res = runner.invoke(app, ["audit", str(SAMPLES), "--rules", str(bad)])
    assert res.exit_code == 2
    assert "bad.toml" in res.output and "XYZ001" in res.output


def test_clean_refuses_to_write_over_its_input(corpus):
    res = runner.invoke(app, ["clean", str(corpus), "--out", str(corpus)])
    assert res.exit_code == 2


def test_select_limits_the_rules(corpus, tmp_path):
    report = tmp_path / "r.csv"
    runner.invoke(app, ["audit", str(corpus), "--report", str(report), "--select", "NAV001"])
    assert {r["rule"] for r in read_csv(report)} == {"NAV001"}


def test_rules_and_rule(tmp_path):
    res = runner.invoke(app, ["rules"])
    assert res.exit_code == 0 and "header-date-mismatch" in res.output and "NAV001" in res.output
    res = runner.invoke(app, ["rule", "NAV001"])
    assert res.exit_code == 0
    assert "Why it matters" in res.output and "Before" in res.output and "All sections" in res.output
    assert runner.invoke(app, ["rule", "NOPE999"]).exit_code == 2


def test_report_cells_cannot_run_as_formulas(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("=HYPERLINK(\"http://x\")\nFollow\n@SUM(1)\n", encoding="utf-8")
    report = tmp_path / "r.csv"
    runner.invoke(app, ["audit", str(src), "--report", str(report)])
    for row in read_csv(report):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_diff_shows_changes_and_writes_nothing(tmp_path, corpus):
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    res = runner.invoke(app, ["clean", str(corpus / "news" / "003_07ae68b80a89e615.txt"), "--diff"])
    assert res.exit_code == 0, res.output
    assert "--- a/003_07ae68b80a89e615.txt" in res.output
    assert "-Russian ministry of defence" in res.output
    assert "+The Russian ministry of defence announced" in res.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert runner.invoke(app, ["clean", str(corpus)]).exit_code == 2  # neither --out nor --diff


def test_github_annotations(corpus, tmp_path):
    report = tmp_path / "gh.txt"
    runner.invoke(app, ["audit", str(corpus), "--report", str(report), "--format", "github",
                        "--select", "NAV001"])
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.startswith("::warning file=news/") for line in lines)
    assert "::warning file=news/004_cc470b77ab695863.txt,line=4,endLine=4,title=NAV001 navigation-line::" in lines[-3]


def test_show_prints_file_line_and_rule(corpus):
    res = runner.invoke(app, ["audit", str(corpus), "--show", "--select", "NAV001"],
                        env={"NO_COLOR": "1"})
    assert "news/004_cc470b77ab695863.txt:4: NAV001 navigation-line (removed)" in res.output


def test_version():
    from auditor import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"auditor {__version__}"


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("All sections\nThe envoy arrived on Monday.\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "auditor", "audit", str(tmp_path),
                          "--report", str(tmp_path / "r.csv")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "NAV" in (tmp_path / "r.csv").read_text(encoding="utf-8")


def test_an_output_folder_inside_the_input_is_not_read_as_input(corpus):
    inputs = sorted(p.relative_to(corpus) for p in corpus.rglob("*.txt"))
    out = corpus / "cleaned"
    for _ in range(2):  # the second run finds the first run's output in the input folder
        res = runner.invoke(app, ["clean", str(corpus), "--out", str(out), "-j", "1"])
        assert res.exit_code == 0, res.output
        assert sorted(p.relative_to(out) for p in out.rglob("*.txt")) == inputs
