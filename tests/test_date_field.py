"""Dates from record fields (`--date-field`): JSONL and Parquet records of news-please,
trafilatura and CC-News, judged as a ` date YYYY-MM-DD` header is."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from auditor.api import clean_batch
from auditor.cli import app
from auditor.document import Document, read_iso_date

RECORDS = Path(__file__).parent / "fixtures" / "records"
runner = CliRunner()


@pytest.mark.parametrize("value,expected", [
    ("2025-03-13", dt.date(2025, 3, 13)),
    ("2025-03-13T10:42:00Z", dt.date(2025, 3, 13)),
    ("2025-03-13 10:42:00+01:00", dt.date(2025, 3, 13)),
    ("2025-03-13T23:30:00-05:00", dt.date(2025, 3, 13)),  # the date as written, not in UTC
    ("2017-02-17 09:15:00", dt.date(2017, 2, 17)),  # news-please, CC-News
    (" 2025-03-13T10:42:00.123456 ", dt.date(2025, 3, 13)),
    (dt.datetime(2025, 3, 13, 10, 42), dt.date(2025, 3, 13)),  # a Parquet timestamp
    (dt.date(2025, 3, 13), dt.date(2025, 3, 13)),
    ("13.03.2025", None), ("2025-02-30", None), ("Thursday", None), (20250313, None),
    (None, None), ([2025, 3, 13], None),
])
def test_iso_8601_dates_and_date_times_are_read(value, expected):
    assert read_iso_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", float("nan"), pd.NaT])
def test_a_field_that_states_nothing_is_missing_not_malformed(value):
    assert Document("The town fell.", date_field="date", date_value=value).stated_date is None


def audit(path: Path, tmp_path: Path, *args: str) -> pd.DataFrame:
    report = tmp_path / "r.csv"
    res = runner.invoke(app, ["audit", str(path), "--report", str(report), "--select", "DAT",
                              *args])
    assert res.exit_code == 0, res.output
    return pd.read_csv(report, dtype=str, keep_default_na=False)


def test_news_please_records(tmp_path):
    rows = audit(RECORDS / "news-please.jsonl", tmp_path, "--text-field", "maintext",
                 "--date-field", "date_publish", "--id-field", "url")
    by = {(r["file"], r["name"]): r for r in rows.to_dict("records")}
    kursk = by[("news-please.jsonl#https://news.example/kursk", "header-date-mismatch")]
    assert kursk["message"].startswith("field 'date_publish' 2024-12-03 contradicts the body")
    assert "2025-03-13" in kursk["message"] and "dateline" in kursk["message"]
    assert ("news-please.jsonl#https://news.example/ferry", "header-date-mismatch") not in by
    missing = by[("news-please.jsonl#https://news.example/council", "header-date-missing")]
    assert "'date_publish'" in missing["message"]


def test_trafilatura_records(tmp_path):
    rows = audit(RECORDS / "trafilatura.jsonl", tmp_path, "--date-field", "date",
                 "--id-field", "id")
    flagged = rows[rows["name"] == "header-date-mismatch"]
    assert list(flagged["file"]) == ["trafilatura.jsonl#ferry"]
    assert "2024-06-04" in flagged["message"].iloc[0]  # its "Published" line


def test_cc_news_records_and_an_unreadable_date(tmp_path):
    rows = audit(RECORDS / "cc-news.jsonl", tmp_path, "--date-field", "date")
    assert set(rows["name"]) == {"header-date-malformed"}
    (row,) = rows.to_dict("records")
    assert row["file"] == "cc-news.jsonl#2" and row["rule"] == "DAT004"
    assert "field 'date'" in row["message"] and "'Thursday'" in row["message"]


def test_without_the_option_the_record_date_is_not_read(tmp_path):
    rows = audit(RECORDS / "news-please.jsonl", tmp_path, "--text-field", "maintext")
    assert "header-date-mismatch" not in set(rows["name"])
    assert set(rows[rows["name"] == "header-date-missing"]["file"]) == {
        "news-please.jsonl#1", "news-please.jsonl#2", "news-please.jsonl#3"}


def test_cleaned_records_keep_their_date_field_and_carry_the_date_metadata(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RECORDS / "news-please.jsonl", src)
    before = (src / "news-please.jsonl").read_bytes()
    out = tmp_path / "out"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--text-field", "maintext",
                              "--date-field", "date_publish", "-j", "1"])
    assert res.exit_code == 0, res.output
    assert (src / "news-please.jsonl").read_bytes() == before
    originals = [json.loads(line) for line in before.decode().splitlines()]
    cleaned = [json.loads(line) for line in (out / "news-please.jsonl").read_text().splitlines()]
    assert [r["date_publish"] for r in cleaned] == [r["date_publish"] for r in originals]
    meta = [(r["header_date"], r["inferred_date"], r["date_status"], r["date_basis"])
            for r in cleaned]
    assert meta == [("2024-12-03", "2025-03-13", "contradiction", "dateline"),
                    ("2024-06-04", "2024-06-04", "consistent", "stamp"),
                    (None, None, "missing", "none")]


def test_parquet_timestamps_and_the_configuration_file(tmp_path, monkeypatch):
    records = [json.loads(line) for line in
               (RECORDS / "cc-news.jsonl").read_text(encoding="utf-8").splitlines()]
    frame = pd.DataFrame(records[:1])
    frame["published"] = [pd.Timestamp("2024-12-03 09:02:11")]
    src = tmp_path / "in"
    src.mkdir()
    frame.to_parquet(src / "part.parquet")
    (tmp_path / "auditor.toml").write_text('date-field = "published"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rows = audit(src, tmp_path)
    assert list(rows["name"]) == ["header-date-mismatch"]
    assert rows["message"].iloc[0].startswith("field 'published' 2024-12-03 contradicts")
    rows = audit(src, tmp_path, "--date-field", "date")  # the command line wins
    assert "header-date-mismatch" not in set(rows["name"])


def test_a_bad_date_field_in_the_configuration_is_refused(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text("date-field = 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["audit", str(RECORDS / "cc-news.jsonl")])
    assert res.exit_code == 2 and "date-field" in res.output


def test_the_batch_api_takes_a_date_column():
    df = pd.DataFrame({"text": ["March 13, 2025\n\nThe town fell.\n"] * 3,
                       "date": ["2024-12-03", None, pd.Timestamp("2025-03-13 10:00")]})
    cleaned, findings = clean_batch(df, date_field="date")
    assert list(cleaned["date_status"]) == ["contradiction", "missing", "consistent"]
    assert list(cleaned["date"].iloc[[0, 2]]) == ["2024-12-03", pd.Timestamp("2025-03-13 10:00")]
    assert set(findings[findings["rule"] == "DAT001"]["file"]) == {"0"}
