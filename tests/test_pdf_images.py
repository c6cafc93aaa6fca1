"""PNG figures reach the PDF unchanged, whether passed through as stored or converted."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

from builders.build import pipeline
from builders.formats.pdf.patches.png_passthrough import plain_png_idat

SPLIT = {"left": (200, 30, 30), "right": (20, 60, 160)}


def png(mode: str, **save: object) -> bytes:
    """A 120×60 image, left half red, right half blue, saved as PNG in `mode`."""
    image = Image.new("RGB", (120, 60), SPLIT["right"])
    image.paste(SPLIT["left"], (0, 0, 60, 60))
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.putalpha(255)
    elif mode == "P":
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    elif mode == "L":
        image = image.convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


@pytest.mark.parametrize("mode, passes", [("RGB", True), ("L", True), ("RGBA", False), ("P", False)])
def test_only_plain_grey_and_rgb_pngs_pass_through(mode, passes):
    assert (plain_png_idat(png(mode)) is not None) is passes


def test_sixteen_bit_and_broken_pngs_take_the_converting_path():
    sixteen = io.BytesIO()
    Image.new("I;16", (8, 8), 40000).save(sixteen, format="PNG")
    assert plain_png_idat(sixteen.getvalue()) is None
    assert plain_png_idat(png("RGB")[:40]) is None  # cut inside a chunk
    assert plain_png_idat(b"GIF89a") is None


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_figures_print_in_their_colours(narrative, tmp_path, mode):
    """The page shows the picture's two halves in their colours, however the PNG is stored."""
    path = narrative("# One\n\n![Two halves](images/split.png)\n")
    (path.parent / "images" / "split.png").write_bytes(png(mode))
    [artefact] = pipeline.build(path, ["pdf"], tmp_path / "out")
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(artefact.path), str(tmp_path / "page")],
                   check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colours = {colour for _, colour in page.getcolors(maxcolors=1 << 20)}

    def near(target: tuple[int, int, int]) -> bool:
        return any(all(abs(a - b) <= 6 for a, b in zip(colour, target)) for colour in colours)

    assert near(SPLIT["left"]) and near(SPLIT["right"]), mode
    # The build may have run in the PDF's own process: ask the patch drawer, which that process
    # used too, whether the stored-scanline path is in place (this test ran alone, it was not).
    from builders.formats.pdf import patches

    assert patches.apply_all()["png_passthrough"]
