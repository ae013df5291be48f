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


def longest_first(text: str) -> tuple[int, str]:
    """Sort key of an alternation's literals: the longest first (so that `re` tries
    "read more:" before "read more"), ties in text order, so that a pattern built
    from a set of phrases is the same string in every process (a cached compiled
    screen is found by its text)."""
    return -len(text), text


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


# --- screens: one RE2 scan that over-selects, before the exact patterns -------------
#
# A screen stands for a Python `re` pattern on texts of one line: it matches wherever
# the pattern does, and maybe elsewhere. Many texts are joined with newlines and
# scanned once, so a screen never lets a match run past the end of a text: every
# "any character" becomes "any but a newline", and the anchors become line anchors.


class _NoScreen(Exception):
    """A part of a pattern that the screen cannot stand in for."""


def _ranges(points) -> str:
    """An RE2 class body for a set of code points, as ranges."""
    points = sorted(set(points))
    out = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(_char(points[i]) if i == j else f"{_char(points[i])}-{_char(points[j])}")
        i = j + 1
    return "".join(out)


def _char(cp: int) -> str:
    """One character in RE2 syntax: letters and digits as they are, the rest escaped."""
    ch = chr(cp)
    return ch if ch.isalnum() else f"\\x{{{cp:x}}}"


# \d, \s and \w of Python's `re` are Unicode classes; a screen takes their ASCII
# members and every character beyond ASCII (a superset, and a short one)
_CATEGORIES = {"digit": "0-9\\x{80}-\\x{10ffff}", "word": "0-9A-Za-z_\\x{80}-\\x{10ffff}",
               "space": "\\x{9}-\\x{d}\\x{1c}-\\x{20}\\x{80}-\\x{10ffff}"}
_LOWER: dict[int, set[int]] = {}


def _case_closure(points: set[int]) -> set[int]:
    """Every code point that a case-blind `re` class of `points` can match: `re`
    compares a text character's lower case (`_sre.unicode_tolower`) with the class's
    lower cases and their extra equivalents (`re._casefix`)."""
    import _sre
    from re._casefix import _EXTRA_CASES

    if not _LOWER:
        for cp in range(0x20000):  # no character above changes case
            lo = _sre.unicode_tolower(cp)
            if lo != cp:
                _LOWER.setdefault(lo, set()).add(cp)
    lowered = set(points)
    for cp in points:
        lo = _sre.unicode_tolower(cp)
        lowered.add(lo)
        lowered.update(_EXTRA_CASES.get(lo, ()))
    out = set(lowered)
    for cp in lowered:
        out.update(_LOWER.get(cp, ()))
    return out


_ANY = "[^\\n]"  # any character of a one-line text
_ANY_AT_ALL = "(?s:.)"  # any character, a newline too


def _emit(items, flags: int, c, leading: bool = False, wide: str = _ANY) -> str:
    """RE2 text for a sequence of parsed `re` items that matches at least wherever
    they do in a one-line text: assertions and word boundaries are dropped,
    negations widen to any character (`wide`: `_ANY_AT_ALL` for texts of many
    lines), case-blind letters take their case closure.
    A lookbehind where a match begins (`leading`: nothing read before it) looks at
    the text just before the match, in the same text: it becomes that text."""
    out = []
    for op, av in items:
        if op is c.LITERAL:
            points = _case_closure({av}) if flags & re.IGNORECASE else {av}
            out.append(f"[{_ranges(points)}]" if len(points) > 1 else _char(av))
        elif op is c.ANY:
            out.append(wide if flags & re.DOTALL else _ANY)
        elif op is c.NOT_LITERAL:
            out.append(wide)
        elif op is c.IN:
            out.append(_emit_class(av, flags, c, wide))
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_emit(list(alt), flags, c, leading, wide)
                                        for alt in av[1]) + ")")
        elif op is c.SUBPATTERN:
            _, add, remove, sub = av
            out.append("(?:" + _emit(list(sub), (flags | add) & ~remove, c, leading, wide)
                       + ")")
        elif op is c.ATOMIC_GROUP:
            out.append("(?:" + _emit(list(av), flags, c, leading, wide) + ")")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, sub = av
            if low > 1000:
                raise _NoScreen
            # a long bounded repeat ("up to 80 characters") would cost the DFA a
            # state per count: unbounded, which only widens
            high_text = "" if high is c.MAXREPEAT or high > 10 else str(high)
            out.append(f"(?:{_emit(list(sub), flags, c, wide=wide)}){{{low},{high_text}}}")
        elif op is c.AT:
            if av in (c.AT_BEGINNING, c.AT_BEGINNING_LINE, c.AT_BEGINNING_STRING):
                out.append("(?m:^)")
            elif av in (c.AT_END, c.AT_END_LINE, c.AT_END_STRING):
                out.append("(?m:$)")
            # a word boundary or its negation: dropped, which only widens
            continue  # reads nothing: what follows still begins the match
        elif op is c.ASSERT and av[0] < 0 and leading:
            out.append("(?:" + _emit(list(av[1]), flags, c, True, wide) + ")")
        elif op in (c.ASSERT, c.ASSERT_NOT):
            continue  # any other lookaround only narrows: dropped
        elif op is c.GROUPREF:
            out.append(wide + "*")
        elif op is c.GROUPREF_EXISTS:
            _, yes, no = av
            out.append("(?:" + _emit(list(yes), flags, c, wide=wide) + "|"
                       + (_emit(list(no), flags, c, wide=wide) if no is not None else "")
                       + ")")
        else:
            raise _NoScreen
        leading = False
    return "".join(out)


