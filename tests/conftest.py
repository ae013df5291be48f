"""Test-session settings: compiled pattern screens are cached in a folder of the
session's own (`AUDITOR_CACHE`, which the command-line runs the tests start inherit),
not in the user's cache."""
import os
import tempfile

os.environ["AUDITOR_CACHE"] = tempfile.mkdtemp(prefix="auditor-test-cache-")
