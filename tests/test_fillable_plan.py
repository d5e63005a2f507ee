"""The prefilled fillable action plan is a working form: every value the saved file filled is a
field holding it, with nothing printed beneath; every text field lets the reader size its text
to fit (auto font size); and after a value is edited, pdf.js (a browser's viewer) and poppler
both draw it inside its field, on its rule, not cut off.

pdf.js runs in Node (pdfjs-dist, which `make test` installs into .cache/tools); poppler is
pdftoppm. Both render at 72 dpi, so one pixel is one PDF point.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from pdf_tools import fields_of, reader_of
from PIL import Image
from test_assessment_pdfs import fixture_file

from macros.assessment import rubric_data

PDFJS_MODULES = PROJECT_ROOT / ".cache" / "tools" / "node_modules"
RENDER = PROJECT_ROOT / "tests" / "pdfjs_render.mjs"
ORGANIZATION = "North Clinic & Partners of the Greater Metropolitan Health District"  # 67
STRATEGY = (
    "Name a mentor for each new staff member within two weeks of hire, and write down the plan"
)
TEAM = ["Ana Ortiz, director", "Ben Cole, coach", "Cara Diaz, data lead"]
ACTION = {
    "strategy": STRATEGY,
    "priority": "quick-win",
    "responsible": "Program manager",
    "resources": "",
    "timeline": "2027-01-15",
    "status": "Not started",
}
DARK = 110  # grey level below which a pixel is ink


@pytest.fixture(scope="module")
def plan(tmp_path_factory, fixture_toolkit) -> Path:
    folder = tmp_path_factory.mktemp("plan")
    data = rubric_data(fixture_toolkit)
    entries = {"mentoring-provided": ("partially-in-place", [1], "Peer mentoring only.")}
    content = fixture_file(data, "consensus-scoring", "2026-11-02", entries)
    content["header"].update(organization=ORGANIZATION, team="\n".join(TEAM))
    content["practices"]["mentoring-provided"]["action"] = ACTION
    (folder / "team.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_CACHE", str(folder / "cache"))
        patch.chdir(folder)
        result = run_cli(
            "--assessment", "team.json", "--paper", "letter", "--rubric", str(FIXTURE_RUBRIC)
        )
    assert result.returncode == 0, result.stderr
    return folder / "assessment-pdfs" / "team-action-plan-fillable-letter.pdf"


def test_every_value_the_file_filled_is_a_field_holding_it(plan):
    fields = fields_of(plan)
    values = {name: field.value for name, field in fields.items() if field.kind == "text"}
    assert values["program"] == "Fixture Program <Pilot>"
    assert values["organization"] == ORGANIZATION
    assert values["date"] == "2026-11-02"
    assert [values[f"team-{n}"] for n in (1, 2, 3, 4)] == [*TEAM, ""]  # and a line to add one
    for column in ("strategy", "responsible", "timeline", "status"):  # Status can be updated
        assert values[f"row1-{column}"] == ACTION[column], column
    assert values["row1-resources"] == ""  # left empty by the file, fillable
    assert {"row2-driver", "row2-strategy", "row2-status"} <= set(values)  # the blank rows


def test_nothing_is_printed_beneath_the_fields(plan):
    """The page itself (its content, without the fields) holds none of the team's values."""
    page = reader_of(plan).pages[0].extract_text()
    assert "Mentoring" in page  # the row's driver, from the rubric, is printed
    for value in (*TEAM, ORGANIZATION, "Fixture Program", STRATEGY[:20], "Not started"):
        assert value not in page, value


def test_every_text_field_fits_its_text(plan):
    """Font size 0 in /DA: readers size the text to the field; plan cells wrap (multi-line)."""
    with pikepdf.open(plan) as pdf:
        fields = {str(field.T): field for field in pdf.Root.AcroForm.Fields}
        texts = {name: field for name, field in fields.items() if field.get("/FT") == "/Tx"}
        for name, field in texts.items():
            assert b" 0 Tf" in bytes(field.DA), (name, bytes(field.DA))
        multiline = {name for name, field in texts.items() if int(field.get("/Ff", 0)) & 4096}
    assert {"row1-strategy", "row1-status", "row2-strategy"} <= multiline
    assert not {"program", "organization", "date", "team-1"} & multiline  # one line, on a rule


LONG_NAME = "Zoë Alexandra Ortiz-Kowalski, director of clinical programs and quality, North"
LONG_STATUS = "Started in January; mentors named in February; two new staff still wait."


