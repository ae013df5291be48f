"""Sources and sinks for whole corpora, and the map of documents over workers.

Inputs are folder trees of `.txt` files (any encoding), JSONL (also `.jsonl.gz`)
and Parquet files; outputs are of the same kind at the same relative paths.
Documents are read as a stream, cut into batches, and each batch goes through
`api.clean_documents` in this process, a local process pool or a Dask cluster.
Results come back in input order with a bounded number of batches in flight, so
memory stays flat and the output is the same bytes whatever the engine or `--jobs`.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from auditor.api import Cleaned, RuleOptions, clean_documents
from auditor.corpusstats import LineStats, collect
from auditor.document import Document
from auditor.load import document_from_bytes, unreadable_document
from auditor.metadata import with_metadata

KINDS = {".txt": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl",
         ".parquet": "parquet"}
BATCH_SIZE = 64
# lines rarer than one in this many documents of their source are forgotten while
# counting (see `corpusstats`); sources smaller than this are counted exactly
STATS_BUCKET = 500
_umask = os.umask(0o022)
os.umask(_umask)
FILE_MODE = 0o666 & ~_umask


@dataclass(frozen=True)
class Source:
    """One input file, the path it is reported and written under, and its kind."""

    path: Path
    rel: str
    kind: str = "text"


@dataclass(frozen=True)
class Fields:
    """Where records keep their text, their id and (`--date-field`) their date."""

    text: str = "text"
    id: str | None = None
    date: str | None = None


@dataclass
class Item:
    """One document on its way through: where it came from and, for records, the
    record's other fields (written back next to the cleaned text) and its position:
    the line of a JSONL file or the row of a Parquet file, from 1 (0: the whole file)."""

    source: Source
    doc: Document
    record: dict | None = None
    position: int = 0


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    return next((k for suffix, k in KINDS.items() if name.endswith(suffix)), None)


class Sources:
    """The input files under `paths`, walked again (lazily, in sorted order) each
    time they are iterated: a folder of millions of files costs the names of one
    folder at a time, not a list of the corpus. A folder is walked; a file is
    taken as is. `keep` filters them (resuming skips files already written); the
    folders in `skip` are never entered (an output folder inside the input, which
    fills while the input is walked). A path that does not exist raises
    FileNotFoundError at once."""

    def __init__(self, paths: Iterable[str | Path], keep: Callable[[Source], bool] | None = None,
                 skip: Iterable[str | Path] = ()):
        self.paths = [Path(p) for p in paths]
        self.keep = keep
        self.skip = frozenset(Path(p).resolve() for p in skip)
        for p in self.paths:
            if not (p.exists() or p.is_symlink()):
                raise FileNotFoundError(f"no such file or folder: {p}")

    def __iter__(self) -> Iterator[Source]:
        for p in self.paths:
            found = _walk(p, "", self.skip) if p.is_dir() \
                else iter([Source(p, p.name, kind_of(p) or "text")])
            for src in found:
                if self.keep is None or self.keep(src):
                    yield src

    def where(self, keep: Callable[[Source], bool]) -> "Sources":
        return Sources(self.paths, keep if self.keep is None
                       else lambda s, a=self.keep, b=keep: a(s) and b(s), self.skip)

    @cached_property
    def census(self) -> tuple[int, bool]:
        """(how many files, whether all are plain text), from one walk."""
        n, only_text = 0, True
        for src in self:
            n += 1
            only_text = only_text and src.kind == "text"
        return n, only_text

    def __len__(self) -> int:
        return self.census[0]


def _walk(folder: Path, rel: str, skip: frozenset = frozenset()) -> Iterator[Source]:
    """The input files under `folder`, ordered by their relative path as a string
    (a folder sorts as its name followed by '/', so that the order is that of
    sorting every path at once). Symlinked folders are not followed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    keyed = []
    for e in entries:
        try:
            is_dir = e.is_dir()  # a symlinked folder sorts as a folder, but is not entered
            walk = is_dir and not e.is_symlink()
        except OSError:  # cannot even tell: taken as a file, so its read is reported
            is_dir = walk = False
        keyed.append((e.name + "/" if is_dir else e.name, e.name, walk))
    keyed.sort()
    for key, name, walk in keyed:
        if walk:
            if not (skip and (folder / name).resolve() in skip):
                yield from _walk(folder / name, f"{rel}{name}/", skip)
        elif key.endswith("/"):
            continue
        elif kind := kind_of(Path(name)):
            yield Source(folder / name, rel + name, kind)


def read_items(sources: Iterable[Source], fields: Fields = Fields()) -> Iterator[Item]:
    """Every document of every source, read lazily; a broken one becomes an
    unreadable document (reported, not written) and reading goes on."""
    for src in sources:
        if src.kind == "text":
            yield _read_text(src)
        elif src.kind == "jsonl":
            yield from _read_jsonl(src, fields)
        else:
            yield from _read_parquet(src, fields)


