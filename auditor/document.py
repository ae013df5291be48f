"""The decoded article every check reads: text, parsed header, lines and paragraphs.

A `Document` is built once per article and never changed; checks only read it.
Offsets are character offsets into `Document.text` (half-open spans).
"""
from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

HEADER_RE = re.compile(r"^ date (\S*)")
# Chinese and Japanese (kana, ideographs and their compatibility forms) and Korean
# (Hangul syllables): scripts that put no space between words
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
HEADER_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
TERMINAL_PUNCT = tuple(".!?…:;\"”’)]»")


@dataclass(frozen=True)
class Header:
    """The ` date YYYY-MM-DD` line that scrapers put first.

    `date` is None when the value is malformed; `rest_start` is where text that
    follows the date on the same line begins (equal to the line end when none).
    """

    raw: str
    value: str
    date: _dt.date | None
    end: int
    rest_start: int


SHORT_TEXT = 500  # the longest text whose word count is kept


@lru_cache(maxsize=1)
def _cjk_screen():
    """`patterns.line_screen` of `CJK_RE`: an RE2 scan of a whole text, several times
    faster than Python's class test at every character (None: RE2 refused it)."""
    from auditor.patterns import line_screen

    return line_screen(CJK_RE)


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese, Japanese or Korean character: the screen rules
    most texts out, the pattern confirms."""
    screen = _cjk_screen()
    return (screen is None or screen(text)) and CJK_RE.search(text) is not None


def count_words(text: str) -> int:
    """`len(text.split())`, counted once per distinct text and kept for the process:
    most rules measure lines in words, a line recurs on every pass over its
    document, and page chrome recurs across documents. Only short texts are kept,
    and at most 16,384 of them: a few megabytes however long a run is, and however
    long its lines."""
    return _count_short(text) if len(text) <= SHORT_TEXT else len(text.split())


@lru_cache(maxsize=1 << 14)
def _count_short(text: str) -> int:
    return len(text.split())


class Line(tuple):
    """One line of body text. `start`/`end` exclude the newline.

    For the header line, the line holds only the text after the header date.
    An immutable tuple (number, start, end, text, on_header, stripped): documents
    build thousands of lines, and a tuple is the cheapest immutable record; the
    stripped text is computed once because nearly every check reads it.
    """

    __slots__ = ()

    def __new__(cls, number: int, start: int, end: int, text: str, on_header: bool = False):
        return tuple.__new__(cls, (number, start, end, text, on_header, text.strip()))

    number = property(itemgetter(0))
    start = property(itemgetter(1))
    end = property(itemgetter(2))
    text = property(itemgetter(3))
    on_header = property(itemgetter(4))
    stripped = property(itemgetter(5))

    @property
    def blank(self) -> bool:
        return not self[5]

    def words(self) -> list[str]:
        return self[3].split()

    @property
    def ends_sentence(self) -> bool:
        return self[3].rstrip().endswith(TERMINAL_PUNCT)

    def __repr__(self) -> str:
        return (f"Line(number={self[0]!r}, start={self[1]!r}, end={self[2]!r}, "
                f"text={self[3]!r}, on_header={self[4]!r})")

    def __getnewargs__(self):
        return self[:5]


@dataclass(frozen=True)
class StatedDate:
    """The publication date a document's metadata states, wherever it comes from:
    the ` date YYYY-MM-DD` header line, or a record's date field (`--date-field`).

    The date rules judge it the same way whatever its source. `date` is None when
    `value` cannot be read; `field` names the record field ("" for the header);
    `start`/`end` is where findings about it point (the header's value; nothing,
    at the start, for a field); the body starts at `body_start`.
    """

    value: str
    date: _dt.date | None
    field: str = ""
    start: int = 0
    end: int = 0
    body_start: int = 0

    @property
    def label(self) -> str:
        """How messages name it: "header date" or "field 'date_publish'"."""
        return f"field {self.field!r}" if self.field else "header date"


def read_iso_date(value: Any) -> _dt.date | None:
    """The calendar date of an ISO 8601 date or date-time, as written (a zone is
    not converted: "2025-03-13T23:30:00-05:00" is March 13), or None.

    Parquet and other typed sources may hand over `date` or `datetime` objects;
    they are taken as they are. Anything else (numbers, free text) is unreadable.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for parse in (_dt.date.fromisoformat, _dt.datetime.fromisoformat):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        return parsed.date() if isinstance(parsed, _dt.datetime) else parsed
    return None


