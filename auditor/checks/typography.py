"""Typographic damage fixed by pattern and replacement, declared in packs.

Each rule gives one regular expression and what to put in place of each match,
so a new kind of damage is a few lines of TOML.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document
from auditor.findings import Edit
from auditor.patterns import compile_pattern


@dataclass(frozen=True)
class ReplaceSettings:
    pattern: str
    replacement: str = ""
    message: str = "typographic damage"

    def __post_init__(self):
        _ = self.regex  # compile now, while the pack loads

    @cached_property
    def regex(self):
        return compile_pattern(self.pattern)


@register
class ReplaceCheck(Check):
    """Replaces every match of the rule's pattern in the body."""

    kind = "replace"
    Settings = ReplaceSettings

    def check(self, doc: Document, settings: ReplaceSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        start = doc.header.end if doc.header else 0
        for m in settings.regex.finditer(doc.text, start):
            new = m.expand(settings.replacement)
            if new != m.group():
                yield rule.finding(doc, m.start(), m.end(), settings.message,
                                   edit=Edit(m.start(), m.end(), new),
                                   excerpt=doc.text[max(0, m.start() - 30):m.end() + 30])
