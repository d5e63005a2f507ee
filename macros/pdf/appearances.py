"""Appearances for the form fields a saved assessment filled, laid out by WeasyPrint.

A reader draws a text field's value with the one font the field names, one character after
another: it neither shapes Arabic or Devanagari, nor orders right-to-left text, nor (poppler)
draws the CJK form font. So every field holding a value gets an appearance set as the print
variant sets team text (any script, with the fallback fonts, sized to fit); readers show it
until the team edits the field, and then draw the new value themselves.
"""

from __future__ import annotations

import html
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf

MULTILINE = 1 << 12


@dataclass(frozen=True)
class Box:
    width: float
    height: float
    value: str
    multiline: bool


def with_appearances(data: bytes, draw: Callable[[str], bytes]) -> bytes:
    """The fillable PDF `data` where each text field holding a value carries an appearance
    made by `draw(html)` (one page per field, sized to it)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        if form is None:
            return data
        fields = [
            field for field in form.Fields if field.get("/FT") == "/Tx" and str(field.get("/V", ""))
        ]
        if not fields:
            return data
        boxes = [_box(field) for field in fields]
        with pikepdf.open(io.BytesIO(draw(page_html(boxes)))) as drawn:
            for field, page in zip(fields, drawn.pages, strict=True):
                field.AP = pikepdf.Dictionary(N=pdf.copy_foreign(page.as_form_xobject()))
        form.NeedAppearances = False  # else readers draw every field again themselves
        # (an empty field needs no appearance: there is nothing to draw)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _box(field: pikepdf.Object) -> Box:
    x0, y0, x1, y1 = (float(value) for value in field.Rect)
    multiline = bool(int(field.get("/Ff", 0)) & MULTILINE)
    return Box(abs(x1 - x0), abs(y1 - y0), str(field.V), multiline)


def _size(box: Box) -> float:
    """A font size that fits the value in the box (an estimate from character widths)."""
    widths = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in box.value)
    if not box.multiline:
        return round(min(9.0, (box.width - 4) / max(widths, 1)), 2)
    return round(min(8.0, math.sqrt(0.7 * box.width * box.height / (1.3 * max(widths, 1)))), 2)


def page_html(boxes: list[Box]) -> str:
    """One page per box, its size, the value laid out as the print variant sets team text."""
    styles, parts = [], []
    for index, box in enumerate(boxes):
        size = _size(box)
        styles.append(
            f"@page f{index} {{ size: {box.width:.2f}pt {box.height:.2f}pt; margin: 0; }}"
            f".f{index} {{ page: f{index}; font-size: {size}pt; height: {box.height:.2f}pt; }}"
        )
        kind = "multi" if box.multiline else "one"
        parts.append(f'<div class="f{index} {kind}">{html.escape(box.value)}</div>')
    css = (
        'div { font-family: "DejaVu Sans"; line-height: 1.3; box-sizing: border-box;'
        " overflow: hidden; padding: 1pt 2pt; white-space: pre-wrap; }"
        " .one { white-space: pre; display: flex; align-items: flex-end; padding-bottom: 2pt; }"
    )
    return (
        f"<!DOCTYPE html><html><head><style>{css}{''.join(styles)}</style></head>"
        f"<body style='margin: 0'>{''.join(parts)}</body></html>"
    )
