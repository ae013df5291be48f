"""The ` date YYYY-MM-DD` header line: body text merged onto it.

The header is metadata and keeps its own line; when an extractor glued the
first sentence of the article onto it, the fix moves that text to a new line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document
from auditor.findings import Edit


@dataclass(frozen=True)
class MergedSettings:
    message: str = "article text merged onto the header line"


@register
class HeaderMergedCheck(Check):
    """Splits text that follows the header date onto a line of its own."""

    kind = "header-merged"
    Settings = MergedSettings

    def check(self, doc: Document, settings: MergedSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        header = doc.header
        if header is None or not doc.lines or doc.lines[0].blank:
            return
        first = doc.lines[0]
        edit = Edit(header.end, header.rest_start, "\n")
        yield rule.finding(doc, first.start, first.end, settings.message, edit=edit)
