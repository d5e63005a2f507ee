"""The printables as a workshop team uses them: printed and written on with a pen, filled in on
screen and read back by a tool, tallied by a facilitator.

Everything here is measured from the built PDFs (positions with layout_tools, fields with pypdf
and pikepdf), never from the HTML they were made from. The full set comes from the session's
`built_site`; a workshop edition with long header values is built once for this module.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pikepdf
import pytest
from conftest import run_cli
from layout_tools import MM, Box, layout_of, lone_words
from pdf_tools import fields_of, md_text, norm, pages_of, reader_of, text_of
from pypdf import PdfReader, PdfWriter

from macros.catalogue import PAPERS, Paper, Workshop, catalogue

LINE_PITCH_MIN = 7 * MM
EDITION = ("coaching", "fidelity")
LONG = {
    "program": "Family Connects Home Visiting Program for New Parents and Caregivers in Three "
    "Counties",
    "organization": "North Clinic of the Western Regional Health Authority, Family Services",
    "date": "2026-12-01",
}


@pytest.fixture(scope="module")
def pdf_dir(built_site: Path) -> Path:
    return built_site / "pdf"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """A workshop edition for two drivers on A4 with long pre-filled header values, built in
    this process."""
    out = tmp_path_factory.mktemp("edition") / "pdfs"
    args = ["--paper", "a4", "--drivers", ",".join(EDITION), "--jobs", "1", "--out", str(out)]
    for name, value in LONG.items():
        args += [f"--{name}", value]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return out


def pdfs(folder: Path, variant: str | None = None) -> list[Path]:
    return sorted(
        pdf for pdf in folder.glob("*.pdf") if variant is None or f"-{variant}-" in pdf.name
    )


# --- room to write ------------------------------------------------------------------------------


def test_ruled_lines_are_at_least_7_mm_apart(pdf_dir):
    tight = []
    checked = 0
    for pdf in pdfs(pdf_dir, "print"):
        for page in layout_of(pdf):
            for frame, lines in page.answer_areas():
                edges = [frame.top, *(line.top for line in lines), frame.bottom]
                checked += 1
                gaps = [below - above for above, below in zip(edges, edges[1:])]
                if min(gaps) < LINE_PITCH_MIN - 0.5:
                    tight.append(f"{pdf.name} p{page.number}: {min(gaps) / MM:.1f} mm")
    assert checked > 100
    assert tight == []


@pytest.mark.parametrize(
    ("name", "smallest_mm", "count"),
    [
        ("checklist-print-{paper}.pdf", 21, 33),  # three lines of notes per best practice
        ("discussion-guide-print-{paper}.pdf", 45, None),
        ("stage-guide-print-{paper}.pdf", 45, None),
    ],
)
def test_answer_areas_are_big_enough_and_one_per_item(pdf_dir, toolkit, name, smallest_mm, count):
    questions = {
        "discussion-guide": sum(len(driver.questions) for driver in toolkit.drivers),
        "stage-guide": sum(len(s.questions) for s in toolkit.implementation_support.stages.items),
    }
    for paper in PAPERS:
        pdf = pdf_dir / name.format(paper=paper)
        areas = [frame for page in layout_of(pdf) for frame, _ in page.answer_areas()]
        expected = count or questions[pdf.name.split("-print")[0]]
        assert len(areas) == expected, pdf.name
        small = [frame.height / MM for frame in areas if frame.height < (smallest_mm - 1) * MM]
        assert small == [], pdf.name


def test_fillable_answer_fields_are_multiline_and_big_enough(pdf_dir, toolkit):
    stage_fields = {
        f"{stage.id}-question-{number}"
        for stage in toolkit.implementation_support.stages.items
        for number in range(1, len(stage.questions) + 1)
    }
    question_fields = {f"{q.id}-answer" for driver in toolkit.drivers for q in driver.questions}
    notes_fields = {f"{p.id}-notes" for driver in toolkit.drivers for p in driver.best_practices}
    for name, expected, smallest_mm in (
        ("stage-guide-fillable-letter.pdf", stage_fields, 45),
        ("discussion-guide-fillable-a4.pdf", question_fields, 45),
        ("checklist-fillable-letter.pdf", notes_fields, 21),
    ):
        heights = widget_heights(pdf_dir / name)
        assert expected <= set(heights), name
        small = {field: round(heights[field] / MM, 1) for field in expected}
        assert {f: h for f, h in small.items() if h < smallest_mm - 1} == {}, name
        multiline = multiline_fields(pdf_dir / name)
        assert expected <= multiline, name


def widget_heights(pdf: Path) -> dict[str, float]:
    heights = {}
    for page in reader_of(pdf).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            field = widget["/Parent"].get_object() if "/Parent" in widget else widget
            x0, y0, x1, y1 = (float(value) for value in widget["/Rect"])
            heights[str(field["/T"])] = abs(y1 - y0)
    return heights


def multiline_fields(pdf: Path) -> set[str]:
    return {
        name
        for name, field in reader_of(pdf).get_fields().items()
        if field.get("/FT") == "/Tx" and int(field.get("/Ff", 0)) & (1 << 12)
    }


# --- full pages ---------------------------------------------------------------------------------


def first_block_height(page) -> float:
    """Height of what opens the page up to the second block a team works through (or its end)."""
    rules = [rule.top for rule in page.block_rules() if rule.top > page.body.top + 3]
    end = rules[1] if len(rules) > 1 else page.lowest
    return end - page.body.top


def test_no_page_ends_more_than_40_percent_empty(pdf_dir):
    """Unless it is the last page, or what opens the next page could not have fitted."""
    empty = []
    for pdf in pdfs(pdf_dir):
        pages = layout_of(pdf)
        for page, following in zip(pages, pages[1:]):
            room = page.body.bottom - page.lowest
            if page.empty_share > 0.40 and first_block_height(following) <= room:
                empty.append(f"{pdf.name} p{page.number}: {page.empty_share:.0%} empty")
    assert empty == []


def test_last_pages_end_where_their_content_ends(pdf_dir):
    """The blank foot of a document's last page is not ruled: its answer areas keep the lines
    their template gives (six for a question, five of them grey), so a checklist does not end
    on one best practice with a page of lines under it."""
    stretched = [
        f"{pdf.name} p{last.number}: {len(lines)} lines"
        for pdf in pdfs(pdf_dir, "print")
        for last in layout_of(pdf)[-1:]
        for _, lines in last.answer_areas()
        if len(lines) > 5
    ]
    assert stretched == []
    last = layout_of(pdf_dir / "checklist-print-letter.pdf")[-1]
    notes = [len(lines) for _, lines in last.answer_areas()]
    assert notes
    assert set(notes) == {2}


def test_multi_driver_pages_name_their_driver_in_the_running_header(pdf_dir, toolkit):
    """Each page that holds a driver's best practices or questions names the first driver on it,
    as "Training" where it starts and "Training, continued" where the page opens mid-driver."""
    items = {
        md_text(text): md_text(driver.name)
        for driver in toolkit.drivers
        for text in (
            *(practice.statement for practice in driver.best_practices),
            *(question.text for question in driver.questions),
        )
    }
    wrong = []
    for kind in ("checklist", "scoring-form", "discussion-guide"):
        for paper in PAPERS:
            pdf = pdf_dir / f"{kind}-print-{paper}.pdf"
            for page, text in zip(layout_of(pdf), pages_of(pdf)):
                text = text.replace(norm(page.header), " ", 1)  # the body's text only
                placed = sorted((text.find(i), owner) for i, owner in items.items() if i in text)
                if not placed:
                    continue  # front matter only
                header = page.header_right
                first = placed[0][1]
                opens = text.find(first) < placed[0][0] and not header.endswith(", continued")
                if header not in (first, f"{first}, continued") or (header == first and not opens):
                    wrong.append(f"{pdf.name} p{page.number}: {header!r}, first: {first}")
    assert wrong == []


def test_a_page_opening_mid_driver_says_continued_and_repeats_the_column_headers(pdf_dir):
    continued = 0
    for paper in PAPERS:
        pdf = pdf_dir / f"scoring-form-print-{paper}.pdf"
        for page in layout_of(pdf):
            if page.header_right.endswith(", continued"):
                continued += 1
                top = Box(0, page.body.top, page.width, page.body.top + 20 * MM)
                assert "Best practice and its criteria" in page.text_in(top), page.number
    assert continued >= 3


# --- lines in table cells ------------------------------------------------------------------------


def test_no_cell_leaves_a_word_alone_on_a_line_where_the_next_would_fit(pdf_dir):
    lone = {}
    for pdf in pdfs(pdf_dir):
        found = [word for page in layout_of(pdf) for word in lone_words(page)]
        if found:
            lone[pdf.name] = found
    assert lone == {}
    assert len(layout_of(pdf_dir / "scoring-form-print-letter.pdf")[6].cells()) > 10


# --- header values ------------------------------------------------------------------------------


def header_frame(page) -> Box:
    label = next(where for text, where in page.words if text == "Program")
    frames = [box for box in page.filled(0.0) if box.holds(label) and box.width > 300]
    return min(frames, key=lambda box: box.height)


def test_long_header_values_wrap_inside_the_header_frame(edition):
    """Every word of every pre-filled value is printed within the header's frame."""
    checked = 0
    for pdf in pdfs(edition, "print"):
        if pdf.name.startswith("tip-sheet"):
            continue
        page = layout_of(pdf)[0]
        inside = norm(page.text_in(header_frame(page)))
        shown = ["program"] if pdf.name.startswith("ballot") else LONG  # a ballot: alias, round
        assert [LONG[name] for name in shown if LONG[name] not in inside] == [], pdf.name
        checked += 1
    assert checked >= 5


