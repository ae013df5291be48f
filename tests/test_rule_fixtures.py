"""Every rule against its own fixture file, `tests/fixtures/rules/<CODE>.toml`.

A fixture holds named `[[case]]` tables: `text` (or bytes: `text` with `encoding`,
or `hex`; or `unreadable` for a file that cannot be read; `corpus`, the texts of other
documents for rules that read corpus statistics; `date_field` and `date_value`, a
record whose date comes from that field), the `lines` where the rule must
report (first line of each finding), and optionally `fixed`, the text after
cleaning with that rule alone. The harness checks, for every case:
- the rule reports exactly at `lines`;
- a case without `fixed` comes out unchanged; one with `fixed` comes out as `fixed`;
- the fixed text no longer triggers the rule;
- the action matches the rule's declared fix kind.
Rule examples declared in the packs run here too.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditor.document import Document
from auditor.corpusstats import collect
from auditor.engine import Engine
from auditor.load import document_from_bytes, unreadable_document
from auditor.rulepack import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULES = {r.code: r for r in load_rules()}
ACTIONS = {"remove": {"removed"}, "fix": {"fixed", "removed"}, "flag": {"flagged"}}


def cases():
    for path in sorted(FIXTURES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get("case", [])):
            yield pytest.param(path.stem, case, id=f"{path.stem}-{case.get('name', i)}")


def examples():
    for rule in RULES.values():
        for i, ex in enumerate(rule.examples):
            case = {"text": ex.before, "lines": list(ex.lines), "encoding": ex.encoding,
                    "hex": ex.hex, "unreadable": ex.unreadable}
            case = {k: v for k, v in case.items() if v is not None}
            if ex.after is not None and ex.after != ex.before:
                case["fixed"] = ex.after
            yield pytest.param(rule.code, case, id=f"{rule.code}-example-{i}")


def document(case: dict) -> Document:
    """The case's input: its text, or bytes (`encoding`, `hex`), or an unreadable file."""
    if "unreadable" in case:
        return unreadable_document("case.txt", case["unreadable"])
    if "hex" in case:
        return document_from_bytes(bytes.fromhex(case["hex"]), "case.txt")
    if "encoding" in case:
        return document_from_bytes(case["text"].encode(case["encoding"]), "case.txt")
    if "date_field" in case:
        return Document(case["text"], "case.jsonl#1", date_field=case["date_field"],
                        date_value=case.get("date_value"))
    return Document(case["text"], "case.txt")


def run_case(code: str, case: dict):
    rule = RULES[code]
    engine = Engine([rule])
    corpus = None
    if "corpus" in case:  # the other documents of the corpus, for the statistics pass
        corpus = collect([document(case)] + [Document(t, f"other-{i}.txt")
                                             for i, t in enumerate(case["corpus"])])
    result = engine.run(document(case), corpus)
    mine = [f for f in result.findings if f.rule == code]
    assert sorted({f.line for f in mine}) == sorted(case.get("lines", [])), \
        [(f.line, f.message, f.excerpt) for f in mine]
    expected = case.get("fixed", result.doc.text)
    assert result.cleaned == expected
    if "fixed" in case:
        again = [f for f in engine.run(Document(result.cleaned, "case.txt"), corpus).findings
                 if f.rule == code and f.edit is not None]
        assert not again, [(f.line, f.excerpt) for f in again]
    for f in mine:
        if f.edit is not None and f.action != "flagged":
            assert f.action in ACTIONS[rule.info.fix]


@pytest.mark.parametrize("code,case", list(cases()))
def test_fixture_case(code, case):
    assert code in RULES, f"fixture {code}.toml names no rule"
    run_case(code, case)


@pytest.mark.parametrize("code,case", list(examples()))
def test_pack_example(code, case):
    run_case(code, case)


def test_every_rule_has_fixtures_and_docs():
    for code, rule in RULES.items():
        path = FIXTURES / f"{code}.toml"
        assert path.exists(), f"{code} has no fixture file"
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = {bool(c.get("lines")) for c in data.get("case", [])}
        assert kinds == {True, False}, f"{code} needs a positive and a negative case"
        assert rule.summary and rule.why, f"{code} lacks docs"
        assert rule.examples, f"{code} declares no example"
