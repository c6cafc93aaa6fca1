"""The `triptych` command line. Heavy libraries load only inside the commands that need them."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from . import __version__

if TYPE_CHECKING:  # the pipeline loads only inside the commands that build
    from .formats.artefact import Artefact
    from .core.errors import Problem

DEFAULT_SOURCE = Path("source")
DEFAULT_OUT = Path("output")
ALL_FORMATS = ("pdf", "pptx", "epub")
EXIT_CODES = """Exit codes: 0 success, 1 problems in the source, theme, build or outputs (each printed
as file:line:col: message, or one line naming an internal error), 2 wrong usage of the command,
130 interrupted (Ctrl+C), 143 terminated (SIGTERM)."""


def _formats(value: str | None) -> list[str]:
    from . import formats

    if not value:
        return formats.available()
    wanted = list(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    for name in wanted:
        if name not in ALL_FORMATS:
            raise click.BadParameter(f'"{name}" is not one of {", ".join(ALL_FORMATS)}', param_hint="--format")
    return wanted


def _loudness(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")


source_argument = click.argument("source", required=False, type=click.Path(path_type=Path))
format_option = click.option("--format", "format_", metavar="LIST", help="Formats to build, e.g. pdf,epub (default: all).")
theme_option = click.option("--theme", metavar="NAME", help="Theme to use instead of the one the front matter names.")
out_option = click.option("--out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
                          show_default=True, help="Folder the artefacts are written to.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Also print the seconds of each stage (parse, theme, each format).")
param_option = click.option("--param", "param_pairs", multiple=True, metavar="NAME=VALUE",
                            help="A value for one of the narrative's params: (repeatable); with --params, for every row.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings (low-resolution figures, footnotes never cited, "
                                                            "broken #links, …) as errors.")


def building_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """SOURCE and the options `build` and `watch` share, in their --help order."""
    for decorate in reversed((source_argument, format_option, theme_option, out_option, quiet_option, verbose_option,
                              strict_option)):
        command = decorate(command)
    return command


class _Commands(click.Group):
    """Commands in the order a user meets them (build first), not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Commands, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="triptych")
def main() -> None:
    """One narrative, three artefacts: a PDF briefing, a PowerPoint deck and an EPUB e-book."""


@main.command(epilog=EXIT_CODES)
@building_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON (for scripts and CI).")
@click.option("--no-cache", is_flag=True, help="Rebuild even when nothing changed since the last build into --out.")
@click.option("--allow-network", is_flag=True,
              help="Fetch https images from public hosts (no redirects); without it nothing leaves the machine.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Processes to build with: narratives of a folder side by side, or one narrative's formats "
                   "(default: the CPUs available; 1 builds everything in this one process).")
@param_option
@click.option("--params", "params_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Build one briefing per row of a .csv (header row), .json or .yaml (list of objects) of params.")
@click.option("--cluster", metavar="tcp://HOST:PORT",
              help="Build each narrative on a worker of this Dask scheduler (pip install 'triptych[cluster]').")
