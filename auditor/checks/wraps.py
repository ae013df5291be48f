"""Sentences broken across lines: link text cut out onto lines of its own
("The" / "Russian ministry of defence" / "announced …") and hard-wrapped paragraphs.

A break between two adjacent lines is a wrap when the first does not end a
sentence and the second plainly continues it: it starts in lower case or with
punctuation, or the first ends on a word that cannot end a sentence ("the",
"of"), or a short fragment sits between two such breaks. A chain of wraps is
joined only when it ends like a sentence, so menus of short lines stay as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document, Line, count_words
from auditor.findings import Edit

CLOSING = tuple(",.;:!?)]}”’»%")
END_WORDS = frozenset("""a an the of to in on at by for from with and or but nor as
into onto than that which who whose whom its their his her our your my this these those
de la le les des du et der die das den dem und von zu el los las del y da do dos em""".split())
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WrapSettings:
    fragment_words: int = 6
    min_chain_words: int = 8
    message: str = "sentence broken over {n} lines"


def _continues(text: str) -> bool:
    s = text.lstrip()
    return bool(s) and (s[0].islower() or s.startswith(CLOSING))


def _ends_open(text: str) -> bool:
    words = WORD.findall(text[-40:].casefold())
    return bool(words) and words[-1] in END_WORDS


@register
class WrapCheck(Check):
    """Joins the lines of a sentence that an extractor broke apart."""

    kind = "wraps"
    Settings = WrapSettings

    def check(self, doc: Document, settings: WrapSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        for para in doc.paragraphs:
            if len(para) < 2:
                continue
            links = self._links(para, settings)
            i = 0
            while i < len(para) - 1:
                if not links[i]:
                    i += 1
                    continue
                j = i
                while j < len(para) - 1 and links[j]:
                    j += 1
                chain = para[i:j + 1]
                if self._sentence_like(chain, settings):
                    yield self._join(doc, chain, rule, settings)
                i = j + 1

    @staticmethod
    def _links(para: tuple[Line, ...], s: WrapSettings) -> list[bool]:
        texts = [line.text.rstrip() for line in para]
        open_end = [not line.ends_sentence for line in para]
        links = [open_end[k] and (_continues(texts[k + 1]) or _ends_open(texts[k]))
                 for k in range(len(para) - 1)]
        for k in range(1, len(para) - 1):  # a short link-text fragment between two breaks
            short = count_words(texts[k]) <= s.fragment_words and open_end[k]
            if short and links[k] and open_end[k - 1] and not links[k - 1]:
                links[k - 1] = True
        return links

    @staticmethod
    def _sentence_like(chain: tuple[Line, ...], s: WrapSettings) -> bool:
        words = sum(count_words(line.text) for line in chain)
        return (chain[-1].ends_sentence and words >= s.min_chain_words
                and max(count_words(line.text) for line in chain) >= 4)

    @staticmethod
    def _join(doc: Document, chain: tuple[Line, ...], rule: RuleInfo, s: WrapSettings):
        parts = [chain[0].text.rstrip()]
        for line in chain[1:]:
            piece = line.text.strip()
            parts.append(piece if piece.startswith(CLOSING) else " " + piece)
        joined = "".join(parts)
        edit = Edit(chain[0].start, chain[-1].end, joined)
        return rule.finding(doc, chain[0].start, chain[-1].end,
                            s.message.format(n=len(chain)), edit=edit)
