"""The edit log of a `clean` run, and `restore`: every original file, byte for byte
(JSONL) or value for value (Parquet), from the cleaned folder and the log.

A `.txt` file has one entry (`edits.edit_record`): its edits and how its bytes
were decoded. A JSONL or Parquet file has an entry where it begins, one per line
or row, and one where it ends:

    {"file": "a.jsonl", "begin": "jsonl", "text_field": "text"}
    {"file": "a.jsonl", "position": 1, "id": 7, "edits": [[0, 13, "All sections\\n", ""]], "keys": 3, "form": 1}
    {"file": "a.jsonl", "position": 2, "raw": "Cg=="}
    {"file": "a.jsonl", "end": 2, "sha256": "…"}

A written record's line is rebuilt from its cleaned line: the record's own fields
(the first `keys`; clean adds the metadata after them), the text with its `edits`
undone, serialised in the `form` the original line was written in (see `FORMS`),
ended as it was (`eol`, where not "\\n"). A line no form reproduces, and a line clean
did not write (blank, not JSON, not an object, no text), is kept whole in `raw`
(base64). The end entry holds the SHA-256 of the whole original (uncompressed), which
the rebuilt file must match. A Parquet file's begin entry holds its Arrow schema; its
rows come back from the cleaned file's own columns (clean keeps their types), the
texts with their edits undone; a row clean did not write is kept in `raw` (that one
row as an Arrow stream); the end entry's SHA-256 covers the original texts.

The log reads each JSONL source a second time, beside the run, to have its bytes:
only a run with `--edits` pays for that.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterator

from auditor.api import Cleaned
from auditor.corpus import (SURROGATE, Fields, Item, Source, jsonl_lines, safe_join, temp_beside,
                            write_bytes_atomic)
from auditor.edits import RestoreError, restore_bytes, restore_text

# the ways JSONL writers lay out a record, as (ensure_ascii, separators, "/" escaped):
# Python's json.dumps with ensure_ascii=False (and auditor's own output), json.dumps's
# default, compact UTF-8 (orjson, JavaScript, datatrove), compact ASCII, and pandas'
# to_json (compact ASCII, "\/")
FORMS = ((False, (", ", ": "), False), (True, (", ", ": "), False), (False, (",", ":"), False),
         (True, (",", ":"), False), (True, (",", ":"), True))
ROWS_PER_WRITE = 2048


def dump(record: dict, form: int) -> bytes:
    """A record serialised in one of the `FORMS`, without its line ending."""
    ascii_only, separators, slash = FORMS[form]
    text = json.dumps(record, ensure_ascii=ascii_only, separators=separators)
    if slash:  # "/" is found only inside strings, where "\/" is its escape
        text = text.replace("/", "\\/")
    return text.encode("utf-8", "surrogatepass")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _split_eol(line: bytes) -> tuple[bytes, str]:
    for eol in ("\r\n", "\n"):
        if line.endswith(eol.encode()):
            return line[:-len(eol)], eol
    return line, ""


class EditLog:
    """Writes the edit log as documents finish, in input order, one source after
    another (see the module's docstring for what each entry holds)."""

    def __init__(self, path: Path, append: bool = False, fields: Fields = Fields()):
        self.path, self.fields = path, fields
        path.parent.mkdir(parents=True, exist_ok=True)
        # a lone surrogate (JSON records can hold one) as its JSON escape, \ud800
        self._fh = open(path, "a" if append else "w", encoding="utf-8", errors="backslashreplace")
        self._open: _JsonlEntries | _ParquetEntries | None = None

    def write(self, entry: dict) -> None:
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def add(self, item: Item, result: Cleaned, written: bool) -> None:
        """Log one document: `written` says whether clean wrote it to the output."""
        if self._open is not None and self._open.source != item.source:
            self._end()
        if item.source.kind == "text":
            if written:
                self.write(result.edit_record)
            return
        if self._open is None:
            kind = _JsonlEntries if item.source.kind == "jsonl" else _ParquetEntries
            self._open = kind(item.source, self.fields, self)
        self._open.add(item, result, written)

    def _end(self) -> None:
        self._open.end()
        self._open = None
        self._fh.flush()  # a finished file's entries reach the disk with its output

    def close(self) -> None:
        """The last file's end entry, then the log closed."""
        if self._open is not None:
            self._end()
        self._fh.close()

    def abort(self) -> None:
        """Close without ending the file being written (its output was dropped):
        restore then knows it incomplete, and `--resume` begins it again."""
        self._open = None
        self._fh.close()


class _Entries:
    """The entries of one record source: what JSONL and Parquet share."""

    def __init__(self, source: Source, fields: Fields, log: EditLog):
        self.source, self.fields, self.log = source, fields, log
        self.digest = hashlib.sha256()
        self.count = 0  # positions logged so far
        self.unreadable = ""

    def _entry(self, item: Item) -> dict:
        """A record's entry: its file and position, and its id where there is one (as
        text where JSON cannot hold it, a date or bytes: the id only helps a reader)."""
        entry = {"file": self.source.rel, "position": item.position}
        rid = item.record.get(self.fields.id) if self.fields.id and item.record else None
        if rid is not None:
            entry["id"] = rid if isinstance(rid, (str, int, float, bool)) else str(rid)
        return entry

    def end(self) -> None:
        end = {"file": self.source.rel, "end": self.count}
        if self.unreadable:
            end["unreadable"] = self.unreadable
        else:
            end["sha256"] = self.digest.hexdigest()
        self.log.write(end)


class _JsonlEntries(_Entries):
    """The entries of one JSONL source. Its lines are read again here, in step with
    the documents as they arrive, for the bytes of each."""

    def __init__(self, source: Source, fields: Fields, log: EditLog):
        super().__init__(source, fields, log)
        self.lines = jsonl_lines(source.path)
        self.form = 0  # the form the last line was in: tried first for the next
        log.write({"file": source.rel, "begin": "jsonl", "text_field": fields.text})

    def _read_to(self, position: int) -> bytes | None:
        """The bytes of line `position`; the lines before it (blank lines, which are
        no documents) are logged whole. None where the file ends before it, or
        cannot be read on (then `unreadable` says why)."""
        try:
            while self.count < position:
                self.count, line = next(self.lines)
                self.digest.update(line)
                if self.count < position:
                    self._raw(self.count, line)
            return line
        except StopIteration:
            return None
        except (OSError, EOFError) as exc:
            self.unreadable = str(exc)
            return None

    def _raw(self, position: int, line: bytes) -> None:
        self.log.write({"file": self.source.rel, "position": position, "raw": _b64(line)})

    def add(self, item: Item, result: Cleaned, written: bool) -> None:
        if item.position == 0:  # the file could not be read (on to its end)
            self.unreadable = item.doc.meta.get("error", "unreadable")
        if self.unreadable:
            return
        line = self._read_to(item.position)
        if line is None:
            self.unreadable = self.unreadable or "it changed while it was being cleaned"
            return
        entry = self._entry(item)
        if written:
            entry["edits"] = result.edit_record["edits"]
            body, eol = _split_eol(line)
            form = self._form_of(item.record, body, item.doc.text)
            if form is not None:
                entry.update(keys=len(item.record), form=form)
                if eol != "\n":
                    entry["eol"] = eol
        if "form" not in entry:
            entry["raw"] = _b64(line)
        self.log.write(entry)

    def _form_of(self, record: dict, body: bytes, text: str) -> int | None:
        """The form that writes `record` as `body`, or None. None too where the text
        holds a lone surrogate: JSON reads two escaped ones side by side as one
        character, so an edit that brought two together would not come back."""
        if SURROGATE.search(text):
            return None
        for form in (self.form, *range(len(FORMS))):
            if dump(record, form) == body:
                self.form = form
                return form
        return None

    def end(self) -> None:
        while not self.unreadable and (line := self._read_to(self.count + 1)) is not None:
            self._raw(self.count, line)  # the blank lines after the last document
        super().end()
        self.lines.close()


def _add_text(digest, text: str) -> None:
    """Fold one text into a digest of texts in order (each with its length, so that
    no two lists of texts fold alike)."""
    data = text.encode("utf-8", "surrogatepass")
    digest.update(len(data).to_bytes(8, "big") + data)


class _ParquetEntries(_Entries):
    """The entries of one Parquet source: its schema, then a row's edits, or the
    row itself where clean did not write it; the digest is of the texts."""

    def __init__(self, source: Source, fields: Fields, log: EditLog):
        import pyarrow.parquet as pq

        super().__init__(source, fields, log)
        try:
            self.schema = pq.read_schema(source.path)
        except Exception as exc:  # pyarrow raises many kinds for a damaged file
            self.schema, self.unreadable = None, f"cannot read Parquet: {exc}"
        begin = {"file": source.rel, "begin": "parquet", "text_field": fields.text}
        if self.schema is not None:
            begin["schema"] = _b64(self.schema.serialize().to_pybytes())
        log.write(begin)

    def add(self, item: Item, result: Cleaned, written: bool) -> None:
        import pyarrow as pa

        if item.position == 0 or self.schema is None:
            self.unreadable = self.unreadable or item.doc.meta.get("error", "unreadable")
            return
        self.count = item.position
        entry = self._entry(item)
        if written:
            _add_text(self.digest, item.doc.text)
            entry["edits"] = result.edit_record["edits"]
        else:  # the row as an Arrow stream of its own (with any dictionary it needs)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, self.schema) as stream:
                stream.write_batch(pa.RecordBatch.from_pylist([item.record], schema=self.schema))
            entry["raw"] = _b64(sink.getvalue().to_pybytes())
        self.log.write(entry)


# --- restore -------------------------------------------------------------------


def restore(cleaned_dir: Path, log_path: Path, out_dir: Path) -> Iterator[tuple[str, str]]:
    """Rebuild every original file the log holds under `out_dir`; yields (file, "")
    for each rebuilt and (file, why) for each that could not be. A file is written
    whole or not at all."""
    current: _Rebuild | None = None
    for n, entry in _entries(log_path):
        if entry is None:
            yield f"{log_path}:{n}", "not an edit-log entry (the log is damaged here)"
            continue
        file = entry.get("file", "")
        if "begin" in entry:
            if current is not None:  # begun, never ended: the run stopped in it
                current.discard()
                if current.file != file:  # (where it begins again, a resumed run redid it)
                    yield current.file, "the log stops before its end (the run was interrupted)"
            current = _Rebuild.begin(entry, cleaned_dir, out_dir)
        elif "position" in entry or "end" in entry:
            if current is None or current.file != file:
                if "end" in entry:  # said once, at the file's end
                    yield file, "the log has no beginning for this file (it is damaged)"
            elif "position" in entry:
                current.add(entry)
            else:
                yield file, current.finish(entry)
                current = None
        else:
            yield file, _restore_txt(entry, cleaned_dir, out_dir)
    if current is not None:
        current.discard()
        yield current.file, "the log stops before its end (the run was interrupted)"


def _entries(path: Path) -> Iterator[tuple[int, dict | None]]:
    with open(path, encoding="utf-8", errors="replace") as fh:  # damage shows as a mismatch
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            yield n, entry if isinstance(entry, dict) else None


def _restore_txt(entry: dict, cleaned_dir: Path, out_dir: Path) -> str:
    target = safe_join(out_dir, entry.get("file", ""))
    if target is None:
        return "its path leaves --out; skipped"
    try:
        cleaned = (cleaned_dir / entry["file"]).read_text(encoding="utf-8")
        data = restore_bytes(entry, cleaned)
    except (OSError, UnicodeDecodeError, RestoreError, ValueError, KeyError) as exc:
        return f"cannot restore: {exc}"
    write_bytes_atomic(target, data)
    return ""


@dataclass
class _Rebuild:
    """One JSONL or Parquet original being rebuilt, into a temporary file beside
    its target that is renamed into place when the end entry checks out. Once
    something does not fit (`problem`), the file's other entries are passed over."""

    file: str
    target: Path | None
    cleaned: Path
    text_field: str
    problem: str = ""
    tmp: str = ""
    count: int = 0

    @staticmethod
    def begin(entry: dict, cleaned_dir: Path, out_dir: Path) -> "_Rebuild":
        kind = _JsonlRebuild if entry.get("begin") == "jsonl" else _ParquetRebuild
        file = entry.get("file", "")
        rebuild = kind(file, safe_join(out_dir, file), cleaned_dir / file,
                       entry.get("text_field", "text"))
        if rebuild.target is None:
            rebuild.problem = "its path leaves --out; skipped"
            return rebuild
        try:
            rebuild.tmp = temp_beside(rebuild.target)
            rebuild.open(entry)
        except Exception as exc:  # a cleaned file that is missing or damaged, a bad schema
            rebuild.problem = f"cannot restore: {exc}"
        return rebuild

    def add(self, entry: dict) -> None:
        if self.problem:
            return
        try:
            if entry.get("position") != self.count + 1:
                raise RestoreError(f"the log skips from position {self.count} to "
                                   f"{entry.get('position')}")
            self.count += 1
            self.put(entry)
        except Exception as exc:  # whatever a cleaned file, edited or damaged, makes the readers raise
            self.problem = (f"cannot restore: the cleaned file ends before position {self.count}"
                            if isinstance(exc, StopIteration)
                            else f"cannot restore position {self.count}: {exc}")

    def finish(self, end: dict) -> str:
        if end.get("unreadable"):  # what the log lacks, whatever else went wrong
            self.problem = (f"not restored: it could not be read (to its end) when it was "
                            f"cleaned ({end['unreadable']})")
        if not self.problem:
            try:
                self.problem = self.close(end)
            except Exception as exc:  # the cleaned file damaged after its last row read
                self.problem = f"cannot restore: {exc}"
        if self.problem:
            self.discard()
            return self.problem
        os.replace(self.tmp, self.target)
        return ""

    def discard(self) -> None:
        try:
            self.drop()
        finally:
            if self.tmp:
                Path(self.tmp).unlink(missing_ok=True)


class _JsonlRebuild(_Rebuild):
    def open(self, begin: dict) -> None:
        self.lines = jsonl_lines(self.cleaned)
        gz = self.target.name.lower().endswith(".gz")
        self.out = gzip.open(self.tmp, "wb", compresslevel=6) if gz else open(self.tmp, "wb")
        self.digest = hashlib.sha256()

    def put(self, entry: dict) -> None:
        cleaned = next(self.lines)[1] if "edits" in entry else None
        if "raw" in entry:
            line = base64.b64decode(entry["raw"])
        else:
            record = json.loads(cleaned)
            if not isinstance(record, dict):
                raise RestoreError("the cleaned line is not an object")
            original = dict(islice(record.items(), entry["keys"]))
            original[self.text_field] = restore_text(original[self.text_field], entry["edits"])
            line = dump(original, entry["form"]) + entry.get("eol", "\n").encode()
        self.digest.update(line)
        self.out.write(line)

    def close(self, end: dict) -> str:
        # (a file none of whose records clean wrote has no cleaned file)
        if self.cleaned.exists() and next(self.lines, None) is not None:
            return "cannot restore: the cleaned file has more lines than the log"
        self.drop()
        if self.count != end.get("end") or self.digest.hexdigest() != end.get("sha256"):
            return "cannot restore: the rebuilt lines do not match the original's SHA-256"
        return ""

    def drop(self) -> None:
        for thing in (getattr(self, "out", None), getattr(self, "lines", None)):
            if thing is not None:
                thing.close()


class _ParquetRebuild(_Rebuild):
    def open(self, begin: dict) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.schema = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(begin["schema"])))
        self.rows = self._cleaned_rows()
        self.writer = pq.ParquetWriter(self.tmp, self.schema)
        self.pending: list[dict] = []
        self.digest = hashlib.sha256()

    def _cleaned_rows(self) -> Iterator[dict]:
        """The cleaned file's rows, its own columns only, read when first asked for (a
        file none of whose rows clean wrote has no cleaned file)."""
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(self.cleaned).iter_batches(batch_size=1024,
                                                                 columns=self.schema.names):
            yield from batch.to_pylist()

    def put(self, entry: dict) -> None:
        import pyarrow as pa

        if "raw" in entry:
            row = pa.ipc.open_stream(base64.b64decode(entry["raw"])).read_all().to_pylist()[0]
        else:
            row = next(self.rows)
            row[self.text_field] = restore_text(row[self.text_field], entry["edits"])
            _add_text(self.digest, row[self.text_field])
        self.pending.append(row)
        if len(self.pending) >= ROWS_PER_WRITE:
            self._write()

    def _write(self) -> None:
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pylist(self.pending, schema=self.schema))
        self.pending = []

    def close(self, end: dict) -> str:
        if self.cleaned.exists() and next(self.rows, None) is not None:
            return "cannot restore: the cleaned file has more rows than the log"
        if self.pending:
            self._write()
        self.drop()
        if self.count != end.get("end") or self.digest.hexdigest() != end.get("sha256"):
            return "cannot restore: the rebuilt texts do not match the original's SHA-256"
        return ""

    def drop(self) -> None:
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.close()
            self.writer = None
