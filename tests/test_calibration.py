"""A removing rule's confidence is its measured removal precision, and the default
--min-confidence turns every rule measured below it into one that only flags."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from typer.testing import CliRunner

import auditor.checks as checks
from auditor.api import DEFAULT_MIN_CONFIDENCE, RuleOptions, clean_text
from auditor.cli import app
from auditor.document import Document
from auditor.engine import Engine
from auditor.rulepack import calibration_file, configure, load_rules

RULES = load_rules()
TABLE = tomllib.loads(calibration_file().read_text(encoding="utf-8"))


def test_every_removing_rule_was_measured():
    """A new or changed removing rule needs `benchmarks/calibrate.py --write`."""
    removing = {r.code for r in load_rules(calibrated=False) if r.info.fix == "remove"}
    assert removing <= set(TABLE), sorted(removing - set(TABLE))
    for code in removing:
        entry = TABLE[code]
        assert "confidence" in entry or entry.get("measured") is False, code


def test_findings_carry_the_measured_confidence():
    rule = next(r for r in RULES if r.code == "NAV001")
    assert rule.info.confidence == TABLE["NAV001"]["confidence"]
    result = clean_text("All sections\nThe envoy arrived in Moscow on Thursday for talks.\n")
    [found] = [f for f in result.findings if f.rule == "NAV001"]
    assert found.confidence == TABLE["NAV001"]["confidence"] and found.action == "removed"


def test_a_rule_measured_below_the_default_only_flags():
    code = "NAV208"  # affiliate disclosures: one benchmark counts them as article text
    assert TABLE[code]["confidence"] < DEFAULT_MIN_CONFIDENCE
    text = ("The new model costs less than last year's.\n"
            "FTC: We use income earning auto affiliate links. More.\n")
    flagged = [f for f in clean_text(text).findings if f.rule == code]
    assert [f.action for f in flagged] == ["flagged"]
    assert clean_text(text).cleaned == text
    removed = clean_text(text, RuleOptions(min_confidence=0.0))
    assert "affiliate" not in removed.cleaned


def test_a_users_own_confidence_wins():
    [rule] = configure([r for r in RULES if r.code == "NAV208"], params=[("NAV208", {})])
    assert rule.info.confidence is not None  # other parameters keep the measured figure
    [rule] = configure([rule], params=[("NAV208", {"confidence": 0.95})])
    text = "Intro sentence of the article.\nAs an Amazon Associate I earn from qualifying purchases.\n"
    result = Engine([rule], min_confidence=DEFAULT_MIN_CONFIDENCE).run(Document(text))
    assert [(f.confidence, f.action) for f in result.findings] == [(0.95, "removed")]


def test_rule_explains_how_sure_it_is():
    out = CliRunner().invoke(app, ["rule", "NAV208"]).output
    assert "How sure it is" in out and "only flags" in out
    assert "snippets" in out and "bench" in out
    out = CliRunner().invoke(app, ["rule", "NAV001"]).output
    assert f"Confidence {TABLE['NAV001']['confidence']:.3f}" in out and "it removes" in out


@dataclass(frozen=True)
class _NoSettings:
    pass


class _FirstLineOnly(checks.Check):
    """Removes the first line of a document when it lists an ingredient, and no other
    line: a stand-in for a rule that removes by position (page chrome, a headline)."""

    kind = "first-line-test"
    phase = 2  # judged in the same pass as the repeats
    Settings = _NoSettings

    def check(self, doc, settings, rule, ctx):
        lines = doc.body_lines
        if lines and lines[0].stripped.startswith("Two cups"):
            yield rule.remove_lines(doc, lines[0], None, "first line")


def test_a_repeat_stays_when_another_rule_removes_the_line_it_repeats(tmp_path):
    checks.register(_FirstLineOnly)
    try:
        pack = tmp_path / "first.toml"
        pack.write_text('[[rule]]\ncode = "FST001"\nname = "first-line"\ncategory = "layout"\n'
                        'severity = "info"\ncheck = "first-line-test"\nsummary = "s"\nwhy = "w"\n',
                        encoding="utf-8")
        rules = [r for r in load_rules([pack]) if r.code in ("FST001", "DUP001")]
        line = "Two cups of flour and a pinch of salt"
        text = f"{line}\nMix them well in a large bowl before the butter goes in.\n{line}\n"
        result = Engine(rules).run(Document(text))
        # the first copy goes with FST001, so the second stays in its place
        assert result.cleaned == f"Mix them well in a large bowl before the butter goes in.\n{line}\n"
        assert Engine(rules).run(Document(result.cleaned)).cleaned == result.cleaned
        kept = [f for f in result.findings if f.rule == "DUP001" and f.line == 3]
        assert kept and kept[0].action == "flagged" and "kept" in kept[0].message
    finally:
        checks.REGISTRY.pop(_FirstLineOnly.kind, None)