def header_widgets(pdf: Path) -> dict[str, Box]:
    """The header fields' boxes on page one, in layout_tools' coordinates (from the top)."""
    height = layout_of(pdf)[0].height
    rects = {}
    for annotation in reader_of(pdf).pages[0]["/Annots"]:
        widget = annotation.get_object()
        if str(widget.get("/T")) in ("program", "organization", "date", "team"):
            x0, y0, x1, y1 = (float(value) for value in widget["/Rect"])
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            rects[str(widget["/T"])] = Box(min(x0, x1), top, max(x0, x1), bottom)
    return rects


@pytest.mark.parametrize("which", ["blank", "edition"])
def test_fillable_header_fields_lie_inside_the_frame_and_leave_room(pdf_dir, edition, which):
    pdf = {
        "blank": pdf_dir / "scoring-form-fillable-letter.pdf",
        "edition": edition / "scoring-form-coaching-fidelity-fillable-a4.pdf",
    }[which]
    frame = header_frame(layout_of(pdf)[0])
    rects = header_widgets(pdf)
    assert set(rects) == {"program", "organization", "date", "team"}
    assert [name for name, box in rects.items() if not frame.holds(box, slack=1)] == []
    assert [name for name, box in rects.items() if box.height < 7 * MM] == []  # a line to type on
    assert rects["date"].width >= 30 * MM
    assert rects["team"].width >= 0.9 * frame.width
    assert rects["team"].height >= 14 * MM
    if which == "edition":
        fields = fields_of(pdf)
        assert {name: fields[name].value for name in LONG} == LONG
        assert rects["program"].height >= 14 * MM  # a long value gets the lines it needs


