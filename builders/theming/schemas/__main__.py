"""`python -m builders.theming.schemas`: rewrite the shipped JSON Schemas from the validators."""

from . import write_all

for path in write_all():
    print(f"wrote {path}")
