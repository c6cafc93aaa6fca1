"""The shipped JSON Schemas equal what the validators generate, and agree with them on real files."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from builders.theming import schemas
from builders.cli import main
from builders.core.strict_yaml import StrictLoader
from builders.reading.frontmatter import FIELDS, split_front_matter
from builders.scaffold import scaffold
from builders.theming.themes import MANIFEST, available

from conftest import SAMPLE

jsonschema = pytest.importorskip("jsonschema")


@pytest.mark.parametrize("kind", sorted(schemas.GENERATORS))
def test_shipped_schema_is_current(kind):
    assert schemas.shipped(kind).read_text(encoding="utf-8") == schemas.render(kind), \
        f"{kind}.schema.json is stale: run python tools/regenerate_schemas.py"


@pytest.mark.parametrize("kind", sorted(schemas.GENERATORS))
def test_schema_is_valid_draft_2020_12(kind):
    jsonschema.Draft202012Validator.check_schema(json.loads(schemas.shipped(kind).read_text()))


def _validator(kind):
    return jsonschema.Draft202012Validator(json.loads(schemas.shipped(kind).read_text()))


def _front(path):
    return yaml.load(split_front_matter(path.read_text(encoding="utf-8"))[0], Loader=StrictLoader)


def test_every_front_matter_key_is_in_the_schema():
    assert set(_validator("narrative").schema["properties"]) == set(FIELDS)


def test_the_sample_and_a_scaffold_satisfy_the_narrative_schema(tmp_path):
    validator = _validator("narrative")
    for path in (SAMPLE, scaffold(tmp_path / "demo")):
        assert not [e.message for e in validator.iter_errors(_front(path))], path


@pytest.mark.parametrize("front, where", [
    ({"subtitle": "no title"}, "title"),
    ({"title": "T", "pdf": {"page-size": "A3"}}, "A3"),
    ({"title": "T", "language": "english please"}, "english"),
    ({"title": "T", "theem": "modern"}, "theem"),
    ({"title": "T", "authors": [{"name": "A", "email": "a@b"}]}, "email"),
])
def test_the_schema_rejects_what_the_reader_rejects(front, where):
    errors = [e.message for e in _validator("narrative").iter_errors(front)]
    assert errors and any(where in e for e in errors), errors


def test_every_builtin_theme_satisfies_the_theme_schema():
    validator = _validator("theme")
    for name, folder in available().items():
        data = yaml.load((folder / MANIFEST).read_text(encoding="utf-8"), Loader=StrictLoader)
        assert not [e.message for e in validator.iter_errors(data)], name


def test_theme_schema_names_the_tokens_and_rejects_a_bad_colour():
    validator = _validator("theme")
    colours = validator.schema["properties"]["colors"]["properties"]
    assert {"brand", "accent", "ink", "paper"} <= set(colours)
    assert "headings" in colours["brand"]["description"]
    assert list(validator.iter_errors({"colors": {"brand": "red; } body {"}}))
    assert list(validator.iter_errors({"colours": {}}))


def test_schema_command_prints_the_schema_and_its_path():
    shown = CliRunner().invoke(main, ["schema", "theme"])
    assert shown.exit_code == 0 and json.loads(shown.output)["title"] == "triptych theme manifest"
    where = CliRunner().invoke(main, ["schema", "narrative", "--path"])
    assert where.exit_code == 0 and where.output.strip().endswith("narrative.schema.json")
