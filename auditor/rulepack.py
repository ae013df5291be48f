"""Rule packs: TOML files that declare rules, loaded and validated once.

A pack is a list of `[[rule]]` tables. Each names a check kind and its
parameters; the parameters are turned into the kind's frozen settings here, so
a bad pack fails at load time with the file, the line of the rule and the key,
never in the middle of a run.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from auditor.checks import RuleInfo, SettingsError, registry
from auditor.findings import SEVERITIES
from auditor.patterns import untrusted

CATEGORIES = ("header", "date", "navigation", "caption", "appended", "duplicate",
              "truncation", "layout", "encoding", "typography", "tool")
FIXES = ("remove", "fix", "flag")
CODE_RE = re.compile(r"^[A-Z]{2,5}\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED = ("code", "name", "category", "severity", "check", "summary", "why")
OPTIONAL = ("fix", "params", "example", "enabled")


class PackError(ValueError):
    """A rule pack that cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Example:
    """Text before and after the rule, and the lines it reports. Rules about
    decoding give the input as bytes instead: `before` encoded with `encoding`,
    or `hex`; `unreadable` stands for a file that could not be read at all."""

    before: str
    after: str | None = None
    lines: tuple[int, ...] = ()
    encoding: str | None = None
    hex: str | None = None
    unreadable: str | None = None


@dataclass(frozen=True)
class Rule:
    """A rule as a pack declares it, with its check's settings already built."""

    info: RuleInfo
    check: str
    settings: Any
    summary: str
    why: str
    examples: tuple[Example, ...] = ()
    params: dict = field(default_factory=dict, compare=False)
    pack: str = ""
    enabled: bool = True
    calibration: dict = field(default_factory=dict, compare=False)  # measured precision

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def name(self) -> str:
        return self.info.name


def builtin_pack_dir() -> Path:
    """`rules/` inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "rules"
    return inside if inside.is_dir() else here.parent / "rules"


def builtin_packs() -> list[Path]:
    return sorted(builtin_pack_dir().glob("*.toml"))


def calibration_file() -> Path:
    """Where `benchmarks/calibrate.py` writes each built-in removing rule's measured
    removal precision."""
    return builtin_pack_dir() / "calibration" / "precision.toml"


def calibrate(rules: list[Rule], path: Path | None = None) -> list[Rule]:
    """Built-in removing rules with the confidence measured for them.

    What a rule removes, it removes because it is sure: its confidence is the share
    of its removals that were noise on the public benchmarks, so `--min-confidence`
    means "remove only with rules at least this precise". A rule measured too little
    (`measured = false`) keeps the confidence its check declares.
    """
    from dataclasses import replace

    path = path or calibration_file()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return rules
    out = []
    for rule in rules:
        entry = table.get(rule.code)
        if isinstance(entry, dict) and rule.info.fix == "remove":
            entry = {**entry, "measured_on": table.get("measured", ""),
                     "data": table.get("data", "")}
            value = entry.get("confidence")
            rule = replace(rule, calibration=entry,
                           info=replace(rule.info, confidence=value) if value is not None
                           else rule.info)
        out.append(rule)
    return out


def _line_of(raw: str, code: str) -> int:
    m = re.search(r'^\s*code\s*=\s*"' + re.escape(code) + '"', raw, re.M)
    return raw.count("\n", 0, m.start()) + 1 if m else 0


def load_pack(path: str | Path) -> list[Rule]:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"{path}: cannot read rule pack: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: rule pack is not UTF-8: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: invalid TOML: {exc}") from exc
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise PackError(f"{path}: 'rule' must be an array of tables ([[rule]])")
    return [_build_rule(path, raw, i, t) for i, t in enumerate(tables)]


def _build_rule(path: Path, raw: str, index: int, t: dict) -> Rule:
    code = str(t.get("code", f"#{index + 1}"))
    where = f"{path}:{_line_of(raw, code) or '?'}: rule {code}"

    def fail(key: str, reason: str):
        raise PackError(f"{where}: key '{key}': {reason}")

    for key in REQUIRED:
        if key not in t:
            fail(key, "missing")
    for key in t:
        if key not in REQUIRED + OPTIONAL:
            fail(key, f"unknown key (known: {', '.join(REQUIRED + OPTIONAL)})")
    if not CODE_RE.match(code):
        fail("code", "must be 2-5 capital letters and 3 digits, e.g. NAV001")
    if not NAME_RE.match(str(t["name"])):
        fail("name", "must be kebab-case, e.g. navigation-line")
    if t["category"] not in CATEGORIES:
        fail("category", f"must be one of {', '.join(CATEGORIES)}")
    if t["severity"] not in SEVERITIES:
        fail("severity", f"must be one of {', '.join(SEVERITIES)}")
    fix = t.get("fix", "remove")
    if fix not in FIXES:
        fail("fix", f"must be one of {', '.join(FIXES)}")
    try:
        kinds = registry()
    except SettingsError as exc:
        fail("check", str(exc))
    if t["check"] not in kinds:
        fail("check", f"unknown check kind '{t['check']}' (known: {', '.join(sorted(kinds))})")
    params = t.get("params", {})
    if not isinstance(params, dict):
        fail("params", "must be a table")
    try:
        settings = kinds[t["check"]].build_settings(params)
    except SettingsError as exc:
        fail("params", str(exc))
    examples = []
    for ex in t.get("example", []):
        if not isinstance(ex, dict) or "before" not in ex:
            fail("example", "each example needs at least 'before'")
        unknown = set(ex) - {"before", "after", "lines", "encoding", "hex", "unreadable"}
        if unknown:
            fail("example", f"unknown key(s) {', '.join(sorted(unknown))}")
        examples.append(Example(before=ex["before"], after=ex.get("after"),
                                lines=tuple(ex.get("lines", ())), encoding=ex.get("encoding"),
                                hex=ex.get("hex"), unreadable=ex.get("unreadable")))
    info = RuleInfo(code=code, name=t["name"], category=t["category"],
                    severity=t["severity"], fix=fix)
    return Rule(info=info, check=t["check"], settings=settings, summary=t["summary"].strip(),
                why=t["why"].strip(), examples=tuple(examples), params=params,
                pack=str(path), enabled=bool(t.get("enabled", True)))


def load_rules(extra: Iterable[str | Path] = (), builtin: bool = True,
               calibrated: bool = True) -> list[Rule]:
    """The built-in packs (unless `builtin` is False), with their measured confidences
    (unless `calibrated` is False), plus the user's, checked for clashes."""
    ours = builtin_packs() if builtin else []
    paths = ours + [Path(p) for p in extra]
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for p in paths:
        if p in ours:
            loaded = load_pack(p)
            if calibrated:
                loaded = calibrate(loaded)
        else:
            with untrusted():
                loaded = load_pack(p)
        for rule in loaded:
            if rule.code in seen:
                raise PackError(f"{p}: rule {rule.code} is already declared in {seen[rule.code]}")
            seen[rule.code] = str(p)
            rules.append(rule)
    return rules


