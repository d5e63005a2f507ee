"""Any script a team types prints: names and notes in Chinese, Japanese, Korean, Arabic, Hebrew,
Cyrillic, Greek, Devanagari and emoji appear in the PDFs made from the file, set in the fallback
fonts the set-up installs (scripts/system-deps.sh); right-to-left text reads in order; a
character no installed font has prints as U+FFFD and is named, with every other one, in one
warning. The rubric keeps DejaVu Sans alone (test_pdfs.py checks every site PDF's fonts).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURE_RUBRIC, run_cli
from pdf_tools import norm, text_of
from test_assessment_pdfs import fixture_file
from test_fillable_plan import ink, rects, render

from macros.assessment import rubric_data
from macros.pdf.fonts import FALLBACK_PACKAGES, TeamFonts

TEXTS = {
    "Chinese": "张伟，项目主任",
    "Japanese": "山田花子（コーチ）",
    "Korean": "김민준 코치",
    "Arabic": "مرحبا بالعالم",
    "Hebrew": "שלום עולם",
    "Cyrillic": "Привет, мир",
    "Greek": "Γειά σου κόσμε",
    "Devanagari": "नमस्ते",  # "दुनिया" prints too, but its text layer loses the vowel sign ि
    "emoji": "😀 👩‍💻 🇫🇷 🫨",
}
NO_FONT = "\u0378\u0379"  # unassigned code points: no font has them
FALLBACKS = {  # a family each script needs, from the packages the set-up installs
    "Chinese": "Noto Sans CJK",
    "Devanagari": "Noto Sans Devanagari",
    "emoji": "Noto Color Emoji",
}


@pytest.fixture(scope="module")
def fonts() -> TeamFonts:
    fonts = TeamFonts()
    missing = [name for name, text in TEXTS.items() if not all(map(fonts.can_print, text))]
    if missing:
        pytest.fail(
            f"no installed font prints {', '.join(missing)}: install {' '.join(FALLBACK_PACKAGES)} "
            "(scripts/system-deps.sh build does)",
            pytrace=False,
        )
    return fonts


@pytest.fixture(scope="module")
def printed(tmp_path_factory, fixture_toolkit, fonts) -> dict:
    """One file holding every script, in its header, notes and plan, built on Letter."""
    folder = tmp_path_factory.mktemp("scripts")
    data = rubric_data(fixture_toolkit)
    notes = " / ".join(TEXTS.values())
    entries = {
        "mentoring-accountable": ("in-place", [1], notes),
        "mentoring-provided": (
            "partially-in-place",
            [],
            f"before {NO_FONT} after {TEXTS['emoji']}",
        ),
    }
    content = fixture_file(data, "consensus-scoring", "2026-11-02", entries)
    content["header"].update(
        program=TEXTS["Chinese"] + " " + TEXTS["Devanagari"],
        organization=f"{TEXTS['Arabic']} | {TEXTS['Hebrew']}",
        team="\n".join(TEXTS[name] for name in ("Japanese", "Korean", "Cyrillic", "Greek")),
    )
    content["practices"]["mentoring-provided"]["action"] = {
        "strategy": TEXTS["Arabic"],
        "priority": "quick-win",
        "responsible": TEXTS["Chinese"],
        "resources": TEXTS["Hebrew"],
        "timeline": "",
        "status": TEXTS["emoji"],
    }
    (folder / "team.json").write_text(
        json.dumps(content, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_CACHE", str(folder / "cache"))
        patch.chdir(folder)
        result = run_cli(
            "--assessment", "team.json", "--paper", "letter", "--rubric", str(FIXTURE_RUBRIC)
        )
    return {"result": result, "out": folder / "assessment-pdfs", "folder": folder}


def test_the_file_prints_and_every_unprintable_character_is_named_at_once(printed):
    result = printed["result"]
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        "warning: team.json:26:13: practices.mentoring-provided.notes: no installed font has "
        "'\u0378' (U+0378), '\u0379' (U+0379); printed as \ufffd (U+FFFD)",
        "warning: 1 text holds characters no installed font has, printed as \ufffd (U+FFFD); "
        "fonts for most scripts: Debian packages " + ", ".join(FALLBACK_PACKAGES),
    ]


@pytest.mark.parametrize(
    "pdf", ["team-scoring-form-print-letter.pdf", "team-action-plan-print-letter.pdf"]
)
def test_every_script_appears_in_the_pdf(printed, pdf):
    text = text_of(printed["out"] / pdf)
    for name in ("Chinese", "Japanese", "Korean", "Cyrillic", "Greek", "Devanagari"):
        assert norm(TEXTS[name]) in text, name
    for emoji in TEXTS["emoji"].split():  # joined sequences come out as their parts
        assert all(char in text for char in emoji if char != "\u200d"), emoji


def test_unprintable_characters_print_as_the_replacement(printed):
    text = text_of(printed["out"] / "team-scoring-form-print-letter.pdf")
    assert "before \ufffd\ufffd after" in text
    assert NO_FONT[0] not in text
    assert NO_FONT[1] not in text


def test_right_to_left_text_reads_in_order(printed):
    """pdftotext's reading order (bidi applied) gives the words as typed."""
    for pdf in ("team-scoring-form-print-letter.pdf", "team-action-plan-print-letter.pdf"):
        path = printed["out"] / pdf
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = norm(re.sub("[\u200e\u200f\u202a-\u202e]", "", text))
        assert norm(f"{TEXTS['Arabic']} | {TEXTS['Hebrew']}") in text, pdf


