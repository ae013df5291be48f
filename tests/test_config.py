"""Configuration from auditor.toml or pyproject.toml, merged with the command line."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from auditor.cli import app

SAMPLES = Path(__file__).parent.parent / "sample_data"
runner = CliRunner()
ARTICLE = " date 2025-03-13\nFollow\nRussian forces retook the town on Thursday, officials said.\nShare this\n"


def audit(tmp_path: Path, *args: str) -> pd.DataFrame:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = tmp_path / "r.csv"
    res = runner.invoke(app, ["audit", str(tmp_path / "in"), "--report", str(report), *args])
    assert res.exit_code == 0, res.output
    return pd.read_csv(report, dtype=str)


def test_config_is_found_upwards_and_applied(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text(
        'select = ["NAV001"]\n[severity]\nNAV001 = "error"\n', encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    rows = audit(tmp_path)
    assert set(rows["rule"]) == {"NAV001"} and set(rows["severity"]) == {"error"}


def test_pyproject_tool_section_and_rule_parameters(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.auditor]\nselect = ["navigation-line"]\n'
        '[tool.auditor.rule.NAV001]\nphrases = ["share this"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rows = audit(tmp_path)
    assert list(rows["excerpt"]) == ["Share this"]  # "Follow" is no longer in the phrase list


def test_command_line_select_replaces_config_and_ignore_adds(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('select = ["DAT"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert set(audit(tmp_path, "--select", "NAV001")["rule"]) == {"NAV001"}
    assert audit(tmp_path, "--select", "NAV001", "--ignore", "navigation-line").empty


def test_invalid_configuration_names_file_and_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text, key in [('selct = ["NAV"]\n', "selct"), ('min-confidence = 3\n', "min-confidence"),
                      ('[severity]\nNAV001 = "loud"\n', "severity.NAV001"),
                      ('[severity]\nZZZ999 = "error"\n', "severity.ZZZ999"),
                      ('[rule.NAV001]\nmax_wordz = 3\n', "rule.NAV001")]:
        (tmp_path / "auditor.toml").write_text(text, encoding="utf-8")
        res = runner.invoke(app, ["audit", str(SAMPLES)])
        assert res.exit_code == 2, text
        assert "auditor.toml" in res.output and key in res.output, res.output


def test_user_pack_patterns_run_on_re2(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[[rule]]\ncode = "ZZZ001"\nname = "my-rule"\ncategory = "navigation"\n'
                    'severity = "info"\ncheck = "lines"\nsummary = "s"\nwhy = "w"\n'
                    '[rule.params]\npatterns = ["(?<=x)y"]\n', encoding="utf-8")
    res = runner.invoke(app, ["audit", str(SAMPLES), "--rules", str(pack)])
    assert res.exit_code == 2 and "RE2" in res.output
    pack.write_text(pack.read_text().replace("(?<=x)y", "(a+)+b"), encoding="utf-8")
    rows = audit(tmp_path, "--rules", str(pack), "--select", "ZZZ001")
    assert rows.empty
