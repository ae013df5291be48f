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
