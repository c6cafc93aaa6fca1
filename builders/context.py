"""What every format builder receives: the model, the theme, the templates, shared work."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .errors import Location, Problem
from .model import Document
from .templating import Templates
from .themes import Theme


@dataclass
class BuildContext:
    doc: Document
    theme: Theme
    templates: Templates
    extras: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, location: Location, message: str) -> None:
        """Report something that builds but will look wrong; `--strict` makes it fatal."""
        self.warnings.append(Problem(location, message))

    @cached_property
    def pdf_layout(self) -> Any:
        """WeasyPrint's page layout, computed once for the PDF and the e-book's page list."""
        from .formats.pdf_briefing import layout

        return layout(self.doc, self.theme, self.templates)

    @cached_property
    def pdf_page_starts(self) -> Any:
        """Where each PDF page starts, for the e-book's page list. When the PDF is laid out in
        its own process, `extras["pdf_page_starts"]` waits for them (builders/pdf_process.py)."""
        elsewhere = self.extras.get("pdf_page_starts")
        if elsewhere is not None:
            return elsewhere()
        from .epub.pagelist import page_starts

        return page_starts(self.pdf_layout)
