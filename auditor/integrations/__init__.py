"""auditor as a step of other tools' pipelines. Each module needs its tool (an
optional extra, e.g. `pip install "auditor[datatrove]"`); nothing in the core
imports them."""
