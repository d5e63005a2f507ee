"""A small font for PDF form fields.

WeasyPrint embeds the whole font that form fields use (DejaVu Sans: about 430 KB per fillable
PDF). A Latin subset of the same font, made once and cached, keeps fillable PDFs small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..store.cache import form_font_key

FAMILY = "Toolkit Form Sans"
SOURCE_FAMILY = "DejaVu Sans"
# Basic Latin, Latin-1, Latin Extended-A, general punctuation, the euro sign.
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2030, 0x20AC]


def source_font() -> Path:
    """The system's DejaVu Sans (the PDFs' own font), found through fontconfig."""
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", SOURCE_FAMILY],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found and Path(found).is_file() and "DejaVuSans" in Path(found).name:
            return Path(found)
    for candidate in Path("/usr/share/fonts").rglob("DejaVuSans.ttf"):
        return candidate
    raise FileNotFoundError(
        f"the {SOURCE_FAMILY} font is not installed (Debian: fonts-dejavu-core)"
    )


STYLES = ("", ":bold", ":italic", ":bold:italic")  # the faces the print CSS asks for


def resolved_font_files() -> list[Path]:
    """The files fontconfig gives WeasyPrint for each face of DejaVu Sans the print CSS uses.

    They are part of every PDF cache key and of the build stamp, so a font that appears,
    disappears or changes renders the PDFs again (and the renderer's used-font check then names
    a substitute).
    """
    if not shutil.which("fc-match"):
        return [source_font()]
    found = []
    for style in STYLES:
        file = subprocess.run(
            ["fc-match", "-f", "%{file}", SOURCE_FAMILY + style],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if file and Path(file).is_file() and Path(file) not in found:
            found.append(Path(file))
    return found or [source_font()]


def printable_characters() -> Callable[[str], bool]:
    """Whether the PDFs' font (the system's DejaVu Sans) has a glyph for a character."""
    from fontTools.ttLib import TTFont

    with TTFont(source_font(), lazy=True) as font:
        covered = set(font.getBestCmap())
    return lambda char: ord(char) in covered or char in "\n\r\t"


def form_font(cache_dir: Path, extra: str = "") -> Path:
    """Path of the form-field font, made from the system font on first use.

    `extra` holds characters the fields must also show (pre-filled workshop values).
    """
    source = source_font()
    unicodes = sorted(set(UNICODES) | {ord(char) for char in extra})
    target = cache_dir / f"form-sans-{form_font_key(source, unicodes, Path(__file__))}.ttf"
    if target.is_file() and _is_form_font(target):
        return target
    from fontTools import subset  # only needed once per machine: the result is cached
    from fontTools.ttLib import TTFont

    cache_dir.mkdir(parents=True, exist_ok=True)
    with TTFont(source, recalcTimestamp=False) as font:
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.drop_tables += ["FFTM"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = FAMILY
            elif record.nameID == 6:
                record.string = FAMILY.replace(" ", "")
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
    partial.replace(target)
    return target


def _is_form_font(path: Path) -> bool:
    """Whether a cached form font is whole (a damaged one is made again, not kept forever)."""
    from fontTools.ttLib import TTFont

    try:
        with path.open("rb") as file, TTFont(file, lazy=True) as font:  # closed if it fails
            return font["name"].getDebugName(1) == FAMILY and bool(font.getBestCmap())
    except Exception:  # noqa: BLE001 (fontTools raises many kinds on a damaged file)
        return False