@pytest.fixture(scope="module")
def edited(plan, tmp_path_factory) -> Path:
    """The plan after a reader changed team-1 and row1-status, as a form tool writes it: the
    new value, no appearance, NeedAppearances set."""
    out = tmp_path_factory.mktemp("edited") / "edited.pdf"
    with pikepdf.open(plan) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            value = {"team-1": LONG_NAME, "row1-status": LONG_STATUS}.get(str(field.get("/T")))
            if value is not None:
                field.V = pikepdf.String(value)
                if "/AP" in field:
                    del field["/AP"]
        pdf.Root.AcroForm.NeedAppearances = True
        pdf.save(out)
    return out


def rects(pdf: Path) -> dict[str, tuple[float, float, float, float]]:
    """Each field's box on page 1 (left, top, right, bottom), in points from the page's
    top-left corner (a /Rect may list its corners in either order)."""
    with pikepdf.open(pdf) as document:
        height = float(document.pages[0].MediaBox[3])
        boxes = {}
        for field in document.Root.AcroForm.Fields:
            if "/Rect" in field:
                x0, y0, x1, y1 = (float(value) for value in field.Rect)
                boxes[str(field.T)] = (
                    min(x0, x1),
                    height - max(y0, y1),
                    max(x0, x1),
                    height - min(y0, y1),
                )
        return boxes


def render(pdf: Path, viewer: str, out: Path) -> Image.Image:
    if viewer == "poppler":
        command = ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(pdf), str(out)], check=True, capture_output=True)
        return Image.open(out.with_suffix(".png")).convert("L")
    if shutil.which("node") is None or not (PDFJS_MODULES / "pdfjs-dist").is_dir():
        pytest.fail(
            "pdf.js is missing: `make test` installs pdfjs-dist into .cache/tools (needs Node.js "
            "and npm)",
            pytrace=False,
        )
    png = out.with_suffix(".png")
    command = ["node", str(RENDER), str(PDFJS_MODULES), str(pdf), str(png), "1", "1"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return Image.open(png).convert("L")


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The dark pixels inside `box` (left, top, right, bottom), as (x, y)."""
    left, top, right, bottom = box
    pixels = image.load()
    return [
        (x, y)
        for y in range(top, bottom)
        for x in range(left, right)
        if pixels[x, y] < DARK  # type: ignore[index]
    ]


@pytest.mark.parametrize("viewer", ["poppler", "pdf.js"])
def test_an_edited_value_is_drawn_on_its_rule_and_fits(edited, viewer, tmp_path):
    image = render(edited, viewer, tmp_path / "page")
    boxes = rects(edited)
    # team-1: one line; its text inside the field, just above the rule at its foot
    left, top, right, bottom = (round(v) for v in boxes["team-1"])
    text = ink(image, (left, top, right, bottom - 1))  # the rule itself is the last row
    assert text, f"{viewer} drew nothing in team-1"
    lowest = max(y for _, y in text)
    assert bottom - 7 <= lowest < bottom, (viewer, lowest, bottom)  # sits on the rule
    assert max(x for x, _ in text) < right - 1, viewer  # fitted: not cut at the field's end
    assert not ink(image, (left + 2, bottom + 1, right - 2, bottom + 8)), viewer  # none below
    # row1-status: several lines, wrapped and fitted into the cell, none cut at its foot
    left, top, right, bottom = (round(v) for v in boxes["row1-status"])
    text = ink(image, (left, top, right, bottom))
    assert len({y // 4 for _, y in text}) >= 3, viewer  # wrapped onto several lines
    assert max(y for _, y in text) < bottom - 1, viewer  # its last line is there whole


def test_the_files_priority_is_the_chosen_radio_and_its_labels_clear_the_cell_edge(plan, tmp_path):
    """The row takes one of Quick win or Longer-term, by value; "Longer-term" ends before the
    cell's right border (it once ran into it)."""
    priority = fields_of(plan)["row1-priority"]
    assert (priority.kind, priority.value) == ("radio", "/quick-win")
    assert priority.options == ("quick-win", "longer-term")
    command = ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(plan), "-"]
    boxes = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    box = r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">'
    words = re.findall(box + "Longer-term<", boxes)
    assert words
    command = ["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(plan), str(tmp_path / "p")]
    subprocess.run(command, check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    for x_min, x_max, y_max in ((float(a), float(b), float(c)) for a, b, c in words):
        below = round(y_max) + 3  # under the label, inside the row: only the border is drawn
        x = round(x_min)
        while image.getpixel((x, below)) >= DARK:
            x += 1
        assert x - x_max >= 2, (x_max, x)
