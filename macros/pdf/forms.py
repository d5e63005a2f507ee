"""Make WeasyPrint's form fields what PDF readers and form tools expect.

WeasyPrint 70 writes each radio button twice into /AcroForm /Fields (the group and every button
again under the group's name), names a button's on-state by its position (/0, /1, /2) with the
real value only in /Opt, and puts a `gs` operator into /DA, where only colour and font belong.
Tools that ignore /Opt then read the rating labelled "2" as "0". This step rewrites the form so
each element is one field, a radio button's on-state is its own value (the rating score itself)
and every /DA is valid; the rest of the file, tags included, is kept as it is.
"""

from __future__ import annotations

import io
import os
import re

import pikepdf

_GRAPHICS_STATE = re.compile(rb"/[^\s/]+\s+gs\s*")
_FONT_SIZE = re.compile(rb"(/[^\s/]+)\s+[\d.]+\s+Tf")
MULTILINE = 1 << 12  #: the /Ff flag of a text field that wraps
ONE_LINE = 20  #: points: a text field taller than one ruled line (7.5 mm) holds several


def fix_form_fields(data: bytes, *, fit_text: bool = False) -> bytes:
    """The PDF `data` with one field per form element, valued radio states and clean /DA.

    With `fit_text` (a saved assessment's form, whose fields hold the team's words), every
    text field's font size is 0, "auto": readers size the text to fit the field as it is, and
    as it is edited, instead of cutting it off; a field taller than one line wraps its text.

    Deterministic: the same input gives the same bytes (the file identifier is derived from the
    content), so reproducible builds stay reproducible.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        if form is None:
            return data
        kids: set[tuple[int, int]] = set()
        for field in form.Fields:
            if "/Kids" in field:
                kids.update(kid.objgen for kid in field.Kids)
                _name_states_by_value(field)
        form.Fields = pikepdf.Array(field for field in form.Fields if field.objgen not in kids)
        for holder in (form, *form.Fields):
            if "/DA" in holder:
                holder.DA = pikepdf.String(_GRAPHICS_STATE.sub(b"", bytes(holder.DA)))
            if fit_text and holder.get("/FT") == "/Tx" and "/DA" in holder:
                holder.DA = pikepdf.String(_FONT_SIZE.sub(rb"\1 0 Tf", bytes(holder.DA)))
                if _height(holder) > ONE_LINE:  # room for more lines: wrap the text
                    holder.Ff = int(holder.get("/Ff", 0)) | MULTILINE
        if "/DA" not in form:  # the default for fields without their own
            form.DA = next((field.DA for field in form.Fields if "/DA" in field), "0 g")
        _tick_font(pdf, form)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _height(field: pikepdf.Object) -> float:
    rect = [float(value) for value in field.get("/Rect", [0, 0, 0, 0])]
    return abs(rect[3] - rect[1])


def _name_states_by_value(group: pikepdf.Object) -> None:
    """Rename each button's on-state from its position to its value, the chosen one (a saved
    plan's priority) included; drop the /Opt lookup."""
    values = [str(value) for value in group.get("/Opt", [])]
    names = [str(kid.get("/TU", "")) for kid in group.Kids]
    shared = os.path.commonprefix(names)
    if ": " in shared:  # "Coaching best practice 1: In place" -> the question the group answers
        group.TU = pikepdf.String(shared[: shared.rindex(": ")])
    for index, kid in enumerate(group.Kids):
        for key in ("/T", "/FT", "/Ff"):  # these made each button a field of its own
            if key in kid:
                del kid[key]
        if not values:
            continue
        for appearance in ("/N", "/D"):
            states = kid.AP.get(appearance)
            if states is not None and f"/{index}" in states and values[index] != str(index):
                states[pikepdf.Name("/" + values[index])] = states[f"/{index}"]
                del states[f"/{index}"]
        if kid.get("/AS") == f"/{index}":  # the choice a saved plan made
            kid.AS = pikepdf.Name("/" + values[index])
            group.V = pikepdf.Name("/" + values[index])
    if "/Opt" in group:
        del group["/Opt"]


def _tick_font(pdf: pikepdf.Pdf, form: pikepdf.Object) -> None:
    """Give tick boxes and radio buttons the font viewers draw their marks with (ZapfDingbats)."""
    buttons = [field for field in form.Fields if field.get("/FT") == "/Btn" and "/DA" not in field]
    if not buttons:
        return
    if "/DR" not in form:
        form.DR = pikepdf.Dictionary()
    if "/Font" not in form.DR:
        form.DR.Font = pikepdf.Dictionary()
    if "/ZaDb" not in form.DR.Font:
        form.DR.Font.ZaDb = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.ZapfDingbats,
            )
        )
    for field in buttons:
        field.DA = pikepdf.String("0 g /ZaDb 0 Tf")