def _absent(value: Any) -> bool:
    """Whether a field's value states nothing: missing, null, blank, NaN or NaT."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are the values unequal to themselves
    except (TypeError, ValueError):  # an array, say: a value, if not a date
        return False


def parse_header(text: str) -> Header | None:
    first_end = text.find("\n")
    first_end = len(text) if first_end < 0 else first_end
    m = HEADER_RE.match(text, 0, first_end)
    if not m:
        return None
    value = m.group(1)
    date = None
    dm = HEADER_DATE_RE.match(value)
    if dm:
        try:
            date = _dt.date(int(dm.group(1)), int(dm.group(2)), int(dm.group(3)))
        except ValueError:
            date = None
    end = m.end()
    rest = end
    while rest < first_end and text[rest] in " \t":
        rest += 1
    return Header(raw=text[:end], value=value, date=date, end=end, rest_start=rest)


@dataclass(frozen=True)
class Document:
    """An article: its text, an id (a relative path or record id) and parsed structure.

    A record read with `--date-field` carries that field's name and value in
    `date_field` and `date_value`: they, not a header line, then state its date.
    """

    text: str
    id: str = ""
    meta: dict = field(default_factory=dict, compare=False)
    date_field: str = ""
    date_value: Any = None

    @cached_property
    def header(self) -> Header | None:
        return parse_header(self.text)

    @cached_property
    def cjk(self) -> bool:
        """Whether the text holds a Chinese, Japanese or Korean character (`CJK_RE`).
        The checks that count such characters in every line (their words are not
        spaced) need not look for them in a document that holds none: most hold none,
        and one scan of the whole text tells."""
        return has_cjk(self.text)

    @cached_property
    def stated_date(self) -> StatedDate | None:
        """The date the document states for itself, or None when it states none
        (no header line; a record whose date field is missing or empty)."""
        if self.date_field:
            value = self.date_value
            if _absent(value):
                return None
            date = read_iso_date(value)
            shown = date.isoformat() if date and not isinstance(value, str) else str(value)
            return StatedDate(shown, date, self.date_field)
        header = self.header
        if header is None:
            return None
        return StatedDate(header.value, header.date, "", header.end - len(header.value),
                          header.end, header.end)

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        """All lines, numbered from 1; the header line carries only its trailing text."""
        text = self.text
        parts = text.split("\n")
        out = []
        append = out.append
        new = tuple.__new__  # `Line(...)` without its Python-level call: one per line
        pos = 0
        number = 0
        for part in parts:
            number += 1
            start = pos
            end = pos + len(part)
            pos = end + 1
            if part.endswith("\r"):
                end -= 1
                part = part[:-1]
            append(new(Line, (number, start, end, part, False, part.strip())))
        header = self.header
        if header is not None:
            first = out[0]
            out[0] = Line(1, header.rest_start, first.end, text[header.rest_start:first.end], True)
        if len(out) > 1 and out[-1].start == len(text) and not out[-1].on_header:
            out.pop()  # the empty line after a final newline is not a line
        return tuple(out)

    @cached_property
    def body_lines(self) -> tuple[Line, ...]:
        """Non-blank lines of the article body (header text included when merged)."""
        return tuple(line for line in self.lines if line[5])

    @cached_property
    def paragraphs(self) -> tuple[tuple[Line, ...], ...]:
        """Runs of consecutive non-blank lines."""
        paras: list[tuple[Line, ...]] = []
        run: list[Line] = []
        for line in self.lines:
            if not line[5]:
                if run:
                    paras.append(tuple(run))
                    run = []
            else:
                run.append(line)
        if run:
            paras.append(tuple(run))
        return tuple(paras)

    def line_number(self, offset: int) -> int:
        """1-based number of the line holding `offset`."""
        return bisect_right(self.line_starts, offset)

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def removal_span(self, first: Line, last: Line | None = None) -> tuple[int, int]:
        """The span that deletes lines `first`..`last` with the newline that ends them.

        On the header line only the text after the date goes; the header stays.
        The engine tidies the blank lines around merged removals.
        """
        last = last or first
        text = self.text
        start = self.header.end if first.on_header else first.start
        end = last.end
        if first.on_header and last is first:
            return start, end
        if end < len(text) and text[end] == "\r":
            end += 1
        if end < len(text) and text[end] == "\n":
            end += 1
        elif not first.on_header and start > 0 and text[start - 1] == "\n":
            start -= 1  # the last line of the file: take the newline before it instead
            if start > 0 and text[start - 1] == "\r":
                start -= 1
        return start, end