def _read_text(src: Source) -> Item:
    try:
        return Item(src, document_from_bytes(src.path.read_bytes(), src.rel))
    except OSError as exc:
        return Item(src, unreadable_document(src.rel, exc.strerror or str(exc)))


def _record_item(src: Source, fields: Fields, record: Any, n: int) -> Item:
    rid = f"{src.rel}#{n}"
    if not isinstance(record, dict):
        return Item(src, unreadable_document(rid, f"record {n} is not an object"), position=n)
    if fields.id and record.get(fields.id) is not None:
        rid = f"{src.rel}#{record[fields.id]}"
    text = record.get(fields.text)
    if not isinstance(text, str):
        reason = (f"record {n} has no text field {fields.text!r}" if text is None
                  else f"record {n}: field {fields.text!r} is not a string")
        return Item(src, unreadable_document(rid, reason), record, n)
    if fields.date:
        return Item(src, Document(text, rid, date_field=fields.date,
                                  date_value=record.get(fields.date)), record, n)
    return Item(src, Document(text, rid), record, n)


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The lines of a JSONL file (`.gz`: decompressed), numbered from 1, each with
    its line ending: the one reading of the bytes that cleaning, the edit log and
    restore share."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        yield from enumerate(fh, 1)


def _read_jsonl(src: Source, fields: Fields) -> Iterator[Item]:
    try:
        for n, raw in jsonl_lines(src.path):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError as exc:
                yield Item(src, unreadable_document(f"{src.rel}#{n}",
                                                    f"line {n} is not valid JSON: {exc}"),
                           position=n)
                continue
            yield _record_item(src, fields, record, n)
    except (OSError, EOFError) as exc:
        yield Item(src, unreadable_document(src.rel, getattr(exc, "strerror", None) or str(exc)))


def _read_parquet(src: Source, fields: Fields) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(src.path)
        if fields.text not in pf.schema_arrow.names:
            yield Item(src, unreadable_document(
                src.rel, f"no column {fields.text!r} (columns: {', '.join(pf.schema_arrow.names)})"))
            return
        n = 0
        for batch in pf.iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                n += 1
                yield _record_item(src, fields, record, n)
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        yield Item(src, unreadable_document(src.rel, f"cannot read Parquet: {exc}"))


def batched(items: Iterable[Item], size: int = BATCH_SIZE) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for it in items:
        batch.append(it)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def process_batch(docs: list[Document], options: RuleOptions, corpus: Any = None) -> list[Cleaned]:
    """The unit of work every engine runs: a list of documents in, results out."""
    return clean_documents(docs, options, corpus)


def count_batch(docs: list[Document]) -> LineStats:
    """The statistics pass's unit of work: line counts of a list of documents."""
    return collect(docs)


def _ordered(submit: Callable, batches: Iterable[list[Item]], window: int
             ) -> Iterator[tuple[list[Item], Any]]:
    """Submit batches with at most `window` in flight; yield results in order."""
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, submit([it.doc for it in batch])))
        if len(pending) >= window:
            b, fut = pending.popleft()
            yield b, fut.result()
    while pending:
        b, fut = pending.popleft()
        yield b, fut.result()


