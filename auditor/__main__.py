"""`python -m auditor`: the same command line as the `auditor` script, for
environments where only the interpreter is on the path (a cluster job, a notebook)."""
from auditor.cli import app

app(prog_name="auditor")
