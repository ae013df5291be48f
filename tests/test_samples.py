"""The user's five sample articles: every problem an editor marked is found and
handled as expected, and clean changes nothing an editor did not mark."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from auditor.api import clean_document
from auditor.load import document_from_bytes

ROOT = Path(__file__).parent.parent
SAMPLES = sorted((ROOT / "sample_data").glob("*.txt"))
EXPECTED = ROOT / "tests" / "fixtures" / "samples"


def expected(sample: Path) -> list[dict]:
    with open(EXPECTED / f"{sample.stem}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["line"], r["end_line"] = int(r["line"]), int(r["end_line"])
    return rows


def matches(row: dict, finding: dict) -> bool:
    return (row["name"] in ("*", finding["name"]) and row["category"] == finding["category"]
            and (row["line"], row["end_line"]) == (finding["line"], finding["end_line"])
            and row["action"] == finding["action"])


def test_there_are_five_samples_with_expectations():
    assert [p.stem for p in SAMPLES] == sorted(p.stem for p in EXPECTED.glob("*.csv"))
    assert len(SAMPLES) == 5


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_marked_problem_is_found(sample):
    found = clean_document(document_from_bytes(sample.read_bytes(), sample.name)).records
    missing = [r for r in expected(sample) if r["need"] == "required"
               and not any(matches(r, f) for f in found)]
    assert not missing, missing


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_nothing_unmarked_is_changed(sample):
    found = clean_document(document_from_bytes(sample.read_bytes(), sample.name)).records
    rows = expected(sample)
    unexpected = [(f["line"], f["end_line"], f["rule"], f["name"], f["action"]) for f in found
                  if f["action"] != "flagged" and not any(matches(r, f) for r in rows)]
    assert not unexpected, unexpected


# SHA-256 of the user's five example files, as they gave them
SEED_SHA256 = {
    "000_c09f9be5b21b3bf1.txt": "35895af8236634f5b7ee4b7307fd20b4f1c3ec8db45a2a5813c017211508d89e",
    "001_fbf9d7aa774f525d.txt": "d7e08aeb5646b608c73b071d357c4769f49cadcb5645078ceb49264da0bc7577",
    "002_f6cdbc7b12bc632a.txt": "a2ff397efd30a32176dc8ef6fc84224396b6dc0ca0b6f265f3ea9488999f241c",
    "003_07ae68b80a89e615.txt": "c7d296cb0cc277d21ca50a36330f325b0c8079f3cc2b204bf5fd274ba1a3d9df",
    "004_cc470b77ab695863.txt": "ce59df6075aaf440a505b1b2dbb14481ac6a37384922a39bb51110f89c076f0c",
}


def test_samples_are_the_users_files_byte_for_byte():
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLES} == SEED_SHA256