# --- forms that tally ---------------------------------------------------------------------------


def test_checklist_and_scoring_form_print_the_rule_and_that_it_is_the_toolkits_own(
    pdf_dir, toolkit
):
    scoring = toolkit.forms.scoring
    for name in ("checklist-print-letter.pdf", "scoring-form-print-a4.pdf"):
        text = text_of(pdf_dir / name)
        for statement in (scoring.criteria_rule, scoring.convention):
            assert md_text(statement) in text, name
    scoring_text = text_of(pdf_dir / "scoring-form-print-a4.pdf")
    assert scoring_text.count(md_text(scoring.formula)) == 1


def test_scoring_form_carries_each_explanation_the_closing_line_and_what_to_also_check(
    pdf_dir, toolkit
):
    """The consensus scoring form holds all 33 explanations and Coaching 4's closing line, on
    both papers and in both variants; it and the checklist name the conditions no criterion
    ticks in the words the Assess page uses."""
    from macros.model import also_check

    practices = [practice for driver in toolkit.drivers for practice in driver.best_practices]
    said = [md_text(practice.explanation) for practice in practices]
    said += [md_text(practice.closing) for practice in practices if practice.closing]
    also = [also_check(practice.conditions) for practice in practices if practice.conditions]
    assert len(said) == 34
    assert len(also) > 20
    assert "Also check: “at least monthly”, “direct observation”." in also
    for paper in PAPERS:
        for variant in ("print", "fillable"):
            text = text_of(pdf_dir / f"scoring-form-{variant}-{paper}.pdf")
            solid = text.replace(" ", "")  # a line may break after a slash ("his/ her")
            assert [item for item in said if item.replace(" ", "") not in solid] == [], paper
            assert [item for item in also if item.replace(" ", "") not in solid] == [], paper
    checklist = text_of(pdf_dir / "checklist-fillable-letter.pdf")
    assert [item for item in also if item not in checklist] == []
    assert "Also check" not in text_of(pdf_dir / "tip-sheet-coaching-print-letter.pdf")


