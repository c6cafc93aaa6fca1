"""`triptych check --outputs`: read built artefacts back (PDF, e-book, deck overflow); never on the build path."""
