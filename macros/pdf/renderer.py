"""Render printables to PDF with WeasyPrint: deterministic, offline, failing loudly.

WeasyPrint only logs a refused or missing resource and carries on; here any warning it logs
fails the printable. Its fetcher may read files from the project's template and style folders
and nothing else, so content can never make it reach the network.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from .. import model
from ..catalogue import Printable
from ..errors import RenderError
from ..project import Project
from ..render.environment import has_cjk, make_environment
from ..render.markdown import MarkdownRenderer
from .appearances import with_appearances
from .fill import extra_lines, fill, grow
from .fonts import CJK_FAMILY, FAMILY, SOURCE_FAMILY, TeamFonts, cjk_form_font, form_font
from .forms import fix_form_fields
from .wrap import soft_wraps


class ProjectFetcher(weasyprint.URLFetcher):
    """Lets WeasyPrint read the project's own templates, styles and fonts, and nothing else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("file://"):
            raise ValueError(f"refused to fetch {url!r}: printables use only the project's files")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused to read {path}: outside the project's template folders")
        return super().fetch(url, headers)


@dataclass
class Rendered:
    printable: Printable
    data: bytes
    pages: int


# WeasyPrint warnings that describe the machine, not the document: the PDF is still right.
# They are reported once per build by machine_warnings(), never per PDF, and never fatal.
MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)


def harfbuzz_subset() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (the best output) rather than fontTools."""
    from weasyprint.pdf import fonts

    return bool(fonts.harfbuzz_subset) and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


def machine_warnings() -> list[str]:
    """What this machine lacks for the best output; the build still succeeds without it."""
    if harfbuzz_subset():
        return []
    return [
        "HarfBuzz-Subset (>= 4.1) is not installed, so WeasyPrint subsets fonts with fontTools: "
        "the PDFs are correct but built more slowly (Debian/Ubuntu: apt install "
        "libharfbuzz-subset0, which scripts/system-deps.sh installs)"
    ]


class _Warnings(logging.Handler):
    """Collects WeasyPrint's warnings about the document (a missing glyph, bad CSS, a URL)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(MACHINE_NOTICES):
            self.messages.append(message)


