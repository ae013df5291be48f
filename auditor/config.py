"""Project configuration: `auditor.toml`, or `[tool.auditor]` in `pyproject.toml`,
found from the current folder upwards (the nearest wins; in one folder,
`auditor.toml` before `pyproject.toml`).

    select = ["NAV", "CAP"]          # rules by code, prefix or name
    ignore = ["HDR004"]
    extend-select = ["DAT"]
    rules = ["packs/my-site.toml"]   # extra packs, relative to this file
    min-confidence = 0.6
    fail-on = "error"
    date-field = "date_publish"      # JSONL/Parquet: the field with the publication date
    [severity]
    NAV001 = "error"
    [rule.NAV001]                    # a rule's parameters, merged over the pack's
    max_words = 6

Anything invalid fails with the file, the key and the reason.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from auditor.findings import SEVERITIES

KEYS = ("select", "ignore", "extend-select", "rules", "min-confidence", "fail-on", "jobs",
        "max-chars", "date-field", "severity", "rule")
LISTS = ("select", "ignore", "extend-select", "rules")


class ConfigError(ValueError):
    """Configuration that cannot be used; the message names file, key and reason."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    min_confidence: float | None = None
    fail_on: str | None = None
    jobs: int | None = None
    max_chars: int | None = None
    date_field: str | None = None
    severity: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str], ...] = ()  # (rule, JSON of its parameters)


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "auditor.toml").is_file():
            return folder / "auditor.toml"
        py = folder / "pyproject.toml"
        if py.is_file() and "auditor" in _read(py).get("tool", {}):
            return py
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})

    def fail(key: str, reason: str):
        raise ConfigError(f"{path}: key '{key}': {reason}")

    for key in data:
        if key not in KEYS:
            fail(key, f"unknown key (known: {', '.join(KEYS)})")
    for key in LISTS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, "must be a list of strings")
    conf = data.get("min-confidence")
    if conf is not None and not (isinstance(conf, (int, float)) and 0 <= conf <= 1):
        fail("min-confidence", "must be a number from 0 to 1")
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES + ("never",):
        fail("fail-on", "must be error, warning, info or never")
    for key in ("jobs", "max-chars"):
        if key in data and not (isinstance(data[key], int) and data[key] >= 0):
            fail(key, "must be a whole number, 0 or more")
    date_field = data.get("date-field")
    if date_field is not None and not (isinstance(date_field, str) and date_field.strip()):
        fail("date-field", "must be the name of a field (a non-empty string)")
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        fail("severity", "must be a table of rule = severity")
    for rule, sev in severity.items():
        if sev not in SEVERITIES:
            fail(f"severity.{rule}", f"must be one of {', '.join(SEVERITIES)}")
    params = data.get("rule", {})
    if not isinstance(params, dict) or not all(isinstance(v, dict) for v in params.values()):
        fail("rule", "must hold one table per rule: [rule.NAV001]")
    base = path.parent
    return Config(
        path=path,
        select=tuple(data.get("select", ())), ignore=tuple(data.get("ignore", ())),
        extend_select=tuple(data.get("extend-select", ())),
        packs=tuple(str((base / p).resolve()) for p in data.get("rules", ())),
        min_confidence=conf, fail_on=fail_on, jobs=data.get("jobs"),
        max_chars=data.get("max-chars"), date_field=date_field,
        severity=tuple(sorted(severity.items())),
        params=tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in params.items())),
    )
