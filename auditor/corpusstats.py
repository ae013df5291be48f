"""Corpus-level boilerplate statistics: which short lines recur across documents.

A first, streaming pass over the corpus counts, for every normalized line, how
many documents hold it, per source (the top folder of a document's relative
path, e.g. one folder per site). Counts are keyed by a 64-bit hash, so memory
grows with the number of distinct lines, not with their text; the text of a line
is kept only for short lines (those that can become a rule). Stats from
several workers or Dask partitions combine with `merge()`.

Most lines occur once, so an exact table would grow with the corpus. With
`bucket` set, merging forgets them as it goes (lossy counting, Manku & Motwani
2002): after every `bucket` documents of a source, a line is dropped unless it has
occurred, on average, in one of every `bucket` documents of the source since it
was first counted. A source of fewer documents is counted exactly; beyond, a
count is at most `documents / bucket` short, and every line in at least that
share of the source's documents is kept. The table then stays bounded per source
however many documents the source has.

The cleaning pass hands the stats to checks as `Context.corpus`; the
`corpus-lines` check (auditor/checks/boilerplate.py) removes lines that recur in
many documents of their source. `write_pack()` writes what was learned as a rule
pack a person can review before using it with `--rules`.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from auditor.document import Document

_SPACE_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"\d+")
EDGE = " \t\u00a0•·|>»«-–—*#▶►→"
MAX_LINE_CHARS = 200
MAX_LINE_WORDS = 15


def normalize(line: str) -> str:
    """The form under which lines are counted: case-folded, spaces collapsed,
    bullets trimmed, digits replaced by 0 (so 'Updated 3 min ago' and '5 min ago'
    count together)."""
    text = _SPACE_RE.sub(" ", line.strip(EDGE)).casefold()
    return _DIGITS_RE.sub("0", text)


def line_key(normalized: str) -> int:
    """A stable 64-bit key for a normalized line (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).digest(),
                          "big")


def source_of(doc_id: str) -> str:
    """The source a document belongs to: the first folder of its relative path,
    or "" for a file at the top (then the whole corpus is one source)."""
    parts = doc_id.replace("\\", "/").strip("/").split("/")
    return parts[0] if len(parts) > 1 else ""


def countable(text: str) -> bool:
    """Lines worth counting: not blank, not too long to be interface text."""
    return (0 < len(text) <= MAX_LINE_CHARS and len(text.split()) <= MAX_LINE_WORDS
            and any(c.isalnum() for c in text))


