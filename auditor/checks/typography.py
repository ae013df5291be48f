"""Typographic damage fixed by pattern and replacement, declared in packs.

Each rule gives one regular expression and what to put in place of each match,
so a new kind of damage is a few lines of TOML.
"""
from __future__ import annotations

import re
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

    @cached_property
    def needs(self) -> tuple[str, frozenset]:
        """What every match must have in or right around it: a literal string
        (two characters or more) or one of a few characters; `("", ∅)` if unknown.

        A text without it cannot match, and a substring test is far cheaper than
        running a pattern that opens with a lookbehind at every position.
        """
        return required_text(self.pattern)


def required_text(pattern: str) -> tuple[str, frozenset]:
    """A literal that any match of `pattern` contains (or touches, through a
    lookahead), and a set of characters one of which it must contain."""
    from re import _constants as C, _parser  # Python 3.11+, as the project requires

    try:
        parsed = _parser.parse(pattern)
    except Exception:  # an unusual pattern: no shortcut, the regex decides
        return "", frozenset()
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return "", frozenset()
    found: list[str] = []
    charsets: list[frozenset] = []
    run = ""
    for op, arg in parsed:
        if op is C.LITERAL:
            run += chr(arg)
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = arg
            if lo >= 1 and len(sub) == 1 and sub[0][0] is C.LITERAL:
                char = chr(sub[0][1])
                run += char * lo
                if hi != lo:  # what follows comes after some number of `char`: the last one
                    found.append(run)
                    run = char
                continue
        elif op is C.IN and all(o is C.LITERAL for o, _ in arg):
            charsets.append(frozenset(chr(a) for _, a in arg))
        elif op is C.ASSERT and arg[0] == 1:  # a lookahead: what comes next, unconsumed
            lead = ""
            for sop, sarg in arg[1]:
                if sop is not C.LITERAL:
                    break
                lead += chr(sarg)
            found.append(run + lead)
            run = ""
            continue
        found.append(run)
        run = ""
    found.append(run)
    literal = max(found, key=len)
    charset = min(charsets, key=len, default=frozenset())
    return (literal if len(literal) >= 2 else ""), charset


@register
class ReplaceCheck(Check):
    """Replaces every match of the rule's pattern in the body."""

    kind = "replace"
    Settings = ReplaceSettings

    def check(self, doc: Document, settings: ReplaceSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        start = doc.header.end if doc.header else 0
        literal, chars = settings.needs
        text = doc.text
        if literal and literal not in text or chars and not any(c in text for c in chars):
            return
        for m in settings.regex.finditer(doc.text, start):
            new = m.expand(settings.replacement)
            if new != m.group():
                yield rule.finding(doc, m.start(), m.end(), settings.message,
                                   edit=Edit(m.start(), m.end(), new),
                                   excerpt=doc.text[max(0, m.start() - 30):m.end() + 30])