class _Now:
    """A finished future, for running a batch in this process."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def map_batches(fn: Callable, items: Iterable[Item], args: tuple = (), jobs: int = 1,
                engine: str = "local", scheduler: str | None = None
                ) -> Iterator[tuple[list[Item], Any]]:
    """`fn(docs, *args)` over batches of items, in this process, a local process
    pool or a Dask cluster; yields (batch, result) in input order."""
    batches = batched(items)
    if engine == "dask":
        from auditor.distributed import dask_client

        with dask_client(scheduler, jobs) as client:
            shared = [client.scatter(a, broadcast=True) if a is not None else None for a in args]
            submit = lambda docs: client.submit(fn, docs, *shared, pure=False)
            yield from _ordered(submit, batches, window=4 * max(1, jobs))
        return
    if jobs <= 1:
        yield from _ordered(lambda docs: _Now(fn(docs, *args)), batches, window=1)
        return
    # the arguments (rule options, corpus statistics that grow with the corpus) go to
    # each worker once, when it starts, not with every batch
    with ProcessPoolExecutor(jobs, initializer=_install, initargs=(args,)) as pool:
        yield from _ordered(lambda docs: pool.submit(_with_installed, fn, docs), batches,
                            window=4 * jobs)


_installed: tuple = ()  # in a worker process: the arguments `map_batches` handed it


def _install(args: tuple) -> None:
    global _installed
    _installed = args


def _with_installed(fn: Callable, docs: list[Document]):
    return fn(docs, *_installed)


def map_documents(items: Iterable[Item], options: RuleOptions, jobs: int = 1,
                  engine: str = "local", scheduler: str | None = None, corpus: Any = None
                  ) -> Iterator[tuple[Item, Cleaned]]:
    """Clean every item, yielding (item, result) in input order."""
    for batch, results in map_batches(process_batch, items, (options, corpus), jobs, engine,
                                      scheduler):
        yield from zip(batch, results)


def collect_stats(items: Iterable[Item], jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None, min_docs: int = 2,
                  min_share: float = 0.0, bucket: int = STATS_BUCKET) -> LineStats:
    """The statistics pass: line counts of every document, merged across workers
    in input order (forgetting, every `bucket` documents of a source, the lines
    too rare to matter, so memory stays bounded), then pruned to the lines that
    recur in `min_docs` documents and `min_share` of their source (the lowest
    thresholds of the rules that will read them)."""
    stats = LineStats(bucket=bucket)
    for _, part in map_batches(count_batch, items, (), jobs, engine, scheduler):
        stats.merge(part)
    return stats.prune(min_docs, min_share)


def temp_beside(path: Path) -> str:
    """A new, empty temporary file in `path`'s folder (made if need be), to be renamed
    onto `path` once complete: a killed run leaves no half file under that name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, FILE_MODE)  # mkstemp makes files private; outputs are ordinary files
    return tmp


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename: a killed run leaves no half file."""
    tmp = temp_beside(path)
    try:
        Path(tmp).write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8", errors="surrogatepass"))


def safe_join(root: Path, rel: str) -> Path | None:
    """`root/rel`, or None when `rel` would leave `root` (absolute, `..`, NUL)."""
    if "\0" in rel or not rel:
        return None
    target = (root / rel).resolve()
    base = root.resolve()
    return target if target == base or base in target.parents else None


class Output:
    """Writes cleaned documents under `out_dir`, each kind in its own form.

    Record files are written to a temporary file as their records arrive and
    renamed into place when the next source starts (or at the end).
    """

    def __init__(self, out_dir: Path, fields: Fields):
        self.out_dir, self.fields = out_dir, fields
        self._open: _RecordFile | None = None

    def write(self, item: Item, result: Cleaned) -> bool:
        if self._open is not None and self._open.source != item.source:
            self._open.close()
            self._open = None
        if item.source.kind == "text":
            if result.error:
                return False
            target = safe_join(self.out_dir, item.source.rel)
            if target is None:
                return False
            write_atomic(target, result.text)
            return True
        if item.record is None or result.error:
            return False
        if self._open is None:
            self._open = _RecordFile(item.source, self.out_dir / item.source.rel)
        self._open.add(with_metadata({**item.record, self.fields.text: result.text}, result.meta))
        return True

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None

    def abort(self) -> None:
        """Drop the record file being written: only complete files ever appear."""
        if self._open is not None:
            self._open.discard()
            self._open = None


# a lone surrogate, which a JSON string may hold as an escape (\ud800) but UTF-8 cannot
SURROGATE = re.compile("[\ud800-\udfff]")


def record_line(record: dict) -> str:
    """A cleaned record as a JSONL line: UTF-8 text as it is, a lone surrogate as
    its escape (JSON can only hold one escaped inside a string, which is where
    `json.dumps` puts it)."""
    line = json.dumps(record, ensure_ascii=False, default=str)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


class _RecordFile:
    """One cleaned JSONL or Parquet file, written as its records arrive. A Parquet
    file keeps its source's schema (types, and metadata such as pandas'), with the
    metadata columns added after its own."""

    ROW_GROUP = 2048

    def __init__(self, source: Source, path: Path):
        self.source, self.path = source, path
        self.tmp = temp_beside(path)
        self.rows: list[dict] = []
        self.writer = None
        if source.kind == "jsonl":
            gz = path.name.lower().endswith(".gz")
            self.fh = gzip.open(self.tmp, "wt", encoding="utf-8", compresslevel=6) if gz else \
                open(self.tmp, "w", encoding="utf-8", newline="\n")

    def add(self, record: dict) -> None:
        if self.source.kind == "jsonl":
            self.fh.write(record_line(record))
            return
        self.rows.append(record)
        if len(self.rows) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        if self.writer is None:
            own = pq.read_schema(self.source.path)
            added = [k for k in self.rows[0] if k not in own.names]
            inferred = pa.Table.from_pylist([{k: r[k] for k in added} for r in self.rows]).schema
            schema = pa.schema(list(own) + [f.with_type(pa.string()) if pa.types.is_null(f.type)
                                            else f for f in inferred], metadata=own.metadata)
            self.writer = pq.ParquetWriter(self.tmp, schema)
        table = pa.Table.from_pylist(self.rows, schema=self.writer.schema)
        self.writer.write_table(table)
        self.rows = []

    def discard(self) -> None:
        if self.source.kind == "jsonl":
            self.fh.close()
        elif self.writer is not None:
            self.writer.close()
        Path(self.tmp).unlink(missing_ok=True)

    def close(self) -> None:
        if self.source.kind == "jsonl":
            self.fh.close()
        else:
            self._flush()
            if self.writer is None:  # no record survived: an empty file with no columns
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.table({}), self.tmp)
            else:
                self.writer.close()
        os.replace(self.tmp, self.path)