@dataclass
class LineStats:
    """Hashed counts of lines across documents, per source; mergeable.

    `docs[source]` is how many documents of that source were added;
    `counts[source][key]` in how many of them the line `key` occurs (once per
    document, however often it repeats inside it); `texts[key]` the first
    original form of the line seen (after a merge, of lines seen twice or more).
    """

    docs: Counter = field(default_factory=Counter)
    counts: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    bucket: int = 0  # documents per round of forgetting; 0 counts exactly
    # per source, for lines first counted after its first bucket: how many rounds
    # had passed (the most the line can have occurred in and been forgotten)
    late: dict = field(default_factory=dict)

    def prune(self, min_docs: int = 2, min_share: float = 0.0) -> "LineStats":
        """Forget lines seen in fewer than max(`min_docs`, `min_share` of the source's
        documents) documents of every source: no rule can use them, and they are
        nearly all the keys. Pruned to the rules' own thresholds, what is left is
        bounded by how many lines can be that common, not by the corpus size."""
        keep: set = set()
        for source, counts in self.counts.items():
            floor = max(min_docs, min_share * self.docs[source])
            self.counts[source] = Counter({k: n for k, n in counts.items() if n >= floor})
            keep.update(self.counts[source])
        self.texts = {k: t for k, t in self.texts.items() if k in keep}
        self.late = {}
        return self

    # building -----------------------------------------------------------------
    def add_text(self, text: str, doc_id: str = "") -> None:
        """Count the lines of one article's text (the header line is skipped)."""
        self.add(Document(text, doc_id))

    def add(self, doc: Document) -> None:
        """Count the lines of one document."""
        source = source_of(doc.id)
        self.docs[source] += 1
        counts = self.counts.setdefault(source, Counter())
        seen: set[int] = set()
        for line in doc.body_lines:
            if line.on_header:
                continue
            raw = line.stripped
            if not countable(raw):
                continue
            key = line_key(normalize(raw))
            if key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            if key not in self.texts:
                self.texts[key] = raw

    def merge(self, other: "LineStats") -> "LineStats":
        """Add `other`'s counts into these (in place) and return self.

        The text of a line is kept only once it has been seen twice: a line that
        occurs once in the corpus (most lines) costs its count alone. With
        `bucket` set, lines too rare to matter are forgotten (see the module)."""
        self.docs.update(other.docs)
        seen = self.texts
        forgotten: set[int] = set()
        for source, counts in other.counts.items():
            mine = self.counts.setdefault(source, Counter())
            after = self.docs[source]
            before = after - other.docs[source]
            if self.bucket and before >= self.bucket:
                late = self.late.setdefault(source, {})
                rounds = before // self.bucket
                for key in counts:
                    if key not in mine:
                        late[key] = rounds
            mine.update(counts)
            for key in counts:
                if mine[key] >= 2 and key not in seen and key in other.texts:
                    seen[key] = other.texts[key]
            if self.bucket and after // self.bucket > before // self.bucket:
                forgotten |= self._forget(source, after // self.bucket)
        if forgotten:
            held = self.counts.values()
            for key in forgotten:
                if key in seen and not any(key in c for c in held):
                    del seen[key]
        return self

    def _forget(self, source: str, rounds: int) -> set[int]:
        """Drop the lines of `source` that occurred in fewer than one of every
        `bucket` of its documents since they were first counted."""
        counts, late = self.counts[source], self.late.get(source, {})
        gone = {k for k, n in counts.items() if n + late.get(k, 0) <= rounds}
        for k in gone:
            del counts[k]
            late.pop(k, None)
        return gone

    # reading ------------------------------------------------------------------
    def doc_count(self, line: str, source: str | None = None) -> int:
        """In how many documents (of `source`, or of all sources) the line occurs."""
        key = line_key(normalize(line))
        if source is not None:
            return self.counts.get(source, {}).get(key, 0)
        return sum(c.get(key, 0) for c in self.counts.values())

    def total_docs(self, source: str | None = None) -> int:
        return self.docs[source] if source is not None else sum(self.docs.values())

    def recurring(self, min_docs: int = 5, min_share: float = 0.0
                  ) -> list[tuple[str, int, dict[str, int]]]:
        """Lines found in at least `min_docs` documents of one source (and in at
        least `min_share` of that source's documents), most frequent first, as
        (sample text, documents, {source: documents})."""
        found: dict[int, dict[str, int]] = {}
        for source, counts in self.counts.items():
            floor = max(min_docs, min_share * self.docs[source])
            for key, n in counts.items():
                if n >= floor:
                    found.setdefault(key, {})[source] = n
        out = []
        for key, per_source in found.items():
            text = self.texts.get(key)
            if text is None:
                continue
            total = sum(c.get(key, 0) for c in self.counts.values())
            out.append((text, total, dict(sorted(per_source.items(), key=lambda kv: -kv[1]))))
        out.sort(key=lambda t: (-t[1], t[0]))
        return out

    # persistence --------------------------------------------------------------
    def to_json(self) -> str:
        """The stats as JSON (for handing between processes or saving a first pass)."""
        return json.dumps({
            "docs": dict(self.docs),
            "counts": {s: {str(k): n for k, n in c.items()} for s, c in self.counts.items()},
            "texts": {str(k): t for k, t in self.texts.items()},
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> "LineStats":
        raw = json.loads(data)
        return cls(Counter(raw["docs"]),
                   {s: Counter({int(k): n for k, n in c.items()})
                    for s, c in raw["counts"].items()},
                   {int(k): t for k, t in raw["texts"].items()})


def collect(docs: Iterable[Document]) -> LineStats:
    """Stats over an iterable of documents (one partition of a corpus)."""
    stats = LineStats()
    for doc in docs:
        stats.add(doc)
    return stats


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON escaping is valid TOML, bar DEL and surrogates)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def pack_text(stats: LineStats, min_docs: int = 5, min_share: float = 0.0,
              code: str = "LRN001", max_lines: int = 2000) -> str:
    """A rule pack (TOML) with one `lines` rule whose phrases are the recurring
    lines, each preceded by a comment with its document count and sources."""
    found = [t for t in stats.recurring(min_docs, min_share) if not _looks_like_prose(t[0])]
    found = found[:max_lines]
    out = [
        "# Learned by `auditor learn`: lines that recur across many documents of a source.",
        f"# {stats.total_docs()} documents in {len(stats.docs)} source(s); "
        f"threshold: {min_docs} documents"
        + (f" and {min_share:.0%} of a source" if min_share else "") + ".",
        "# Review before use: delete any line that is real article text.",
        "",
        "[[rule]]",
        f'code = "{code}"',
        'name = "learned-boilerplate-line"',
        'category = "navigation"',
        'severity = "info"',
        'check = "lines"',
        'fix = "remove"',
        'summary = "A line that recurs across many documents of the same source."',
        'why = """Learned from the corpus: the line appears, word for word, in many articles of',
        'one source, which article text does not; it is the site\'s furniture."""',
        "",
        "[rule.params]",
        'message = "line recurring across the corpus"',
        f"confidence = {_learned_confidence()}  # measured precision of NAV150, whose counts this freezes",
    ]
    if not found:
        out.append("patterns = ['[^\\s\\S]']  # nothing recurred often enough")
        out.append("max_words = 1")
        example = "Nothing was learned.\n"
        out += ["", "[[rule.example]]", f"before = {_toml_string(example)}", "lines = []"]
        return "\n".join(out) + "\n"
    max_words = max(len(t[0].split()) for t in found)
    out.append(f"max_words = {max(1, max_words)}")
    out.append("phrases = [")
    for text, total, per_source in found:
        where = ", ".join(f"{s or '(top)'}: {n}" for s, n in per_source.items())
        out.append(f"  # {total} documents; {where}")
        out.append(f"  {_toml_string(text)},")
    out.append("]")
    first = found[0][0]
    sentence = "This sentence is article text and stays."
    out += ["", "[[rule.example]]",
            f"before = {_toml_string(first + chr(10) + sentence + chr(10))}",
            f"after = {_toml_string(sentence + chr(10))}",
            "lines = [1]"]
    return "\n".join(out) + "\n"


def _learned_confidence() -> float:
    """The removal precision measured for `NAV150 corpus-recurring-line` on the public
    benchmarks: a learned pack removes the lines that rule would, by the same counts."""
    from auditor.rulepack import calibration_file

    try:
        table = tomllib.loads(calibration_file().read_text(encoding="utf-8"))
        return float(table["NAV150"]["confidence"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return 0.9


def write_pack(stats: LineStats, path: str | Path, min_docs: int = 5,
               min_share: float = 0.0, code: str = "LRN001") -> Path:
    """Write `pack_text(...)` to `path`; it loads with `auditor.rulepack.load_pack`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(pack_text(stats, min_docs, min_share, code), encoding="utf-8")
    return path


_SENTENCE_RE = re.compile(r"[.!?][\"”’)]?$")


def _looks_like_prose(text: str) -> bool:
    """A sentence: syndicated article text (and short ones like 'He said.') can recur
    across a corpus, so lines that end a sentence are never learned as boilerplate."""
    return bool(_SENTENCE_RE.search(text.strip()))