class PdfRenderer:
    """Renders printables of one toolkit; keep one per process (fonts and images are cached)."""

    def __init__(
        self,
        project: Project,
        toolkit: model.Toolkit,
        markdown: MarkdownRenderer,
        form_characters: str = "",
    ) -> None:
        self.project = project
        self.environment = make_environment(toolkit, markdown)
        self.fonts = FontConfiguration()
        self.cache: dict[str, Any] = {}
        self.fetcher = ProjectFetcher((project.templates, project.styles, project.font_cache))
        form_font_face = (
            f'@font-face {{ font-family: "{FAMILY}"; '
            f'src: url("{form_font(project.font_cache, form_characters).as_uri()}"); }}'
            f'input, textarea {{ font-family: "{FAMILY}"; }}'
        )
        cjk = (
            cjk_form_font(project.font_cache, form_characters) if has_cjk(form_characters) else None
        )
        if cjk is not None:  # fields holding a team's Chinese, Japanese or Korean
            form_font_face += (
                f'@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{cjk.as_uri()}"); }}'
                f'input.tk-field-cjk {{ font-family: "{CJK_FAMILY}"; }}'
            )
        self.stylesheets = [
            weasyprint.CSS(
                filename=str(project.styles / "print.css"),
                url_fetcher=self.fetcher,
                font_config=self.fonts,
            ),
            weasyprint.CSS(string=form_font_face, url_fetcher=self.fetcher, font_config=self.fonts),
        ]

    @functools.cached_property
    def team_fonts(self) -> TeamFonts:
        return TeamFonts()

    def html(self, printable: Printable) -> str:
        return soft_wraps(self.environment.get_template(printable.template).render(doc=printable))

    def render(self, printable: Printable) -> Rendered:
        return self.write(printable, self.html(printable))

    def layout(self, printable: Printable, html: str) -> weasyprint.Document:
        orientation = "landscape" if printable.landscape else "portrait"
        paper = weasyprint.CSS(
            string=f"@page {{ size: {printable.paper.css_size} {orientation}; }}",
            font_config=self.fonts,
        )
        return weasyprint.HTML(
            string=html, base_url=self.project.templates.as_uri() + "/", url_fetcher=self.fetcher
        ).render(
            stylesheets=[*self.stylesheets, paper],
            font_config=self.fonts,
            cache=self.cache,
            pdf_forms=printable.variant == "fillable",
        )

    def write(self, printable: Printable, html: str) -> Rendered:
        warnings = _Warnings()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(warnings)
        try:
            with self.project.library_epoch():  # fontTools stamps subset fonts
                document = self.layout(printable, html)
                # Give the blank foot of each page to the answer areas on it: in the laid-out
                # pages if fill can, else by laying out the HTML with the lines added.
                extra = {} if fill(document) else extra_lines(document)
                if extra:
                    filled = self.layout(printable, grow(html, extra))
                    if len(filled.pages) == len(document.pages):
                        document = filled
                fillable = printable.variant == "fillable"
                data = document.write_pdf(
                    pdf_identifier=hashlib.md5(printable.filename.encode()).hexdigest().encode(),
                    pdf_variant="pdf/ua-1",  # fillable ones too: their fields are tagged
                    pdf_tags=True,
                    pdf_forms=fillable,
                )
        finally:
            logger.removeHandler(warnings)
        if warnings.messages:
            raise RenderError(f"{printable.filename}: " + "; ".join(warnings.messages))
        # The text in the font the style sheets ask for; the form font only in form fields
        # (without DejaVu Sans, WeasyPrint would set the whole text in it).
        used = sorted({_family(font) for font in document.fonts.values()})
        allowed = {SOURCE_FAMILY, FAMILY} if fillable else {SOURCE_FAMILY}
        if printable.filled is not None:  # text a team typed may need another font, and only it
            allowed |= self.team_fonts.families(printable.filled.typed()) | {CJK_FAMILY}
        foreign = [family for family in used if family not in allowed]
        if foreign or SOURCE_FAMILY not in used:
            raise RenderError(
                f"{printable.filename}: set in {', '.join(foreign or used)} instead of "
                f"{SOURCE_FAMILY}; "
                f"the {SOURCE_FAMILY} font is missing or hidden (Debian: fonts-dejavu-core)"
            )
        if fillable:
            data = fix_form_fields(data, fit_text=printable.filled is not None)
        if fillable and printable.filled is not None:  # the team's words, in any script
            data = with_appearances(data, lambda page: self._draw(printable, page, allowed))
        return Rendered(printable, data, len(document.pages))

    def _draw(self, printable: Printable, html: str, allowed: set[str]) -> bytes:
        """Field appearances (appearances.page_html) as a PDF, checked like a printable."""
        warnings = _Warnings()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(warnings)
        try:
            with self.project.library_epoch():
                document = weasyprint.HTML(
                    string=html,
                    base_url=self.project.templates.as_uri() + "/",
                    url_fetcher=self.fetcher,
                ).render(font_config=self.fonts, cache=self.cache)
                data = document.write_pdf(
                    pdf_identifier=hashlib.md5(printable.filename.encode()).hexdigest().encode()
                )
        finally:
            logger.removeHandler(warnings)
        used = {_family(font) for font in document.fonts.values()}
        if warnings.messages or used - allowed:
            raise RenderError(
                f"{printable.filename}: its fields' text: "
                + "; ".join([*warnings.messages, *sorted(used - allowed)])
            )
        return data


def _family(font: Any) -> str:
    family = font.family
    return family.decode() if isinstance(family, bytes) else str(family)
