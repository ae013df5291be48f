"""A rule that raises on one document is a finding on that document, never the end
of the run: the document passes through unchanged, the others are cleaned, and the
exit code tells a tool failure (3) from findings (1)."""
from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

import auditor.checks as checks
from auditor.api import RuleOptions, clean_document
from auditor.cli import app
from auditor.document import Document


@dataclass(frozen=True)
class _NoSettings:
    pass


class _Exploding(checks.Check):
    """Raises on any document that holds the word BOOM; finds nothing elsewhere."""

    kind = "exploding-test"
    Settings = _NoSettings

    def check(self, doc, settings, rule, ctx):
        if "BOOM" in doc.text:
            raise ValueError("min() arg is an empty sequence")
        return iter(())


PACK = '''
[[rule]]
code = "XPL001"
name = "exploding-rule"
category = "navigation"
severity = "warning"
check = "exploding-test"
summary = "A rule that raises, for the tests."
why = "To show that one rule's failure on one document does not stop a run."
'''


@pytest.fixture
def pack(tmp_path):
    checks.register(_Exploding)
    path = tmp_path / "exploding.toml"
    path.write_text(PACK, encoding="utf-8")
    yield path
    checks.REGISTRY.pop(_Exploding.kind, None)


def _corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(" date 2025-03-13\nAll sections\nThe envoy arrived.\n")
    (src / "b.txt").write_text(" date 2025-03-13\nAll sections\nBOOM went the market.\n")
    (src / "c.txt").write_text(" date 2025-03-13\nAll sections\nThe talks went on.\n")
    return src


def test_a_failing_rule_leaves_its_document_unchanged_and_names_itself(pack):
    text = " date 2025-03-13\nAll sections\nBOOM went the market.\n"
    options = RuleOptions(packs=(str(pack),))
    done = clean_document(Document(text, "b"), options)
    assert done.text == text and not done.changed
    [row] = [r for r in done.records if r["rule"] == "AUD001"]
    assert row["severity"] == "error" and row["name"] == "rule-failed"
    assert "XPL001" in row["message"] and "ValueError" in row["message"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_run_goes_on_and_exits_3(tmp_path, pack, jobs):
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    report = tmp_path / "r.csv"
    res = CliRunner().invoke(app, ["clean", str(src), "--out", str(out), "--report", str(report),
                                   "--rules", str(pack), "--jobs", jobs])
    assert res.exit_code == 3, res.output
    assert sorted(p.name for p in out.glob("*.txt")) == ["a.txt", "b.txt", "c.txt"]
    assert (out / "b.txt").read_bytes() == (src / "b.txt").read_bytes()
    assert "All sections" not in (out / "a.txt").read_text()
    assert "All sections" not in (out / "c.txt").read_text()
    with open(report, newline="", encoding="utf-8") as fh:
        failed = [r for r in csv.DictReader(fh) if r["rule"] == "AUD001"]
    assert [r["file"] for r in failed] == ["b.txt"]


def test_findings_alone_never_exit_3(tmp_path, pack):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(" date 2025-03-13\nAll sections\nThe envoy arrived.\n")
    res = CliRunner().invoke(app, ["audit", str(src), "--report", str(tmp_path / "r.csv"),
                                   "--rules", str(pack), "--fail-on", "warning"])
    assert res.exit_code == 1, res.output
