"""Clean articles come out of `clean` byte for byte as they went in: a headline and its
standfirst, lists, a recipe, an interview, specifications, results, a label repeated
under every item and a closing line are article text (`tests/fixtures/clean/`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.api import clean_document
from auditor.load import document_from_bytes

CLEAN = sorted((Path(__file__).parent / "fixtures" / "clean").glob("*.txt"))


def test_there_are_clean_articles():
    assert len(CLEAN) >= 9


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_a_clean_article_is_left_as_it_is(path):
    done = clean_document(document_from_bytes(path.read_bytes(), path.name))
    changed = [(r["rule"], r["line"], r["action"], r["excerpt"]) for r in done.records
               if r["action"] != "flagged"]
    assert not changed
    assert done.text == path.read_text(encoding="utf-8")