def _emit_class(members, flags: int, c, wide: str = _ANY) -> str:
    """A character class: its code points (with the case closure when case-blind) and
    the supersets of the categories it names; a negated one is any character."""
    points: set[int] = set()
    tables = []
    for op, av in members:
        if op is c.NEGATE:
            return wide
        if op is c.LITERAL:
            points.add(av)
        elif op is c.RANGE:
            low, high = av
            if not flags & re.IGNORECASE:
                tables.append(f"{_char(low)}-{_char(high)}")
            elif high - low > 2048:
                return wide
            else:
                points.update(range(low, high + 1))
        elif op is c.CATEGORY:
            table = {c.CATEGORY_DIGIT: "digit", c.CATEGORY_SPACE: "space",
                     c.CATEGORY_WORD: "word"}.get(av)
            if table is None:  # a negated category: anything
                return wide
            tables.append(_CATEGORIES[table])
        else:
            return wide
    if flags & re.IGNORECASE:
        points = _case_closure(points)
    return "[" + _ranges(points) + "".join(tables) + "]"


def screen_source(pattern: str, flags: int = 0, whole: bool = False,
                  one_line: bool = True) -> str | None:
    """RE2 text for a screen of a Python `re` pattern on one-line texts (searched, or
    with `whole` as a full match of the line); None when no screen can be told.
    With `one_line` false, the screen holds on texts of many lines, searched whole
    (where what the pattern does not exclude may cross a line break)."""
    try:
        from re import _constants as c, _parser

        parsed = _parser.parse(pattern, flags)
        source = _emit(list(parsed), parsed.state.flags, c, leading=True,
                       wide=_ANY if one_line else _ANY_AT_ALL)
    except Exception:  # a private module changed, an RE2-only pattern, a part we cannot widen
        return None
    return f"{LINE_START}(?:{source})(?m:$)" if whole else source


LINE_START = "(?m:^)"
LINE_END = "(?m:$)"
# hyperscan refuses a pattern over 16,000 of its own units (a screen of 15,997
# bytes is refused): parts are kept under this, with a margin
HYPERSCAN_BYTES = 15000


def _past_escape(source: str, i: int) -> int:
    """Where the escape at `i` (\\x{..} or \\n, as `_emit` writes them) ends."""
    return source.index("}", i) + 1 if source.startswith("x{", i + 1) else i + 2