def test_scoring_form_is_a_tally_sheet(pdf_dir, toolkit):
    text = text_of(pdf_dir / "scoring-form-print-letter.pdf")
    criteria = [
        md_text(item.text)
        for driver in toolkit.drivers
        for practice in driver.best_practices
        for item in (practice.criteria.items if practice.criteria else ())
    ]
    assert [item for item in criteria if item not in text] == []
    assert "Notes and evidence" in text
    for driver in toolkit.drivers:
        assert f"Subtotal for {md_text(driver.name)} (" in text
    for category in toolkit.categories:
        assert md_text(category.name) in text
    assert "Overall" in text
    assert "Percent" in text


def test_fillable_scoring_form_has_a_field_for_every_number(pdf_dir, toolkit):
    fields = fields_of(pdf_dir / "scoring-form-fillable-letter.pdf")
    expected = {"overall-points", "overall-possible", "overall-percent", "overall-not-rated"}
    for category in toolkit.categories:
        expected |= {f"category-{category.id}-{part}" for part in ("points", "percent")}
    for driver in toolkit.drivers:
        expected |= {f"summary-{driver.id}-{part}" for part in ("points", "possible", "percent")}
        expected |= {f"{practice.id}-notes" for practice in driver.best_practices}
    assert expected - set(fields) == set()


def test_two_driver_scoring_form_totals_only_its_drivers(edition, toolkit):
    pdf = edition / "scoring-form-coaching-fidelity-print-a4.pdf"
    first = pages_of(pdf)[0]
    assert "Totals: Coaching and Fidelity" in first  # on the first page, not a page of its own
    text = text_of(pdf)
    others = [d for d in toolkit.drivers if d.id not in EDITION]
    assert [d.name for d in others if f"{md_text(d.name)} " in text] == []
    assert "Organization drivers" not in text


# --- fillable fields ----------------------------------------------------------------------------


APPEARANCE = r"([\d.]+ ){1,4}(g|rg|k) /\S+ [\d.]+ Tf"  # a colour, a font and its size


def test_each_form_element_is_one_field_with_valid_appearance_strings(pdf_dir):
    """Every fillable PDF on both papers, read with pikepdf (pypdf would parse each one's
    2000-object stream only to reach the form)."""
    for path in pdfs(pdf_dir, "fillable"):
        with pikepdf.open(path) as pdf:
            form = pdf.Root.AcroForm
            assert re.fullmatch(APPEARANCE, str(form.DA)), path.name
            names = [str(field.T) for field in form.Fields]
            assert len(names) == len(set(names)), path.name
            assert set(names) == widget_field_names(pdf), path.name
            for field in form.Fields:
                assert [kid for kid in field.get("/Kids", []) if "/T" in kid] == [], path.name
                appearance = str(field.get("/DA", "0 g /F 9 Tf"))
                assert re.fullmatch(APPEARANCE, appearance), appearance


