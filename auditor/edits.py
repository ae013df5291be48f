"""One document's edits as the edit log keeps them, and undoing them.

A document's entry holds its path, how its bytes were decoded, a SHA-256 of the
original bytes, and the edits as `[start, end, old, new]` on the original text.
From the cleaned text and its edits the original text follows; encoding it the
way it was decoded gives back the original bytes. Where decoding lost bytes, the
entry carries the original bytes themselves (base64). The log of a whole run,
records of JSONL and Parquet files included, is `auditor.editlog`.
"""
from __future__ import annotations

import base64
import hashlib

from auditor.document import Document
from auditor.findings import Edit
from auditor.load import encode_like


class RestoreError(ValueError):
    """The cleaned text and the edit log do not fit together."""


def edit_record(doc: Document, edits: list[Edit]) -> dict:
    """The log entry of one cleaned document."""
    how = doc.meta.get("decoding")
    text = doc.text
    record = {
        "file": doc.id,
        "encoding": how.encoding if how else "utf-8",
        "bom": bool(how and how.bom),
        "sha256": doc.meta.get("sha256")
        or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        "edits": [[e.start, e.end, text[e.start:e.end], e.replacement] for e in edits],
    }
    if "raw" in doc.meta:
        record["raw"] = base64.b64encode(doc.meta["raw"]).decode("ascii")
    return record


def restore_text(cleaned: str, edits: list[list]) -> str:
    """The original text, from the cleaned text and the edits made on the original."""
    out, pos_orig, pos_clean = [], 0, 0
    for start, end, old, new in edits:
        keep = start - pos_orig
        out.append(cleaned[pos_clean:pos_clean + keep])
        pos_clean += keep
        if cleaned[pos_clean:pos_clean + len(new)] != new:
            raise RestoreError(f"cleaned text differs from the log at original offset {start}")
        out.append(old)
        pos_clean += len(new)
        pos_orig = end
    out.append(cleaned[pos_clean:])
    return "".join(out)


def restore_bytes(record: dict, cleaned: str) -> bytes:
    """The original file's bytes; checked against the SHA-256 in the record."""
    if "raw" in record:
        data = base64.b64decode(record["raw"])
    else:
        text = restore_text(cleaned, record["edits"])
        data = encode_like(text, record["encoding"], record["bom"])
    if hashlib.sha256(data).hexdigest() != record["sha256"]:
        raise RestoreError(f"{record['file']}: restored bytes do not match the original's SHA-256")
    return data
