"""Bytes to text: UTF-8 on the fast path, chardet only when UTF-8 fails.

How a file was decoded is kept in `Document.meta["decoding"]`, where the
encoding rules read it and report it; mojibake left in the decoded text is the
encoding check's business (it repairs it with ftfy, as an edit).
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

from auditor.document import Document

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoding:
    """How bytes became text: the encoding, how sure we are, and what was lost."""

    encoding: str
    confidence: float = 1.0
    bom: bool = False
    replaced: int = 0  # bytes that could not be decoded and became U+FFFD

    @property
    def fast_path(self) -> bool:
        return self.encoding == "utf-8" and not self.bom and not self.replaced


def decode(data: bytes) -> tuple[str, Decoding]:
    """Decode article bytes; never raises."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return text, Decoding(enc.removesuffix("-sig"), 1.0, True, text.count("\ufffd"))
    try:
        return data.decode("utf-8"), Decoding("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    lost = as_utf8.count("\ufffd")
    valid = sum(ord(c) > 127 for c in as_utf8) - lost
    if valid and valid >= lost:
        # at least as many valid multi-byte characters as broken ones: damaged UTF-8
        return as_utf8, Decoding("utf-8", 1.0, False, lost)
    import chardet

    guess = chardet.detect(data)
    enc = (guess.get("encoding") or "").lower()
    conf = float(guess.get("confidence") or 0.0)
    try:
        usable = codecs.lookup(enc).name != "utf-8"
    except LookupError:
        usable = False
    if not usable:
        return as_utf8, Decoding("utf-8", conf, False, lost)
    text = data.decode(enc, errors="replace")
    return text, Decoding(enc, conf, False, text.count("\ufffd"))


def document_from_bytes(data: bytes, doc_id: str = "") -> Document:
    """A document and how it was decoded; the original bytes are kept only where
    decoding lost some of them, so that the edit log can still give them back."""
    text, how = decode(data)
    meta = {"decoding": how, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if not how.fast_path and encode_like(text, how.encoding, how.bom) != data:
        meta["raw"] = data
    return Document(text, doc_id, meta)


def encode_like(text: str, encoding: str, bom: bool) -> bytes:
    """Encode text the way `decode` found it encoded (the inverse where decoding lost nothing)."""
    if bom and encoding == "utf-8":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    try:
        return text.encode(encoding, errors="strict")
    except (UnicodeError, LookupError):
        return b""


def unreadable_document(doc_id: str, reason: str) -> Document:
    """An empty document standing for a file that could not be read at all."""
    return Document("", doc_id, {"error": reason})