def widget_field_names(pdf: pikepdf.Pdf) -> set[str]:
    """The name of every field a viewer shows: those of the widgets on the pages."""
    return {
        str((widget.Parent if "/Parent" in widget else widget).T)
        for page in pdf.pages
        for widget in page.get("/Annots", [])
        if widget.get("/Subtype") == "/Widget"
    }


def test_radio_buttons_store_the_rating_itself(pdf_dir, toolkit):
    scores = tuple(str(rating.score) for rating in toolkit.forms.rating_scale)
    for name, field_end, options in (
        ("checklist-fillable-a4.pdf", "-rating", scores),
        ("scoring-form-fillable-a4.pdf", "-score", (*scores, "not-rated")),
        ("ballot-fillable-letter.pdf", "-vote", (*scores, "not-rated")),  # as the scoring form
    ):
        radios = {n: f for n, f in fields_of(pdf_dir / name).items() if f.kind == "radio"}
        assert len(radios) == 33, name
        assert {n for n in radios if not n.endswith(field_end)} == set(), name
        assert {f.options for f in radios.values()} == {options}, name
        assert "/Opt" not in reader_of(pdf_dir / name).get_fields()[next(iter(radios))]


def test_every_field_can_be_filled_and_read_back(pdf_dir):
    """Fill every field with pypdf as a form tool would, save, and read each value back: one
    file per template on Letter (a driver's checklist is a part of the whole checklist)."""
    for pdf in pdfs(pdf_dir, "fillable"):
        if "-letter" not in pdf.name or re.match(r"checklist-.+-fillable", pdf.name):
            continue
        fields = fields_of(pdf)
        values = {}
        for name, field in fields.items():
            if field.kind == "text":
                values[name] = f"Answer for {name}"
            elif field.kind == "radio":
                values[name] = "/" + field.options[0]
            elif field.kind == "checkbox":
                values[name] = "/" + on_state(pdf, name)
        writer = PdfWriter(clone_from=reader_of(pdf))
        for page in writer.pages:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
        buffer = io.BytesIO()
        writer.write(buffer)
        read = PdfReader(io.BytesIO(buffer.getvalue())).get_fields()
        wrong = {name: read[name].get("/V") for name in values}
        wrong = {name: value for name, value in wrong.items() if value != values[name]}
        assert wrong == {}, pdf.name
        assert len(values) == len(fields) > 3, pdf.name


def on_state(pdf: Path, name: str) -> str:
    for page in reader_of(pdf).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if str(widget.get("/T")) == name:
                return next(str(s)[1:] for s in widget["/AP"]["/N"] if s != "/Off")
    raise KeyError(name)


# --- consensus scoring: counts a pen can write --------------------------------------------------


def widget_boxes(pdf: Path) -> dict[str, list[tuple[float, float]]]:
    """Each field's widgets as (width, height) in points, from every page."""
    boxes: dict[str, list[tuple[float, float]]] = {}
    for page in reader_of(pdf).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            field = widget["/Parent"].get_object() if "/Parent" in widget else widget
            x0, y0, x1, y1 = (float(value) for value in widget["/Rect"])
            boxes.setdefault(str(field["/T"]), []).append((abs(x1 - x0), abs(y1 - y0)))
    return boxes


def test_every_count_box_of_the_tally_sheet_takes_a_pen(pdf_dir, toolkit):
    """At least 11 mm wide and 8 mm tall (a two-digit number written by hand), on both papers:
    the boxes are the table's cells, which the fillable variant covers with its fields."""
    rounds = toolkit.forms.vote_tally.rounds
    for paper in PAPERS:
        boxes = widget_boxes(pdf_dir / f"vote-tally-fillable-{paper}.pdf")
        counts = {
            name: box
            for name, (box,) in boxes.items()
            if re.search(r"-round\d-(\d|not-rated)$", name)
            or name.endswith("-agreed")
            or name.startswith("voters-round")
        }
        assert len(counts) == 33 * (rounds * 4 + 1) + rounds, paper
        small = {name: box for name, box in counts.items() if box[0] < 11 * MM or box[1] < 8 * MM}
        assert small == {}, paper
        first = layout_of(pdf_dir / f"vote-tally-print-{paper}.pdf")[0]
        assert first.width > first.height, f"{paper}: the tally sheet is landscape"


