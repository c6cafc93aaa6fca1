"""What every format builder receives: the model, the theme, the templates, shared work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..core.errors import Location, Problem
from ..core.model import Document

if TYPE_CHECKING:  # annotations only: an up-to-date build never loads the template engine
    from ..theming.templating import Templates
    from ..theming.themes import Theme


@dataclass
class PageStarts:
    """Per PDF page, the key of the block its first line belongs to; keys in reading order."""

    tops: list[str]
    order: list[str]


@dataclass
class BuildContext:
    doc: Document
    theme: Theme
    templates: Templates
    extras: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # The PDF's page starts, for the e-book's page list; the scheduler hands the provider over
    # (laid out here, or waited for from the PDF's own process). No format imports another.
    page_starts: Callable[[], PageStarts] | None = None

    def warn(self, location: Location, message: str) -> None:
        """Report something that builds but will look wrong; `--strict` makes it fatal."""
        self.warnings.append(Problem(location, message))
