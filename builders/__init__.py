"""triptych: one narrative, three artefacts."""

__version__ = "0.1.0"
