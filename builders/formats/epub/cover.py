"""The e-book's cover: the PDF's first page drawn as a picture, from the theme's colours and fonts."""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from ...core import model as m
from ...core.labels import Labels
from ...theming.markup import date_text, shortened
from ...theming.script_fonts import coverage, system_font
from ...theming.themes import Theme
from .assets import font_weight

WIDTH, HEIGHT = 1600, 2400
MARGIN_LEFT, MARGIN_RIGHT = 150, 130
BAND = 250  # the masthead band's height


def draw_cover(doc: m.Document, theme: Theme, labels: Labels) -> bytes:
    """A PNG: brand-colour masthead with the publisher, then title, subtitle, byline and summary."""
    token = _language.set(doc.meta.language)
    mirror = _mirrored.set(doc.meta.direction == "rtl")
    fallbacks = _fallbacks.set(tuple(f.path for f in theme.fonts if f.fallback and f.style == "normal"))
    try:
        return _drawn(doc, theme, labels)
    finally:
        _language.reset(token)
        _mirrored.reset(mirror)
        _fallbacks.reset(fallbacks)


def _drawn(doc: m.Document, theme: Theme, labels: Labels) -> bytes:
    colors = theme.tokens["colors"]
    fonts = theme.tokens.get("fonts", {})
    heading = _family(fonts, "heading")
    image = Image.new("RGB", (WIDTH, HEIGHT), colors.get("paper", "#FFFFFF"))
    draw = ImageDraw.Draw(image)
    width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    # Masthead: publisher left, kicker right, on one baseline like the PDF's band.
    draw.rectangle([0, 0, WIDTH, BAND], fill=colors["brand"])
    on_brand = colors.get("on-brand", "#FFFFFF")
    publisher = _font(theme, heading, "normal", 60, 700)
    kicker = _font(theme, heading, "normal", 38, 400)
    baseline = BAND - 80
    _draw_text(draw, (MARGIN_LEFT, baseline), doc.meta.publisher or labels("briefing"), font=publisher, fill=on_brand, anchor="ls")
    # The label once: beside the publisher, or in its place; never over the publisher's name.
    kicker_text = " · ".join(filter(None, [labels("briefing") if doc.meta.publisher else "", date_text(doc, labels)])).upper()
    room = width - _length(publisher, doc.meta.publisher or labels("briefing")) - 60
    if doc.meta.publisher and _spaced_width(kicker_text, kicker, 0.14) > room:
        kicker_text = date_text(doc, labels).upper()
    _spaced(draw, (WIDTH - MARGIN_RIGHT, baseline), kicker_text, kicker, _mix(on_brand, colors["brand"], 0.85), 0.14, "rs")

    # Every word of title, subtitle, byline and summary: the type shrinks until all fit.
    bottom = HEIGHT - 220
    scale = next((k / 20 for k in range(20, 7, -1) if _front(None, doc, theme, k / 20) <= bottom), 0.4)
    _front(draw, doc, theme, scale)

    # The foot: a hairline and the date, like the PDF's footer.
    foot = _font(theme, heading, "normal", 34, 400)
    draw.line([MARGIN_LEFT, HEIGHT - 150, WIDTH - MARGIN_RIGHT, HEIGHT - 150], fill=colors["brand"], width=6)
    _draw_text(draw, (MARGIN_LEFT, HEIGHT - 90), date_text(doc, labels), font=foot, fill=colors.get("muted", colors["ink"]), anchor="ls")
    room = WIDTH - MARGIN_LEFT - MARGIN_RIGHT - _length(foot, date_text(doc, labels)) - 60
    running = shortened(doc.meta.running_title, lambda t: _length(foot, t) <= room)
    _draw_text(draw, (WIDTH - MARGIN_RIGHT, HEIGHT - 90), running, font=foot, fill=colors["brand"], anchor="rs")
    if doc.meta.marking:
        _marking(draw, theme, heading, doc.meta.marking, colors)
    out = io.BytesIO()
    # Not optimize=True: that tries every filter, 0.3 s of a 0.8 s e-book for 4 % fewer bytes.
    image.save(out, "PNG")
    return out.getvalue()