def test_ballot_gives_each_vote_and_note_a_line_of_its_own(pdf_dir):
    """Each best practice's vote is one line of choices, and its note a frame below it at least
    one ruled line (7.5 mm) tall and most of the page wide."""
    pdf = pdf_dir / "ballot-print-a4.pdf"
    pages = layout_of(pdf)
    votes = [(page, box) for page in pages for text, box in page.words if text == "Vote"]
    notes = [(page, box) for page in pages for text, box in page.words if text == "Note"]
    assert len(votes) == len(notes) == 33
    for (vote_page, vote), (note_page, note) in zip(votes, notes):
        assert vote_page.number == note_page.number, vote_page.number
        assert vote.bottom <= note.top, vote_page.number
        line = [w for t, w in vote_page.words if abs(w.top - vote.top) < 2 and w.x0 > vote.x0]
        assert len(line) >= 8, vote_page.number  # 2 In place ... Not rated, side by side
        frames = [
            frame
            for frame in note_page.filled(0.0)
            if abs(frame.top - note.top) < 3 * MM and frame.width > 0.7 * note_page.body.width
        ]
        assert frames, note_page.number
        assert max(f.height for f in frames) >= 7.5 * MM - 1, note_page.number


# --- workshop editions --------------------------------------------------------------------------


def test_edition_titles_files_and_footers_name_the_drivers(edition):
    label = "Coaching and Fidelity"
    for kind in ("checklist", "scoring-form", "discussion-guide"):
        for variant in ("print", "fillable"):
            pdf = edition / f"{kind}-coaching-fidelity-{variant}-a4.pdf"
            assert f"({label})" in reader_of(pdf).metadata.title, pdf.name
    for pdf in pdfs(edition):
        footers = [page.footer for page in layout_of(pdf)]
        assert all(f"Workshop edition: {label}" in " ".join(f.split()) for f in footers), pdf.name


def test_an_edition_label_names_the_files_and_titles(toolkit):
    printables = catalogue(
        toolkit, papers=(Paper.A4,), drivers=EDITION, workshop=Workshop(edition="Spring workshop")
    )
    several = [p for p in printables if p.kind in ("checklist", "scoring-form") and not p.driver]
    assert {p.filename for p in several} == {
        f"{kind}-spring-workshop-{variant}-a4.pdf"
        for kind in ("checklist", "scoring-form")
        for variant in ("print", "fillable")
    } | {"checklist-spring-workshop-participant-print-a4.pdf"}
    assert {p.title[p.title.index("(") :] for p in several} == {
        "(Spring workshop)",
        "(Spring workshop, participant edition)",
    }
    assert {p.edition for p in printables} == {"Spring workshop"}


def test_full_set_footers_name_no_edition(pdf_dir):
    assert "Workshop edition" not in text_of(pdf_dir / "checklist-print-a4.pdf")


# --- participant editions ------------------------------------------------------------------------


def footer_lines(page) -> int:
    """How many lines of text the page's footer has (its page number shares the first)."""
    tops = sorted({round(box.top) for _, box in page.words if box.top > page.body.bottom})
    return len([top for number, top in enumerate(tops) if not number or top - tops[number - 1] > 2])