def _structure(source: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of each parenthesis and bar of an emitted screen,
    outside classes and escapes (`_emit` writes every other character as it is)."""
    i, depth, n = 0, 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i = _past_escape(source, i)
            continue
        if ch == "[":  # a class: its brackets and bars are characters
            i += 1
            while source[i] != "]":
                i = _past_escape(source, i) if source[i] == "\\" else i + 1
        elif ch == "(":
            yield i, ch, depth
            depth += 1
        elif ch == ")":
            depth -= 1
            yield i, ch, depth
        elif ch == "|":
            yield i, ch, depth
        i += 1


def _group_end(body: str) -> int | None:
    """The index of the parenthesis closing the group `body` opens with, if it does."""
    if not body.startswith("(?:"):
        return None
    return next(i for i, ch, depth in _structure(body) if ch == ")" and depth == 0)


def _alternatives(body: str) -> list[str]:
    """The top-level alternatives of an emitted screen, groups around it all removed."""
    while _group_end(body) == len(body) - 1:
        body = body[3:-1]
    bars = [i for i, ch, depth in _structure(body) if ch == "|" and depth == 0]
    return [body[a + 1:b] for a, b in zip([-1, *bars], [*bars, len(body)])]


def _size(text: str) -> int:
    return len(text.encode())


GROUP = len("(?:)")  # what wrapping pieces in a group adds


def _split(body: str, room: int) -> list[str]:
    """Bodies of at most `room` bytes whose union `body` matches, where its choices
    allow: `A|B` as `A` and `B`, and `(?:A|B)R` as `(?:A)R` and `(?:B)R` (not when
    the group is repeated)."""
    if _size(body) <= room:
        return [body]
    choices = _alternatives(body)
    if len(choices) > 1:
        return _packed([piece for c in choices for piece in _split(c, room)], room, "")
    close = _group_end(body)
    if close is None or body[close + 1:close + 2] in ("{", "*", "+", "?"):
        return [body]  # too long, and no choice to split at: RE2 scans it whole
    first, rest = body[:close + 1], body[close + 1:]
    choices = _alternatives(first)
    room -= _size(rest)
    if len(choices) < 2 or room <= 2 * GROUP:
        return [body]
    return _packed([piece for c in choices for piece in _split(c, room)], room, rest)


def _packed(pieces: list[str], room: int, rest: str) -> list[str]:
    """`(?:a|b|…)rest` of as many consecutive `pieces` as fit in `room` bytes each
    (a piece alone, without `rest`, as it is: it fits already)."""
    groups: list[list[str]] = []
    size = room
    for piece in pieces:
        grown = _size(piece) + 1  # with its bar
        if size + grown > room - GROUP:
            groups.append([])
            size = 0
        groups[-1].append(piece)
        size += grown
    return [g[0] if len(g) == 1 and not rest else f"(?:{'|'.join(g)}){rest}" for g in groups]


def screen_parts(source: str, limit: int = HYPERSCAN_BYTES) -> list[str]:
    """`source` as screens of at most `limit` bytes whose union it is, where its
    choices allow (`_split`): a long phrase list is then compiled by hyperscan
    rather than scanned by RE2. A part that cannot be cut down stays too long."""
    if _size(source) <= limit:
        return [source]
    head = LINE_START if source.startswith(LINE_START) else ""
    tail = LINE_END if source.endswith(LINE_END) and len(source) > len(head + LINE_END) else ""
    body = source[len(head):len(source) - len(tail)]
    return [head + part + tail for part in _split(body, limit - _size(head + tail))]


def screens_of(compiled: list, whole: tuple[bool, ...] = (), one_line: bool = True
               ) -> tuple[str, ...] | None:
    """The screens of a rule's compiled patterns (None entries skipped), the i-th a
    full match of the line when `whole[i]`. None when one cannot be screened or was
    compiled with RE2 (a user's pack: Python's parser may read its syntax otherwise),
    or when there is none."""
    out = []
    for i, pattern in enumerate(compiled):
        if pattern is None:
            continue
        if not isinstance(pattern, re.Pattern):
            return None
        source = screen_source(pattern.pattern, pattern.flags,
                               whole=i < len(whole) and whole[i], one_line=one_line)
        if source is None:
            return None
        out.append(source)
    return tuple(out) or None


def _screen_options():
    """RE2 options for a screen. `max_mem` is what a set or pattern may hold, its
    program and its DFA's state cache: a budget, not an allocation, and what bounds
    the memory a worker's screens grow to. When the cache is full, RE2 empties it
    and goes on (a search never gives up on a slow text). On 3,000 bench articles
    8 MB scans a third slower than 64 MB, 16 MB as fast; under 4 MB the lines sets
    do not compile (then nothing is screened)."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = 8 << 20
    return options


class _Compiled:
    """Screens compiled by hyperscan, ahead of the scan: RE2 builds its automaton's
    states while it reads, and on text it has not seen that is most of its time
    (on the bench articles, 2 M instructions an article of the 28 M). Hyperscan
    takes most screens (not a pattern over its length limit, nor an end anchor
    inside a group); `members` are the sources it took, `reports` the screen each
    stands for (a long screen is compiled in parts, `screen_parts`). Compiling costs 0.7 s for
    the shipped packs, so a database is kept on disk (`cache_dir`) by a digest of
    its sources and loaded in well under a millisecond after. A scan needs
    scratch space of its own in each thread."""

    def __init__(self, hs, sources: list[str], owners: list[int]):
        import threading

        self.hs = hs
        # UTF-8 text; a pattern reported once a scan; a screen may match the empty line
        flags = hs.HS_FLAG_UTF8 | hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_ALLOWEMPTY
        self.db, self.members = _cached_database(hs, sources, flags)
        self.reports = [owners[i] for i in self.members]  # what a match of each stands for
        self._local = threading.local()

    def match(self, joined: bytes) -> list[int]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self.hs.Scratch(self.db)
        hits: list[int] = []
        reports = self.reports
        self.db.scan(joined, match_event_handler=lambda i, start, end, flags, ctx:
                     hits.append(reports[i]), scratch=scratch)
        return hits


def cache_dir():
    """Where compiled screens are kept: `$AUDITOR_CACHE`, else the user's cache
    folder (`$XDG_CACHE_HOME` or ~/.cache) under `auditor`."""
    import os
    from pathlib import Path

    if os.environ.get("AUDITOR_CACHE"):
        return Path(os.environ["AUDITOR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "auditor"


def _cached_database(hs, sources: list[str], flags: int):
    """A hyperscan database of the `sources` it takes, and their indices: loaded
    from the cache when a run has compiled it before, else compiled and stored
    (a cache that cannot be read or written only costs the compile)."""
    import hashlib
    import json
    import os

    key = hashlib.sha256("\0".join([hs.__version__, str(flags), *sources]).encode()).hexdigest()
    path = cache_dir() / f"screens-{key[:32]}.hsdb"
    try:
        blob = path.read_bytes()
        size = int.from_bytes(blob[:4], "little")
        members = json.loads(blob[4:4 + size])
        return hs.loadb(blob[4 + size:], hs.HS_MODE_BLOCK), members
    except Exception:  # not cached yet, or unreadable: compile
        pass
    members = []
    for i, source in enumerate(sources):
        try:
            hs.Database().compile(expressions=[source.encode()], ids=[0], elements=1,
                                  flags=[flags])
        except Exception:  # too long, or a construct hyperscan lacks: RE2 screens it
            continue
        members.append(i)
    if not members:
        raise ValueError("hyperscan takes none of the screens")
    db = hs.Database()
    db.compile(expressions=[sources[i].encode() for i in members], ids=list(range(len(members))),
               elements=len(members), flags=[flags] * len(members))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        head = json.dumps(members).encode()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(len(head).to_bytes(4, "little") + head + hs.dumpb(db))
        os.replace(tmp, path)  # whole or not at all, whatever other processes do
    except OSError:
        pass
    return db, members


def _hyperscan():
    """The hyperscan module, or None where it is not installed (RE2 screens all)."""
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


class Screen:
    """One scan that tells which of many patterns may match one of many texts.

    Each pattern is a screen (`screen_source`) standing for a Python `re` pattern; the
    texts are single lines, joined with newlines and scanned at once. A pattern the
    scan does not report matches none of the texts, so its exact pattern need not
    run on them. A screen of many patterns is compiled by hyperscan where it can be
    (`_Compiled`), a screen too long for it in parts whose union it is
    (`screen_parts`); RE2 runs the others, and all of a screen of one pattern (a
    single set needs no database). Both run a set in one pass, in time linear in the text.
    Patterns anchored at a line's start and patterns searched anywhere go in two
    RE2 sets: one set of both kinds costs its DFA the product of their states (on
    the bench articles, four times the time of the two sets together).
    """

    def __init__(self, sources: list[str]):
        import re2

        options = _screen_options()
        self._sets = []
        self._compiled = None
        hs = _hyperscan() if len(sources) > 1 else None
        # what is compiled: each source whole, or in parts whose union it is when
        # too long for hyperscan (`screen_parts`); `owners[j]` the source of part j
        parts = [[source] for source in sources] if hs is None else list(map(screen_parts, sources))
        owners = [i for i, pieces in enumerate(parts) for _ in pieces]
        parts = [piece for pieces in parts for piece in pieces]
        if hs is not None:
            try:
                self._compiled = _Compiled(hs, parts, owners)
            except Exception:  # hyperscan refused them all, or failed: RE2 screens all
                self._compiled = None
        taken = set(self._compiled.members) if self._compiled is not None else set()
        for anchored in (True, False):
            members = [j for j, part in enumerate(parts)
                       if j not in taken and part.startswith(LINE_START) == anchored]
            if not members:
                continue
            found = re2.Set.SearchSet(options)
            for j in members:
                found.Add(parts[j])
            found.Compile()
            self._sets.append((found, [owners[j] for j in members]))
        self.size = len(sources)
        self.sources = list(sources)

    def __call__(self, texts: list[str]) -> list[int]:
        """The indices of the patterns that may match one of `texts`."""
        try:
            joined = "\n".join(texts).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: every pattern may match
            return list(range(self.size))
        return self.match(joined)

    def match(self, joined: bytes) -> list[int]:
        """The indices of the patterns that may match somewhere in `joined` (one
        may be told more than once: a screen in parts, several of them matching)."""
        hits = [members[i] for found, members in self._sets for i in found.Match(joined) or ()]
        if self._compiled is not None:
            try:
                hits += self._compiled.match(joined)
            except Exception:  # a scan that fails selects all it stands for: more, never less
                hits += self._compiled.reports
        return hits


class Scan:
    """One pass's texts, each the text of a unit (`owners[i]`: a line, a paragraph),
    scanned with a `Screen` for the groups of patterns (`groups[i]`: the group, a
    rule, of the screen's i-th pattern) that may match one of them, and for where.

    The texts are scanned in runs of `run` texts, a scan of each run: the same
    bytes as one scan of them all, and it tells, for a group the scan selects, the
    runs where it may match. A unit's texts are where a rule reads it; a rule finds
    nothing in a unit none of whose texts is in such a run. A text lies whole in
    one run, so a screen that matches it is found there.
    """

    def __init__(self, screen: Screen, texts: list[str], owners: list[int],
                 groups: list[int], run: int = 8):
        self.owners = owners
        self.runs: list[tuple[int, frozenset[int]]] = []  # (first text, groups that may match)
        for first in range(0, len(texts), run):
            try:
                joined = "\n".join(texts[first:first + run]).encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: RE2 cannot read it, anything may match
                found = frozenset(groups)
            else:
                found = frozenset(groups[i] for i in screen.match(joined))
            self.runs.append((first, found))
        self.run = run
        self.selected = frozenset().union(*(found for _, found in self.runs))

    def units(self, group: int) -> list[int]:
        """The units, in order, with a text in a run where `group` may match."""
        owners, run = self.owners, self.run
        picked = {unit for first, found in self.runs if group in found
                  for unit in owners[first:first + run]}
        return sorted(picked)


def line_screen(pattern: re.Pattern):
    """A test that is False only for one-line texts `pattern` cannot match anywhere:
    `pattern`'s screen (`screen_source`) compiled with RE2, whose search runs in one
    DFA pass where Python's `re` tries the whole pattern at every position. None when
    no screen can be told or RE2 refuses it; then the caller runs `pattern` alone.

    The screen is a `Screen` of one pattern: a set tells only whether it matches, in
    one call into RE2 (a third of the time a compiled pattern's `search` takes, which
    works out where it matches, through the module's Python layer).
    """
    source = screen_source(pattern.pattern, pattern.flags)
    if source is None:
        return None
    try:
        match = Screen([source]).match
    except Exception:
        return None

    def may_match(text: str) -> bool:
        try:
            return bool(match(text.encode("utf-8")))
        except UnicodeEncodeError:  # a lone surrogate: RE2 cannot read it, so it may
            return True

    return may_match
