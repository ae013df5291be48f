"""What a rule's patterns require before they are run: `patterns.required_literals`."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditor.checks.lines import fold
from auditor.patterns import required_literals
from auditor.rulepack import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


@pytest.mark.parametrize("pattern, needed", [
    (r"\ball rights reserved\b", {"all rights reserved"}),
    (r"(?:is|are) (?:provided )?for informational purposes only", {"for informational purposes only"}),
    (r"click(?:ing)? here|klicken sie hier", {"click", "klicken sie hier"}),
    (r"(?:market )+data", {"market "}),
    (r"x*y", {"y"}),
])
def test_every_match_holds_one_of_the_strings(pattern, needed):
    assert required_literals(pattern) == needed


@pytest.mark.parametrize("pattern", [r"(?i)rights reserved", r"\d+ min|.*", r"[ab]c?", r"(?=x)"])
def test_no_set_when_a_match_needs_no_fixed_string(pattern):
    assert required_literals(pattern) is None


def test_the_screen_never_hides_a_match_of_the_shipped_rules():
    # every line of the rule fixtures and pack examples that a shipped rule's
    # `contains` patterns match holds one of the strings its screen looks for
    texts = [e.before for rule in load_rules() for e in rule.examples]
    for path in FIXTURES.glob("*.toml"):
        texts += [case.get("text", "") for case in tomllib.loads(path.read_text("utf-8"))["case"]]
    checked = 0
    for rule in load_rules():
        needs = rule.settings.needs if rule.check == "lines" else None
        if needs is None:
            continue
        for text in texts:
            for line in text.splitlines():
                folded = fold(line)
                if rule.settings.finder.search(folded):
                    checked += 1
                    assert any(s in folded for s in needs), (rule.code, line)
    assert checked >= 10
