"""Sources and sinks for whole corpora, and the local parallel map over them.

One document flows through `process_file`: read, decode, run the engine, write
the cleaned text. The same function serves one process or a pool of workers;
results come back in input order, so output never depends on `--jobs`.
"""
from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from auditor.engine import Engine
from auditor.load import document_from_bytes, unreadable_document
from auditor.report import rows
from auditor.rulepack import load_rules, select_rules

TEXT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Source:
    """One input file and the path it is reported and written under."""

    path: Path
    rel: str


@dataclass(frozen=True)
class RuleOptions:
    """Everything needed to build the same engine in any worker process."""

    packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    min_confidence: float = 0.0

    def engine(self) -> Engine:
        rules = select_rules(load_rules(self.packs), self.select or None, self.ignore,
                             self.extend_select)
        return Engine(rules, min_confidence=self.min_confidence)


@dataclass
class Outcome:
    """What became of one document."""

    rel: str
    records: list[dict]
    changed: bool = False
    written: bool = False
    error: str = ""
    counts: dict = field(default_factory=dict)


def discover(paths: list[str | Path]) -> list[Source]:
    """The `.txt` files under each path (a folder is walked, a file is taken as is)."""
    out: list[Source] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(q for q in p.rglob("*") if q.suffix.lower() in TEXT_SUFFIXES
                           and not q.is_dir())
            out.extend(Source(q, q.relative_to(p).as_posix()) for q in files)
        elif p.exists():
            out.append(Source(p, p.name))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename: a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def process_file(engine: Engine, src: Source, out_dir: Path | None) -> Outcome:
    try:
        data = src.path.read_bytes()
        doc = document_from_bytes(data, src.rel)
    except OSError as exc:
        doc = unreadable_document(src.rel, exc.strerror or str(exc))
    result = engine.run(doc)
    outcome = Outcome(src.rel, rows(src.rel, result.findings), result.changed,
                      error=doc.meta.get("error", ""))
    if out_dir is not None and not outcome.error:
        write_atomic(out_dir / src.rel, result.cleaned)
        outcome.written = True
    return outcome


_worker_engine: Engine | None = None


def _init_worker(options: RuleOptions) -> None:
    global _worker_engine
    _worker_engine = options.engine()


def _work(args: tuple[Source, Path | None]) -> Outcome:
    return process_file(_worker_engine, *args)


def run(sources: list[Source], options: RuleOptions, out_dir: Path | None = None,
        jobs: int = 1) -> Iterator[Outcome]:
    """Process every source, yielding outcomes in input order."""
    jobs = max(1, min(jobs, len(sources) or 1))
    if jobs == 1:
        engine = options.engine()
        for src in sources:
            yield process_file(engine, src, out_dir)
        return
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(options,)) as pool:
        chunk = max(1, min(64, len(sources) // (jobs * 8) or 1))
        yield from pool.map(_work, ((s, out_dir) for s in sources), chunksize=chunk)