def test_participant_editions_keep_provenance_to_one_footer_line_and_credit_once(pdf_dir, toolkit):
    """A participant's copy: every page's footer is one line naming the edition, but the last,
    which credits in full and names the facilitator's key; the discussion guide names no source
    under its questions. The full edition (the key) keeps a source line under every question,
    and a participant edition is never longer than it."""
    editions = sorted(pdf_dir.glob("*-participant-print-*.pdf"))
    # on two papers: the checklist, each driver's checklist and the discussion guide
    assert len(editions) == 2 * (len(toolkit.drivers) + 2)
    for pdf in editions:
        pages = layout_of(pdf)
        footers = [" ".join(page.footer.split()) for page in pages]
        assert [footer_lines(page) for page in pages[:-1]] == [1] * (len(pages) - 1), pdf.name
        assert all("(Participant edition) · Credit: last page." in f for f in footers[:-1])
        assert "Copyright 2015" in footers[-1], pdf.name
        assert "Facilitator’s key" in footers[-1], pdf.name
        assert text_of(pdf).count("Copyright 2015") == 1, pdf.name
        assert "(Participant edition)" in reader_of(pdf).metadata.title, pdf.name
        full = pdf_dir / pdf.name.replace("-participant", "")
        assert len(pages) <= len(layout_of(full)), pdf.name
    assert all(footer_lines(page) > 1 for page in layout_of(pdf_dir / "checklist-print-letter.pdf"))
    for paper in PAPERS:
        guide = text_of(pdf_dir / f"discussion-guide-participant-print-{paper}.pdf")
        key = text_of(pdf_dir / f"discussion-guide-print-{paper}.pdf")
        assert "This toolkit’s wording" not in guide
        assert "Quoted from" not in guide
        assert norm(key).count("This toolkit’s wording, based on") > 30


def test_participant_editions_are_listed_and_linked(pdf_dir, built_site):
    manifest = json.loads((pdf_dir / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["file"]: entry for entry in manifest["printables"]}
    guide = listed["discussion-guide-participant-print-letter.pdf"]
    assert guide["audience"] == "participant"
    assert guide["variant"] == "print"
    assert listed["discussion-guide-print-letter.pdf"]["audience"] == ""
    downloads = (built_site / "downloads.html").read_text(encoding="utf-8")
    for name in listed:
        if "-participant-" in name:
            assert f'href="pdf/{name}"' in downloads, name
    coaching = (built_site / "drivers" / "coaching.html").read_text(encoding="utf-8")
    assert 'href="../pdf/checklist-coaching-participant-print-a4.pdf"' in coaching


# --- the composition template and the action plan ------------------------------------------------


def test_composition_keeps_names_and_demographics_on_separate_pages(pdf_dir, toolkit):
    composition = toolkit.forms.composition
    counts = composition.counts
    for variant in ("print", "fillable"):
        pages = pages_of(pdf_dir / f"composition-{variant}-letter.pdf")
        roster = next(text for text in pages if md_text(composition.heading) in text)
        numbers = next(text for text in pages if md_text(counts.heading) in text)
        assert roster != numbers, variant
        assert md_text(composition.columns[0].heading) in roster, variant
        assert md_text(composition.columns[0].heading) not in numbers, variant
        for characteristic in counts.characteristics:  # a heading cell may wrap after a slash
            assert md_text(characteristic).replace(" ", "") in numbers.replace(" ", "")
        assert "race/ethnicity" not in roster, variant
    fields = fields_of(pdf_dir / "composition-fillable-letter.pdf")
    assert not [name for name in fields if "demographic" in name]
    assert any(name.startswith("counts-") for name in fields)


def test_action_plan_guide_matches_its_columns_and_a_row_takes_one_priority(pdf_dir, toolkit):
    plan = toolkit.forms.action_plan
    text = text_of(pdf_dir / "action-plan-print-letter.pdf")
    gap = next(column for column in plan.columns if column.id == "best-practice-or-gap")
    assert md_text(gap.records) in text
    assert "Priority drivers for improvement. Strategy" not in text
    assert text.count("Quick win Longer-term") >= plan.rows
    assert "Quick win or longer-term (tick one)" in text
    assert "Tick one: Quick win or Longer-term." in text
    fields = fields_of(pdf_dir / "action-plan-fillable-letter.pdf")
    for row in range(1, plan.rows + 1):
        priority = fields[f"row{row}-priority"]
        assert priority.kind == "radio"
        assert priority.options == ("quick-win", "longer-term")
        assert priority.tooltip == f"Row {row}: Quick win or longer-term"
        assert not [name for name in fields if name.startswith(f"row{row}-priority-")]
