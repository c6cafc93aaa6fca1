"""The PDF briefing: WeasyPrint layout and drawing, its caches and its repairs."""
