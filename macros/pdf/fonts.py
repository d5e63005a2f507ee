"""The PDFs' fonts: DejaVu Sans, a small font for form fields, and fallbacks for team text.

WeasyPrint embeds the whole font that form fields use (DejaVu Sans: about 430 KB per fillable
PDF). A Latin subset of the same font, made once and cached, keeps fillable PDFs small.

The rubric is printed in DejaVu Sans alone (checked). Text a team typed may be in any script:
where DejaVu Sans lacks a character, Pango takes it from another installed font (Noto, from the
packages in FALLBACK_PACKAGES), and a character no installed font has is printed as U+FFFD.
"""

from __future__ import annotations

import bisect
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..render.environment import is_cjk
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
    return _subset(source, 0, unicodes, FAMILY, target)


CJK_FAMILY = "Toolkit Form CJK"
CJK_SOURCE = "Noto Sans CJK SC"  #: fonts-noto-cjk; it has the Japanese kana and Korean Hangul


def cjk_form_font(cache_dir: Path, extra: str) -> Path | None:
    """A font for form fields that hold Chinese, Japanese or Korean (a saved assessment's):
    the characters of `extra` that Noto Sans CJK has, and Latin; None when it has none of them.

    A reader draws a field's text with the one font its /DA names, so such a field gets this
    font instead of the DejaVu Sans one, which has no CJK."""
    found = _fc_match(CJK_SOURCE, "%{file}\t%{index}\t%{family[0]}").split("\t")
    if len(found) != 3 or found[2] != CJK_SOURCE or not Path(found[0]).is_file():
        return None
    source, index = Path(found[0]), int(found[1])
    from fontTools.ttLib import TTFont

    with TTFont(source, fontNumber=index, lazy=True) as font:
        covered = set(font.getBestCmap())
    wanted = {ord(char) for char in extra if is_cjk(char) and ord(char) in covered}
    if not wanted:
        return None
    unicodes = sorted(set(UNICODES) & covered | wanted)
    key = form_font_key(source, [index, *unicodes], Path(__file__))
    return _subset(source, index, unicodes, CJK_FAMILY, cache_dir / f"form-cjk-{key}.otf")


def _fc_match(family: str, pattern: str) -> str:
    if not shutil.which("fc-match"):
        return ""
    command = ["fc-match", "-f", pattern, family]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()


def _subset(source: Path, index: int, unicodes: list[int], family: str, target: Path) -> Path:
    """`target`: the characters `unicodes` of font `index` of `source`, named `family`; made
    once, then taken from the cache."""
    if target.is_file() and _is_form_font(target, family):
        return target
    from fontTools import subset  # only needed once per machine: the result is cached
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    with TTFont(source, fontNumber=index, recalcTimestamp=False) as font:
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
                record.string = family
            elif record.nameID == 6:
                record.string = family.replace(" ", "")
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
    partial.replace(target)
    return target


def _is_form_font(path: Path, family: str = FAMILY) -> bool:
    """Whether a cached form font is whole (a damaged one is made again, not kept forever)."""
    from fontTools.ttLib import TTFont

    try:
        with path.open("rb") as file, TTFont(file, lazy=True) as font:  # closed if it fails
            return font["name"].getDebugName(1) == family and bool(font.getBestCmap())
    except Exception:  # noqa: BLE001 (fontTools raises many kinds on a damaged file)
        return False


# --- text a team typed: any installed font ---------------------------------------------------

REPLACEMENT = "\ufffd"  #: printed for a character no installed font has (DejaVu Sans has it)
#: The Debian packages that give team text its fonts (scripts/system-deps.sh installs them).
FALLBACK_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-noto-color-emoji")


@dataclass(frozen=True)
class InstalledFont:
    family: str
    file: str
    ranges: tuple[tuple[int, int], ...]  #: the code points it has, as fontconfig lists them

    def has(self, code: int) -> bool:
        index = bisect.bisect_right(self.ranges, (code, sys.maxunicode + 1)) - 1
        return index >= 0 and self.ranges[index][0] <= code <= self.ranges[index][1]


def installed_fonts() -> tuple[InstalledFont, ...]:
    """Every font fontconfig offers, with its characters: what Pango can fall back to when the
    PDFs' own font lacks a character of a team's text (one `fc-list`, a few milliseconds)."""
    if not shutil.which("fc-list"):
        return ()
    listing = subprocess.run(
        ["fc-list", "--format", "%{family[0]}\t%{file}\t%{charset}\n"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    fonts = []
    for line in sorted(listing.splitlines()):
        family, _, rest = line.partition("\t")
        file, _, charset = rest.partition("\t")
        ranges = []
        for part in charset.split():
            start, _, end = part.partition("-")
            ranges.append((int(start, 16), int(end or start, 16)))
        fonts.append(InstalledFont(family, file, tuple(sorted(ranges))))
    return tuple(fonts)


def _ignorable(char: str) -> bool:
    """Format characters (a joiner, a direction mark) and variation selectors draw nothing."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


def _emoji_like(char: str) -> bool:
    """Arrows, symbols, dingbats and the emoji planes: Pango may take an emoji font for them."""
    return 0x2190 <= ord(char) <= 0x2BFF or ord(char) >= 0x1F000


class TeamFonts:
    """The fonts text typed by a team is set in: DejaVu Sans first (as everything else), then,
    for characters it lacks, whatever installed font has them (Pango's fallback)."""

    def __init__(self) -> None:
        self.own = printable_characters()
        self.fonts = installed_fonts()

    def can_print(self, char: str) -> bool:
        if self.own(char) or _ignorable(char):
            return True
        return any(font.has(ord(char)) for font in self.fonts)

    def families(self, text: str) -> set[str]:
        """The fallback families a text may be set in: those having a character of it that
        DejaVu Sans lacks, or a symbol Pango may draw as an emoji though DejaVu Sans has it."""
        codes = {
            ord(char)
            for char in text
            if not _ignorable(char) and (not self.own(char) or _emoji_like(char))
        }
        return {font.family for font in self.fonts if any(font.has(code) for code in codes)}

    def files(self, text: str) -> list[str]:
        """The font files those families come from: part of the PDFs' cache key."""
        families = self.families(text)
        return sorted({font.file for font in self.fonts if font.family in families})


def signature(file: Path) -> tuple[str, int, int]:
    """A font file as a cache key sees it: an upgrade changes its size or time."""
    info = file.stat()
    return str(file), info.st_size, info.st_mtime_ns
