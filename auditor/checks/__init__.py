"""Check kinds: one module each, registered by their `kind` name for rule packs.

Third-party check kinds register through the `auditor.checks` entry-point group.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from auditor.checks.base import REGISTRY, Check, Context, RuleInfo, SettingsError, register

BUILTIN = ("lines", "captions", "duplicates", "wraps", "header", "encoding", "typography",
           "dates", "appended", "boilerplate", "comments")

_loaded = False


def registry() -> dict[str, type[Check]]:
    """All check kinds by name: the built-in ones, then those of installed plugins."""
    global _loaded
    if not _loaded:
        for name in BUILTIN:
            import_module(f"auditor.checks.{name}")
        for ep in entry_points(group="auditor.checks"):
            try:
                register(ep.load())
            except Exception as exc:  # a broken plugin: say which, not a traceback
                raise SettingsError(f"check plugin '{ep.name}' ({ep.value}) failed to load: "
                                    f"{type(exc).__name__}: {exc}") from exc
        _loaded = True
    return REGISTRY


__all__ = ["Check", "Context", "RuleInfo", "SettingsError", "register", "registry"]