def _matches(rule: Rule, selector: str) -> bool:
    s = selector.strip()
    return rule.code.startswith(s.upper()) or rule.name == s or s.upper() == "ALL"


def select_rules(rules: list[Rule], select: Iterable[str] | None = None,
                 ignore: Iterable[str] = (), extend_select: Iterable[str] = ()) -> list[Rule]:
    """Pick rules by code, code prefix or name; `ignore` wins over `select`.

    Without `select`, the rules enabled by default are taken; `extend_select`
    adds to whichever set that is (e.g. rules disabled by default).
    """
    select = list(select) if select else None
    ignore = [s for s in ignore if s]
    extend = [s for s in extend_select if s]
    for s in (select or []) + ignore + extend:
        if not any(_matches(r, s) for r in rules):
            raise PackError(f"selector '{s}' matches no rule")
    out = []
    for r in rules:
        chosen = any(_matches(r, s) for s in select) if select else r.enabled
        chosen = chosen or any(_matches(r, s) for s in extend)
        if chosen and not any(_matches(r, s) for s in ignore):
            out.append(r)
    return out


def configure(rules: list[Rule], severity: Iterable[tuple[str, str]] = (),
              params: Iterable[tuple[str, dict]] = (), where: str = "configuration") -> list[Rule]:
    """Rules with severities and parameters overridden (by code or name).

    Parameters merge over the pack's and are validated like a pack's."""
    from dataclasses import replace

    by_key = {**{r.code: r for r in rules}, **{r.name: r for r in rules}}
    changed: dict[str, Rule] = {}
    for key, sev in severity:
        rule = by_key.get(key) or by_key.get(key.upper())
        if rule is None:
            raise PackError(f"{where}: severity.{key}: no such rule")
        rule = changed.get(rule.code, rule)
        changed[rule.code] = replace(rule, info=replace(rule.info, severity=sev))
    for key, override in params:
        rule = by_key.get(key) or by_key.get(key.upper())
        if rule is None:
            raise PackError(f"{where}: rule.{key}: no such rule")
        rule = changed.get(rule.code, rule)
        merged = {**rule.params, **override}
        try:
            settings = registry()[rule.check].build_settings(merged)
        except SettingsError as exc:
            raise PackError(f"{where}: rule.{key}: {exc}") from exc
        info = rule.info
        if "confidence" in override:  # the user's own figure wins over the measured one
            info = replace(info, confidence=None)
        changed[rule.code] = replace(rule, settings=settings, params=merged, info=info)
    return [changed.get(r.code, r) for r in rules]
