"""Compiling the regular expressions that rule packs declare.

The built-in packs are reviewed (and fed adversarial lines in a benchmark), so
they compile with Python's `re`. Patterns from a user's pack compile with RE2,
which runs in linear time whatever the pattern: a pattern RE2 cannot take
(backreferences, lookaround) is rejected when the pack loads, with the reason.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_trusted: ContextVar[bool] = ContextVar("trusted_patterns", default=True)


@contextmanager
def untrusted() -> Iterator[None]:
    """Within this block, patterns come from a user's pack."""
    token = _trusted.set(False)
    try:
        yield
    finally:
        _trusted.reset(token)


def compile_pattern(pattern: str, flags: int = 0):
    """A compiled pattern with `search`, `fullmatch` and `finditer`; raises ValueError."""
    if _trusted.get():
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not flags & re.IGNORECASE
    options.dot_nl = bool(flags & re.DOTALL)
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(f"pattern {pattern!r} is not accepted: {reason} (patterns in user "
                         "packs run on RE2, which has no backreferences or lookaround)") from exc


def compile_any(patterns, flags: int = 0, prefix: str = "", suffix: str = ""):
    """One pattern matching where any of `patterns` does, between `prefix` and
    `suffix`; None for none. Each pattern is compiled alone first, so an error
    names the pattern that fails."""
    if not patterns:
        return None
    for p in patterns:
        compile_pattern(p, flags)
    alternatives = "|".join(f"(?:{p})" for p in patterns)
    return compile_pattern(f"{prefix}(?:{alternatives}){suffix}", flags)


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one; None when no
    such set can be told (a case-insensitive part, or a branch with no literal).

    A check tests them with `in` before running the pattern: a text holding none of
    them cannot match, and `in` costs a fraction of a regular-expression search that
    starts at every position. Read from the parse of Python's own `re`, so the set
    is exact for what `re` accepts; anything it cannot read gives None (no screen).
    """
    try:
        from re import _constants as c, _parser

        parsed = _parser.parse(pattern, flags)
    except Exception:  # a private module changed, or the pattern is RE2-only: no screen
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best = _needed(list(parsed), c)
    return frozenset(best) if best and all(best) else None


def _needed(items: list, c) -> set[str] | None:
    """The best set of required strings for a sequence of parsed items: the one whose
    shortest member is longest (a rare string screens out more)."""
    choices: list[set[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            choices.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if op is c.AT:  # zero-width: the literals on both sides stay contiguous
            continue
        close()
        if op is c.SUBPATTERN and not av[1] & re.IGNORECASE:
            found = _needed(list(av[3]), c)
        elif op is c.BRANCH:
            parts = [_needed(list(alt), c) for alt in av[1]]
            found = None if any(p is None for p in parts) else set().union(*parts)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _needed(list(av[2]), c)
        elif op is c.ATOMIC_GROUP:
            found = _needed(list(av), c)
        else:
            found = None
        if found:
            choices.append(found)
    close()
    if not choices:
        return None
    return max(choices, key=lambda s: (min(map(len, s)), -len(s)))