def _marking(draw: ImageDraw.ImageDraw, theme: Theme, family: str, text: str, colors: dict) -> None:
    """The protective marking as the PDF prints it: a label centred at the top (on the band) and the foot."""
    font = _font(theme, family, "normal", 34, 700)
    colour = colors.get("marking", colors.get("accent", colors["ink"]))
    label = text.upper()
    tracked = sum(_length(font, ch) for ch in label) + font.size * 0.08 * (len(label) - 1)
    width = min(WIDTH - 80, int(tracked) + 60)
    for top in (22, HEIGHT - 22 - 62):
        box = [(WIDTH - width) // 2, top, (WIDTH + width) // 2, top + 62]
        draw.rectangle(box, fill=colors.get("paper", "#FFFFFF"), outline=colour, width=3)
        _spaced(draw, (int((WIDTH + tracked) / 2), top + 43), label, font, colour, 0.08, "rs")


def _front(draw: ImageDraw.ImageDraw | None, doc: m.Document, theme: Theme, scale: float) -> int:
    """Title, subtitle, byline and summary at `scale` of their full sizes, from under the
    masthead; returns the y below them. With no `draw`, only measures."""
    colors = theme.tokens["colors"]
    fonts = theme.tokens.get("fonts", {})
    heading, body = _family(fonts, "heading"), _family(fonts, "body")
    width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    y = BAND + int(190 * scale)
    title_font = _fit(theme, heading, doc.meta.title, width, (int(150 * scale), int(96 * scale)), 700, max_lines=5)
    y = _paragraph(draw, doc.meta.title, title_font, MARGIN_LEFT, y, width, colors["brand"], 1.08)
    if doc.meta.subtitle:
        y += int(50 * scale)
        subtitle = _font(theme, body, theme.tokens.get("type", {}).get("subtitle-style", "italic"), int(70 * scale), 400)
        y = _paragraph(draw, doc.meta.subtitle, subtitle, MARGIN_LEFT, y, width, colors.get("muted", colors["ink"]), 1.3)
    if doc.meta.authors:
        y += int(70 * scale)
        if draw is not None:
            draw.line([MARGIN_LEFT, y, WIDTH - MARGIN_RIGHT, y], fill=colors.get("rule", colors["ink"]), width=3)
        y += int(36 * scale)
        y = _byline(draw, theme, heading, doc.meta.authors, MARGIN_LEFT, y, width, colors, int(46 * scale))
    if doc.meta.summary:
        y += int(90 * scale)
        summary = _font(theme, body, "normal", int(50 * scale), 400)
        y = _paragraph(draw, doc.meta.summary, summary, MARGIN_LEFT, y, width, colors["ink"], 1.45)
    return y


def _family(fonts: dict, role: str) -> str:
    spec = fonts.get(role, {})
    return spec.get("family", "") if isinstance(spec, dict) else str(spec)


def _font(theme: Theme, family: str, style: str, size: int, weight: int) -> ImageFont.FreeTypeFont:
    """The theme's embedded face at a weight; the default font when the theme embeds none."""
    own = [f for f in theme.fonts if not f.fallback]  # not a script's fallback face
    faces = [f for f in own if f.family == family] or own
    faces = [f for f in faces if f.style == style] or faces
    if not faces:
        return ImageFont.load_default(size)
    face = min(faces, key=lambda f: _weight_distance(f.path, weight))
    return _instance(face.path, size, weight)


@lru_cache(maxsize=64)
def _instance(path: Path, size: int, weight: int) -> ImageFont.FreeTypeFont:
    """A font file at a size, a variable one at `weight` (and its optical size)."""
    font = ImageFont.truetype(str(path), size)
    font.triptych_weight = weight  # type: ignore[attr-defined]  # a fallback face takes the same weight
    try:
        axes = font.get_variation_axes()
    except OSError:  # a static font has no axes
        return font
    values = []
    for axis in axes:
        name = axis["name"].decode() if isinstance(axis["name"], bytes) else str(axis["name"])
        wanted = {"Weight": weight, "Optical Size": size * 0.35}.get(name, axis["default"])
        values.append(min(max(wanted, axis["minimum"]), axis["maximum"]))
    font.set_variation_by_axes(values)
    return font


def _weight_distance(path: Path, weight: int) -> int:
    """0 for a variable font (it has every weight), else how far its one weight is from `weight`."""
    value, variable = font_weight(path)
    return 0 if variable else abs(int(value) - weight)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _length(font, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif _length(font, word) > width:
            lines.extend(_broken(word, font, width))  # Chinese, Japanese: a line is not spaced into words
        else:
            lines.append(word)
    return lines


def _broken(word: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """A run wider than the line, cut between characters where it fills the line."""
    pieces = [""]
    for char in word:
        if pieces[-1] and _length(font, pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _fit(theme: Theme, family: str, text: str, width: int, sizes: tuple[int, int], weight: int,
         max_lines: int) -> ImageFont.FreeTypeFont:
    """The largest size (in steps of 6 px) at which `text` fits in `max_lines` lines."""
    size = sizes[0]
    while size > sizes[1]:
        font = _font(theme, family, "normal", size, weight)
        if len(_wrap(text, font, width)) <= max_lines:
            return font
        size -= 6
    return _font(theme, family, "normal", sizes[1], weight)


def _paragraph(draw: ImageDraw.ImageDraw | None, text: str, font: ImageFont.FreeTypeFont, x: int, y: int, width: int,
               fill: str, leading: float) -> int:
    """Draw wrapped text from top `y` (or only measure it); returns the y below it."""
    step = int(font.size * leading)
    for line in _wrap(text, font, width):
        if draw is not None:
            _draw_text(draw, (x, y + font.size), line, font=font, fill=fill, anchor="ls")
        y += step
    return y


def _byline(draw: ImageDraw.ImageDraw | None, theme: Theme, family: str, authors: list[m.Author], x: int, y: int,
            width: int, colors: dict, size: int) -> int:
    """Names in ink, affiliations muted, as in the PDF's byline; an affiliation that does not
    fit beside the name goes on the line below it."""
    name_font = _font(theme, family, "normal", size, 600)
    role_font = _font(theme, family, "normal", size, 400)
    step = int(size * 1.4)
    for author in authors:
        for line in _wrap(author.name, name_font, width):
            if draw is not None:
                _draw_text(draw, (x, y + size), line, font=name_font, fill=colors["ink"], anchor="ls")
            offset = x + _length(name_font, line)
            y += step
        if author.affiliation:
            affiliation = f" · {author.affiliation}"
            if offset + _length(role_font, affiliation) <= x + width:
                y -= step
                lines = [affiliation]
            else:
                offset, lines = x, _wrap(author.affiliation, role_font, width)
            for line in lines:
                if draw is not None:
                    _draw_text(draw, (offset, y + size), line, font=role_font, fill=colors.get("muted", colors["ink"]), anchor="ls")
                offset = x
                y += step
    return y


def _spaced(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, font: ImageFont.FreeTypeFont, fill: str,
            tracking: float, anchor: str) -> None:
    """Letter-spaced small caps line (the PDF's kicker), right- or left-aligned on its baseline."""
    gap = font.size * tracking
    if _mirrored.get():  # letters drawn one by one would change order: the run whole, on the other side
        _draw_text(draw, xy, text, font=font, fill=fill, anchor=anchor)
        return
    x = xy[0] - _spaced_width(text, font, tracking) if anchor.startswith("r") else xy[0]
    for ch in text:
        _draw_text(draw, (x, xy[1]), ch, font=font, fill=fill, anchor="ls")
        x += _length(font, ch) + gap


def _spaced_width(text: str, font: ImageFont.FreeTypeFont, tracking: float) -> float:
    return sum(_length(font, ch) for ch in text) + font.size * tracking * (len(text) - 1)


def _mix(color: str, background: str, alpha: float) -> str:
    """`color` at `alpha` opacity over `background` (the PDF sets the kicker at 85 %)."""
    a = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x * alpha + y * (1 - alpha)):02X}" for x, y in zip(a, b))


def cover_file(path: Path) -> tuple[bytes, str, str]:
    """A narrative's own cover image: (bytes, suffix, media type); PNG or JPEG only."""
    with Image.open(path) as img:
        kind = img.format
    if kind not in ("PNG", "JPEG"):
        raise ValueError(f"{kind} cover images are not supported (use PNG or JPEG)")
    return path.read_bytes(), ".png" if kind == "PNG" else ".jpg", "image/png" if kind == "PNG" else "image/jpeg"


# The narrative's language shapes the cover's text (HarfBuzz otherwise takes the process's
# locale: under LC_ALL=tr_TR an English cover lost its fi ligatures and changed bytes).
_language: ContextVar[str] = ContextVar("cover_language", default="en")
# A right-to-left narrative's cover is the left-to-right one in a mirror, as its PDF's first page is:
# every x measured from the other edge, left and right anchors exchanged (raqm orders each line).
_mirrored: ContextVar[bool] = ContextVar("cover_mirrored", default=False)
# The faces of the scripts the theme's fonts lack (theming/script_fonts.py), tried in order.
_fallbacks: ContextVar[tuple[Path, ...]] = ContextVar("cover_fallbacks", default=())


def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return _covering(font, text).getlength(text, language=_language.get())


def _draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, **options: Any) -> None:
    if _mirrored.get():
        xy = (WIDTH - xy[0], xy[1])
        anchor = options.get("anchor", "la")
        options["anchor"] = {"l": "r", "r": "l"}.get(anchor[0], anchor[0]) + anchor[1:]
    options["font"] = _covering(options["font"], text)
    draw.text(xy, text, language=_language.get(), **options)


def _covering(font: ImageFont.FreeTypeFont, text: str) -> ImageFont.FreeTypeFont:
    """`font`, or for text with letters it lacks the first fallback face that has them, or a
    system font that has them (Chinese, Japanese: no packaged face), at the same size and weight."""
    drawn = coverage(Path(font.path))  # once, not per letter: the cover measures hundreds of strings
    missing = frozenset(c for c in text if not c.isspace() and ord(c) not in drawn)
    if not missing:
        return font
    weight = getattr(font, "triptych_weight", 400)
    for path in _fallbacks.get():
        fallback = coverage(path)
        if all(ord(c) in fallback for c in missing):
            return _instance(path, font.size, weight)
    found = system_font(missing)
    return _instance(found, font.size, weight) if found is not None else font
