"""A user's own check kind, registered through the `auditor.checks` entry-point group
and used from a user's pack: the README's worked example, end to end."""
from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

import auditor.checks as checks
from auditor.cli import app

PLUGIN = '''
"""Flags lines that shout in capitals."""
from dataclasses import dataclass
from auditor.checks import Check, RuleInfo

@dataclass(frozen=True)
class ShoutSettings:
    min_letters: int = 12

class ShoutCheck(Check):
    kind = "shouting"
    Settings = ShoutSettings

    def check(self, doc, settings, rule: RuleInfo, ctx):
        for line in doc.body_lines:
            letters = [c for c in line.text if c.isalpha()]
            if len(letters) >= settings.min_letters and all(c.isupper() for c in letters):
                yield rule.remove_lines(doc, line, None, "line in capitals")
'''
PACK = '''
[[rule]]
code = "SHT001"
name = "shouting-line"
category = "navigation"
severity = "warning"
check = "shouting"
summary = "A line written all in capitals."
why = "Menus and banners shout; articles do not."
[rule.params]
min_letters = 10
'''


def test_entry_point_check_kind_runs_from_a_user_pack(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "shout_plugin.py").parent.mkdir(parents=True)
    (site / "shout_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    dist = site / "shout_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-plugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[auditor.checks]\nshouting = shout_plugin:ShoutCheck\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    monkeypatch.setattr(checks, "_loaded", False)
    pack = tmp_path / "shout.toml"
    pack.write_text(PACK, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("SUBSCRIBE TO OUR NEWSLETTER\nOfficials said on Thursday.\n")
    report = tmp_path / "r.csv"
    res = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--rules", str(pack),
                                   "--select", "SHT001", "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert "SHT001" in report.read_text() and "SUBSCRIBE TO OUR NEWSLETTER" in report.read_text()
    checks.REGISTRY.pop("shouting", None)
    sys.modules.pop("shout_plugin", None)
