"""Totals of an assessment, by the toolkit's convention (rubric/forms.yaml `scoring.formula`).

For each driver, each category and overall: points = the sum of the scores of the rated best
practices; possible = the highest score of the scale x the number rated; percent = 100 x points
/ possible, rounded half up to a whole number, or none when nothing is rated. Not rated best
practices are counted apart, never scored 0. The site's script (assess.js, `tally`) does the
same arithmetic on the same data; tests/test_assess.py checks that both agree.

`suggestion` is the rating ticked criteria suggest, with the conditions no criterion ticks
(ToolkitCore.suggestion says the same; the suggest-*.json cases of tests/cases/ hold both to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .fileformat import Assessment, drivers


@dataclass(frozen=True)
class Tally:
    points: int = 0
    possible: int = 0
    rated: int = 0
    not_rated: int = 0

    @property
    def percent(self) -> int | None:
        """Percent of possible points, rounded half up; None when no best practice is rated."""
        if not self.possible:
            return None
        return (200 * self.points + self.possible) // (2 * self.possible)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.points + other.points,
            self.possible + other.possible,
            self.rated + other.rated,
            self.not_rated + other.not_rated,
        )


@dataclass(frozen=True)
class Totals:
    drivers: dict[str, Tally]  #: by driver id, in the toolkit's order
    categories: dict[str, Tally]  #: by category id
    overall: Tally


def totals(data: dict, assessment: Assessment) -> Totals:
    """Score `assessment` with the rubric data the site embeds (fileformat.rubric_data).

    Only best practices the toolkit has count; entries it does not have are left out.
    """
    scores = {rating["id"]: rating["score"] for rating in data["scale"]}
    top = max(scores.values())
    by_driver: dict[str, Tally] = {}
    for driver in drivers(data):
        tally = Tally()
        for practice in driver["practices"]:
            entry = assessment.practices.get(practice["id"])
            rating = entry.rating if entry is not None else None
            if rating is None:
                tally += Tally(not_rated=1)
            else:
                tally += Tally(points=scores[rating], possible=top, rated=1)
        by_driver[driver["id"]] = tally
    by_category = {
        category["id"]: sum((by_driver[driver["id"]] for driver in category["drivers"]), Tally())
        for category in data["categories"]
    }
    return Totals(by_driver, by_category, sum(by_category.values(), Tally()))


def also_check(conditions: list[str] | tuple[str, ...]) -> str:
    """The conditions an explanation sets and no criterion ticks, named for the team to check:
    the same words on the paper forms (blank), the Assess page and the filled forms."""
    quoted = ", ".join(f"“{condition}”" for condition in conditions)
    return f"Also check: {quoted}." if quoted else ""


def suggestion(data: dict, practice: dict, ticked: list[str]) -> dict:
    """The rating that `ticked` criteria suggest for `practice` (an entry of rubric_data), in
    the words the Assess page shows (ToolkitCore.suggestion says the same): "In place" is never
    suggested as settled while conditions no criterion covers remain to be confirmed."""
    also = also_check(practice["conditions"])
    criteria = practice["criteria"]
    if criteria is None:
        return {"rating": None, "met": None, "confirm": practice["conditions"], "text": also}
    required = criteria["required"]
    met = len(ticked) >= required
    cases = data["suggestion"]
    rating = cases["rule_met"] if met else cases["some_ticked"] if ticked else cases["none_ticked"]
    label = next(item["label"] for item in data["scale"] if item["id"] == rating)
    of = (
        f" ticked (at least {required} needed)"
        if criteria["examples"]
        else f" of {len(criteria['items'])} ticked"
    )
    text = f"{len(ticked)}{of}: rule {'met' if met else 'not met'}. Suggested rating: {label}"
    confirm = practice["conditions"] if met else []
    if confirm:
        text += ", but only once the team confirms what no criterion covers"
    return {
        "rating": rating,
        "met": met,
        "confirm": confirm,
        "text": f"{text}. {also}".strip(),
    }
