"""Encoding damage: files that could not be read, legacy encodings, bytes lost in
decoding, mojibake and stray control characters.

The loader records how it decoded a file in `Document.meta`; these checks turn
that into findings. Mojibake is repaired line by line with ftfy, restricted to
encoding fixes (quotes, widths and ligatures are left alone), and only lines
that look damaged are handed to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document
from auditor.findings import Edit

# characters that UTF-8 read as Latin-1/cp1252 leaves behind (Ã©, â€™, Â, Ð, Ñ …)
SUSPECT_LEADS = "\u00c2\u00c3\u00c5\u00d0\u00d1\u00e2\u00ef"
SUSPECT = re.compile(f"[{SUSPECT_LEADS}][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc\u20ac\u2122]")
CONTROL_CHARS = "".join(map(chr, (*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f)))
CONTROL = re.compile(f"[{re.escape(CONTROL_CHARS)}]+")


@dataclass(frozen=True)
class NoSettings:
    message: str = ""


@register
class UnreadableCheck(Check):
    """Reports a file that could not be read at all (the run goes on without it)."""

    kind = "unreadable"
    Settings = NoSettings

    def check(self, doc: Document, settings: NoSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        if doc.meta.get("error"):
            yield rule.finding(doc, 0, 0, f"could not read the file: {doc.meta['error']}",
                               excerpt="")


@register
class LegacyEncodingCheck(Check):
    """Reports a file that was not UTF-8 and was decoded with a detected encoding."""

    kind = "legacy-encoding"
    Settings = NoSettings

    def check(self, doc: Document, settings: NoSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        how = doc.meta.get("decoding")
        if how is None or how.fast_path or how.encoding == "utf-8" and not how.bom:
            return
        bom = " with a byte-order mark" if how.bom else ""
        yield rule.finding(doc, 0, 0, f"decoded as {how.encoding}{bom} (confidence "
                           f"{how.confidence:.2f}); cleaned output is UTF-8",
                           confidence=how.confidence, excerpt="")


@register
class LostBytesCheck(Check):
    """Reports bytes that no encoding could decode (they became U+FFFD)."""

    kind = "lost-bytes"
    Settings = NoSettings

    def check(self, doc: Document, settings: NoSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        how = doc.meta.get("decoding")
        if how is None or not how.replaced:
            return
        first = doc.text.find("\ufffd")
        yield rule.finding(doc, first, first + 1,
                           f"{how.replaced} undecodable byte sequence(s) replaced by U+FFFD")


@register
class MojibakeCheck(Check):
    """Repairs text that was decoded with the wrong encoding somewhere upstream."""

    kind = "mojibake"
    Settings = NoSettings
    line_local = True

    def check(self, doc: Document, settings: NoSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        # most texts hold none of the characters a mojibake pair opens with: looking
        # for each is many times faster than the pattern's scan
        if not any(c in doc.text for c in SUSPECT_LEADS) or not SUSPECT.search(doc.text):
            return
        from ftfy import TextFixerConfig, fix_text

        config = TextFixerConfig(unescape_html=False, remove_terminal_escapes=False,
                                 fix_latin_ligatures=False, fix_character_width=False,
                                 uncurl_quotes=False, fix_line_breaks=False,
                                 remove_control_chars=False, normalization=None,
                                 explain=False)
        for line in doc.body_lines:
            if not SUSPECT.search(line.text):
                continue
            fixed = fix_text(line.text, config)
            if fixed != line.text:
                yield rule.finding(doc, line.start, line.end,
                                   f"mojibake repaired: {fixed[:60]!r}",
                                   edit=Edit(line.start, line.end, fixed))


@register
class ControlCharCheck(Check):
    """Removes control characters (NUL, escape, form feed…) that no article contains."""

    kind = "control-chars"
    Settings = NoSettings
    line_local = True

    def check(self, doc: Document, settings: NoSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        # looking for each character is many times faster than the regex's scan,
        # and almost no text has any
        if not any(c in doc.text for c in CONTROL_CHARS):
            return
        for m in CONTROL.finditer(doc.text):
            yield rule.finding(doc, m.start(), m.end(),
                               f"{len(m.group())} control character(s) "
                               f"{', '.join(sorted({f'U+{ord(c):04X}' for c in m.group()}))}",
                               edit=Edit(m.start(), m.end(), ""), excerpt=repr(m.group()))