def build(source: Path | None, format_: str | None, theme: str | None, out: Path, quiet: bool, verbose: bool,
          strict: bool, as_json: bool, no_cache: bool, allow_network: bool, jobs: int | None,
          param_pairs: tuple[str, ...], params_file: Path | None, cluster: str | None) -> None:
    """Build SOURCE (a narrative file or folder; default: the sample in source/).

    A folder that is not itself a narrative but holds several (subfolders with an index.md,
    briefing.md or narrative.md; top-level *.md files with a front matter) builds each into
    --out: one that fails is reported, located, and publishes nothing; the others are built.
    A parametrised narrative builds once per row of --params, each named from its title.
    An unchanged narrative is not rebuilt: its artefacts in --out are reported up to date.

    Citations ([@key, p. 14]) need `bibliography:` (and optionally `csl:`) in the front matter;
    `marking:` prints a protective marking on every page, slide and chapter; `draft: true` a
    watermark. See docs/sourced-analysis.md.

    The artefacts are named by the front matter's slug:, else the file's name, else (index.md,
    briefing.md, uk.md …) the title transliterated; every word they add is in its language:.
    """
    from . import reporting

    _loudness(quiet, verbose)
    wanted = _formats(format_)
    started = time.perf_counter()
    source = source or DEFAULT_SOURCE
    given = _param_values(param_pairs)
    batch_jobs = _batch_jobs(source, given, params_file, cluster)
    if batch_jobs is not None:
        if allow_network:
            raise click.UsageError("--allow-network builds one narrative at a time")
        _build_batch(batch_jobs, wanted, theme, out, quiet=quiet, strict=strict, as_json=as_json, cache=not no_cache,
                     workers=jobs, cluster=cluster)
        return
    params = _one_row(given)
    from .build.pipeline import BuildLog, BuildRequest, run

    progress = reporting.Progress(enabled=not quiet and not as_json)
    log = BuildLog()
    request = BuildRequest(source, wanted, out, theme, progress, strict=strict, cache=not no_cache,
                           network=allow_network, parallel=None if jobs is None else jobs > 1, params=params)
    try:
        results = run(request, log)
    except BaseException:
        progress.finish(ok=False)
        raise
    progress.finish()
    _report(results, log.warnings, log.timings, started, quiet=quiet, verbose=verbose, as_json=as_json)


def _report(results: list[Artefact], warnings: list[Problem], timings: dict[str, float], started: float, *,
            quiet: bool, verbose: bool, as_json: bool) -> None:
    """Warnings, then the summary table (or JSON), then with --verbose the stages' seconds."""
    from . import reporting

    if not quiet:
        reporting.warnings(warnings)
    if as_json:
        click.echo(json.dumps([_json_row(r) for r in results], indent=2))
    elif not quiet:
        reporting.summary(results, time.perf_counter() - started)
    if verbose:
        reporting.timings(timings)


