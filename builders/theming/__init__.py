"""Theme folders -> design tokens, the one Jinja environment, shared HTML helpers, chart SVG, JSON Schemas."""