def font_families(pdf: Path) -> set[str]:
    """The families of the fonts embedded in a PDF ("ABCDEF+Noto-Sans-CJK-JP" -> with spaces)."""
    found = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                name = str(font.BaseFont).lstrip("/").split("+")[-1]
                found.add(name.replace("-", " "))
    return found


def test_team_text_is_set_in_the_fallback_fonts(printed):
    families = font_families(printed["out"] / "team-scoring-form-print-letter.pdf")
    for script, family in FALLBACKS.items():
        assert any(name.startswith(family) for name in families), (script, families)
    assert "DejaVu Sans" in families


def test_fallback_fonts_are_allowed_for_team_text_only(fonts):
    """The used-font check of a filled PDF accepts a fallback family only when the team's text
    has a character it is needed for; text in DejaVu Sans allows none."""
    assert fonts.families("Ana Ortiz, director; notes: 75% done — ok") == set()
    assert any(family.startswith("Noto Sans CJK") for family in fonts.families(TEXTS["Chinese"]))
    assert "Noto Sans Devanagari" in fonts.families(TEXTS["Devanagari"])
    assert "Noto Color Emoji" in fonts.families("😀")  # DejaVu Sans has it, Pango picks emoji


@pytest.mark.parametrize("viewer", ["poppler", "pdf.js"])
def test_fillable_fields_show_every_script(printed, viewer, tmp_path):
    """Readers draw a field's text themselves, without shaping or right-to-left order, and
    poppler without CJK: each field the file filled carries an appearance laid out as the
    print variant sets it, which both readers show until the team edits the field."""
    pdf = printed["out"] / "team-action-plan-fillable-letter.pdf"
    with pikepdf.open(pdf) as document:
        form = document.Root.AcroForm
        assert not form.get("/NeedAppearances", False)
        filled = [f for f in form.Fields if f.get("/FT") == "/Tx" and str(f.get("/V", ""))]
        assert filled
        assert all("/AP" in field for field in filled)
    image = render(pdf, viewer, tmp_path / "page")
    boxes = rects(pdf)
    # Chinese and Devanagari, Arabic and Hebrew, Japanese, Korean, Chinese, Arabic, emoji
    for name in ("program", "organization", "team-1", "team-2", "row1-responsible"):
        left, top, right, bottom = (round(value) for value in boxes[name])
        assert ink(image, (left + 1, top, right - 1, bottom - 1)), (viewer, name)
    for name in ("row1-strategy", "row1-status"):
        left, top, right, bottom = (round(value) for value in boxes[name])
        assert ink(image, (left + 1, top + 1, right - 1, bottom - 1)), (viewer, name)