def _param_values(pairs: tuple[str, ...]) -> dict[str, str]:
    from .reading.params import parse_assignments

    try:
        return parse_assignments(pairs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from None


def _one_row(values: dict[str, str]):  # noqa: ANN202 - ParamRow, loaded only when given
    if not values:
        return None
    from .reading.params import ParamRow

    return ParamRow(values, None, "--param")


def _batch_jobs(source: Path, given: dict[str, str], params_file: Path | None, cluster: str | None):  # noqa: ANN202
    """The briefings to build as a batch (a folder of narratives, rows of params, or any build
    on a cluster), or None for one narrative built here."""
    from .build.batch import Job, narratives_in
    from .reading import find_entry
    from .reading.params import ParamRow, load_rows

    if params_file is not None:
        entry = find_entry(source)
        return [Job(entry, ParamRow({**row.values, **given}, row.origin, row.label)) for row in load_rows(params_file)]
    entries = narratives_in(source) if source.is_dir() else None
    if entries:
        return [Job(entry, _one_row(given)) for entry in entries]
    return [Job(find_entry(source), _one_row(given))] if cluster else None


def _build_batch(jobs: list, wanted: list[str], theme: str | None, out: Path, *, quiet: bool, strict: bool,
                 as_json: bool, cache: bool, workers: int | None = None, cluster: str | None = None) -> None:
    """Every briefing of a batch; the located problems of those that failed, then exit 1."""
    from . import reporting
    from .build.batch import build_all
    from .build.processes import usable_cpus
    from .core.errors import TriptychError

    started = time.perf_counter()
    # Default: one worker per CPU (each holds one narrative's layout: ~250 MB for 30,000 words).
    outcomes = build_all(jobs, wanted, out, theme, strict=strict, cache=cache, cluster=cluster,
                         workers=workers or min(usable_cpus(), len(jobs)),
                         progress=reporting.Counter(enabled=not quiet and not as_json))
    results = [r for o in outcomes for r in o.artefacts]
    if not quiet:
        reporting.warnings(w for o in outcomes for w in o.warnings)
    if as_json:
        click.echo(json.dumps([{**_json_row(r), "source": str(o.entry)} for o in outcomes for r in o.artefacts],
                              indent=2))
    elif not quiet:
        failed = sum(1 for o in outcomes if o.problems)
        reporting.summary(results, time.perf_counter() - started,
                          narratives=(len(outcomes) - failed, len(outcomes)))
    problems = [p for o in outcomes for p in o.problems]
    if problems:
        raise TriptychError(problems)


def _json_row(r: Artefact) -> dict:
    return {"format": r.format, "file": str(r.path), "bytes": r.size, "count": r.count,
            "seconds": round(r.seconds, 3), "up_to_date": r.up_to_date}


@main.command(epilog=EXIT_CODES)
@source_argument
@theme_option
@strict_option
@click.option("--outputs", is_flag=True, help="Also check the built artefacts in --out: PDF fonts, outline and "
                                              "metadata; EPUB with epubcheck; the deck opens and, with LibreOffice, no text leaves its box.")
@click.option("--out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder the artefacts were written to (with --outputs).")
@param_option
def check(source: Path | None, theme: str | None, strict: bool, outputs: bool, out: Path,
          param_pairs: tuple[str, ...]) -> None:
    """Validate SOURCE and its theme without writing anything; with --outputs, its built artefacts too."""
    from . import reporting
    from .build.pipeline import fail_on_warnings, prepare
    from .reading import find_entry

    ctx = prepare(find_entry(source or DEFAULT_SOURCE), theme, params=_one_row(_param_values(param_pairs)))
    if strict:
        fail_on_warnings(ctx)
    reporting.warnings(ctx.warnings)
    sections = len(ctx.doc.sections)
    click.echo(f"{ctx.doc.source}: ok — {sections} sections, {ctx.doc.word_count()} words, theme {ctx.theme.name}")
    if outputs:
        from .checks.outputs import check_outputs

        findings = check_outputs(ctx.doc, out)
        for finding in findings:
            click.echo(str(finding), err=finding.severity == "error")
        if any(f.severity == "error" for f in findings):
            sys.exit(1)


@main.command(epilog=EXIT_CODES)
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--title", help="The narrative's title (default: made from NAME).")
@click.option("--theme", metavar="THEME", default="default", show_default=True, help="Theme the front matter names.")
def new(name: Path, title: str | None, theme: str) -> None:
    """Create a narrative folder NAME/ with every kind of block, ready to build."""
    from .scaffold import scaffold

    entry = scaffold(name, title, theme)
    click.echo(f"created {entry} and {entry.parent / 'images'}/ — next: triptych build {name}")


@main.command(epilog=EXIT_CODES)
@building_options
def watch(source: Path | None, format_: str | None, theme: str | None, out: Path, quiet: bool, verbose: bool,
          strict: bool) -> None:
    """Rebuild SOURCE whenever it, its images or its theme change; Ctrl+C stops.

    Only the formats a change affects are rebuilt: a template only the PDF uses rebuilds the
    PDF (and the e-book, whose page list follows the PDF's pages), deck.yaml rebuilds the deck,
    the narrative rebuilds everything. Errors are printed located and watching goes on.
    """
    from . import reporting
    from .build.watch import Watcher

    _loudness(quiet, verbose)
    Watcher(source or DEFAULT_SOURCE, _formats(format_), out, theme, quiet=quiet, verbose=verbose, strict=strict,
            show_warnings=reporting.warnings, show_timings=reporting.timings).run()


@main.command(epilog=EXIT_CODES)
@source_argument
@theme_option
@click.option("--port", type=click.IntRange(0, 65535), metavar="N",
              help="Port on 127.0.0.1 to serve the page on (default: 8737, or a free one when that is taken).")
@click.option("--no-browser", is_flag=True, help="Print the page's address instead of opening it in the browser.")
@click.option("--out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Also keep the built artefacts in DIR (default: a private temporary folder, removed on exit).")
def preview(source: Path | None, theme: str | None, port: int | None, no_browser: bool, out: Path | None) -> None:
    """Show SOURCE's PDF pages, slides and e-book side by side in the browser, live as you save; Ctrl+C stops (exit 0).

    The page is served on 127.0.0.1 only. Each save of the narrative, an image or the theme
    rebuilds what it affects, as `watch` does, and the open page follows within seconds,
    keeping its scroll position; a narrative that does not build shows its located errors on
    the page over the last good build.
    """
    from . import reporting
    from .build.preview.session import run_preview

    run_preview(source or DEFAULT_SOURCE, theme, port, browser=not no_browser, out=out, show_warnings=reporting.warnings)


@main.group(cls=_Commands)
def themes() -> None:
    """List, show and inspect themes."""


@themes.command("list")
def themes_list() -> None:
    """List the themes this project can use: its own themes/ folder, installed theme packages, built-ins."""
    import yaml

    from .core.strict_yaml import loads
    from .theming.themes import MANIFEST, available, origin

    for name, folder in available(Path.cwd()).items():
        try:
            data = loads((folder / MANIFEST).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            data = {}  # listed all the same; `triptych check` says what is wrong with it
        parent = f" (extends {data['extends']})" if data.get("extends") else ""
        click.echo(f"{name:<12} {origin(folder):<9} {data.get('description', '')}{parent}")


@themes.command("show")
@click.argument("name")
def themes_show(name: str) -> None:
    """Show a theme's merged design tokens."""
    from .theming.themes import describe, load_theme

    click.echo(describe(load_theme(name, Path.cwd())), nl=False)


@themes.command("inspect")
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--theme", "theme_name", default=None, metavar="NAME",
              help="Theme whose deck.yaml to check (default: the theme folder holding TEMPLATE, else default).")
def themes_inspect(template: Path, theme_name: str | None) -> None:
    """Show a PowerPoint template's (.pptx/.potx) layouts and placeholders, how the theme's deck.yaml
    fits it (every problem at once), and a ready deck.yaml mapping for it to paste."""
    try:
        from .formats.deck.inspect import inspect_template
    except ImportError as exc:  # the deck's inspector ships separately from this command
        raise click.ClickException(f"themes inspect is not available in this version ({exc})") from None
    folder, project = template.resolve().parent, Path.cwd()
    if theme_name is None and (folder / "theme.yaml").is_file():  # a template inside a project's theme
        theme_name, project = folder.name, folder.parent.parent
    click.echo(inspect_template(template, theme_name=theme_name or "default", project_dir=project), nl=False)


@main.command()
@click.argument("kind", type=click.Choice(["narrative", "theme"]))
@click.option("--path", "as_path", is_flag=True, help="Print where the schema file is instead of its content.")
def schema(kind: str, as_path: bool) -> None:
    """Print the JSON Schema of a narrative's front matter or of a theme.yaml, for editors."""
    from .theming.schemas import shipped

    path = shipped(kind)
    if as_path:
        click.echo(str(path))
    else:
        click.echo(path.read_text(encoding="utf-8"), nl=False)


def run() -> None:
    """The console script: `main`, then leave without tearing the interpreter down.

    Freeing a built document's millions of objects one by one took 0.2 s of a 1.3 s
    build; the operating system takes the whole process back at once. Temporary files
    (WeasyPrint's font copies) go to a folder of this run, removed before leaving.
    """
    import os
    import shutil
    import signal
    import tempfile

    scratch = tempfile.mkdtemp(prefix="triptych-")
    tempfile.tempdir = scratch
    # SIGTERM unwinds like an error: the PDF's process is stopped, temporary files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        code: object = main(standalone_mode=False) or 0
    except click.exceptions.Abort as stop:
        # Ctrl+C (click turns KeyboardInterrupt into Abort): the shell's convention, 128 + SIGINT.
        interrupted = isinstance(stop.__context__, KeyboardInterrupt)
        print("interrupted" if interrupted else "aborted", file=sys.stderr)
        code = 130 if interrupted else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except click.ClickException as problem:
        problem.show()
        code = problem.exit_code
    except SystemExit as stop:
        code = stop.code
    except Exception as exc:  # noqa: BLE001 - a bug: one line and a log, never a traceback
        from .reporting import internal_error

        code = internal_error(exc, verbose="--verbose" in sys.argv or "-v" in sys.argv)
    finally:
        tempfile.tempdir = None
        shutil.rmtree(scratch, ignore_errors=True)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what SystemExit("message") prints
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: nothing more to say
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
