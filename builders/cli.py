"""The `triptych` command line. Heavy libraries load only inside the commands that need them."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__

DEFAULT_SOURCE = Path("source")
DEFAULT_OUT = Path("output")
ALL_FORMATS = ("pdf", "pptx", "epub")
EXIT_CODES = """Exit codes: 0 success, 1 problems in the source, theme or build (each printed
as file:line:col: message), 2 wrong usage of the command."""


def _formats(value: str | None) -> list[str]:
    from . import formats

    if not value:
        return formats.available()
    wanted = [f.strip().lower() for f in value.split(",") if f.strip()]
    for name in wanted:
        if name not in ALL_FORMATS:
            raise click.BadParameter(f'"{name}" is not one of {", ".join(ALL_FORMATS)}', param_hint="--format")
    return wanted


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="triptych")
def main() -> None:
    """One narrative, three artefacts: a PDF briefing, a PowerPoint deck and an EPUB e-book."""


@main.command(epilog=EXIT_CODES)
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--format", "format_", metavar="LIST", help="Formats to build, e.g. pdf,epub (default: all).")
@click.option("--theme", metavar="NAME", help="Theme to use instead of the one the front matter names.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder the artefacts are written to.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def build(source: Path | None, format_: str | None, theme: str | None, out: Path, quiet: bool, as_json: bool) -> None:
    """Build SOURCE (a narrative file or folder; default: the sample in source/)."""
    from .pipeline import build as run_build

    source = source or DEFAULT_SOURCE
    wanted = _formats(format_)
    show = not quiet and not as_json
    started = time.perf_counter()

    def progress(name: str) -> None:
        if show and sys.stderr.isatty():
            click.echo(f"  building {name} …", err=True)

    results = run_build(source, wanted, out, theme, progress)
    if as_json:
        click.echo(json.dumps([{"format": r.format, "file": str(r.path), "bytes": r.size, "count": r.count,
                                "seconds": round(r.seconds, 3)} for r in results], indent=2))
    elif show:
        _summary(results, time.perf_counter() - started)


def _summary(results: list, total: float) -> None:
    rows = [("file", "size", "pages/slides", "seconds")]
    for r in results:
        rows.append((str(r.path), _size(r.size), str(r.count or "–"), f"{r.seconds:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        click.echo(click.style(line, bold=True) if index == 0 else line)
    click.echo(f"built {len(results)} file{'s' if len(results) != 1 else ''} in {total:.2f} s")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@main.command(epilog=EXIT_CODES)
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--theme", metavar="NAME", help="Check against this theme instead of the front matter's.")
def check(source: Path | None, theme: str | None) -> None:
    """Validate SOURCE and its theme without writing anything."""
    from .pipeline import prepare
    from .reading import find_entry

    ctx = prepare(find_entry(source or DEFAULT_SOURCE), theme)
    sections = len(ctx.doc.sections)
    click.echo(f"{ctx.doc.source}: ok — {sections} sections, {ctx.doc.word_count()} words, theme {ctx.theme.name}")


@main.group()
def themes() -> None:
    """List and show themes."""


@themes.command("list")
def themes_list() -> None:
    """List the themes this project can use (its own themes/ folder first)."""
    import yaml

    from .themes import MANIFEST, available

    for name, folder in available(Path.cwd()).items():
        data = yaml.safe_load((folder / MANIFEST).read_text(encoding="utf-8")) or {}
        parent = f" (extends {data['extends']})" if data.get("extends") else ""
        click.echo(f"{name:<12} {data.get('description', '')}{parent}")


@themes.command("show")
@click.argument("name")
def themes_show(name: str) -> None:
    """Show a theme's merged design tokens."""
    from .themes import describe, load_theme

    click.echo(describe(load_theme(name, Path.cwd())), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
