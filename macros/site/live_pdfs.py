"""The PDFs `mkdocs serve` offers, kept in step with the edits without holding up the pages.

Each rebuild plans the printables (their final HTML and cache keys, about a second). The PDFs
the cache already holds for exactly this content are offered at once; the others render in a
background thread: first those about one driver (its checklist and tip sheet, on every core),
then those that hold every driver (one core, one at a time, so a newer edit is not kept
waiting). Each PDF goes into the served site as soon as it is rendered, and once a group is
done a file in `done_dir` changes: the server watches that folder, so the pages list them on
the next rebuild. A PDF of an older version of its content is never offered, and a PDF that
cannot be rendered is reported, not replaced by an old one.
Its folder (`toolkit-serve-<pid>-...` in the system's temporary folder) goes when serve stops;
one that a killed serve left behind goes when the next one starts.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..catalogue import Printable, catalogue
from ..errors import ToolkitError
from ..project import Project
from ..render.markdown import MarkdownRenderer
from ..store.output import made_folder, remove_dead
from .stage import files_signature

if TYPE_CHECKING:
    from ..pdf.build import Built, PdfPlan

    Later = tuple[PdfPlan, list[Printable]]  #: the plan of the larger documents, and what it lacks

PREFIX = "toolkit-serve-"


@dataclass(frozen=True)
class Status:
    pending: int  #: PDFs still rendering, left out of the site until they are done
    error: str | None  #: why a render failed (its PDFs left out), while their content is unchanged
    built: list[Built]  #: the PDFs offered now


class LivePdfs:
    def __init__(self) -> None:
        temp = Path(tempfile.gettempdir())
        remove_dead(temp, PREFIX)
        self.base = made_folder(PREFIX, temp)
        self.done_dir = self.base / "done"  #: changes when a render ends (watched by the server)
        self.done_dir.mkdir()
        self.target: Path | None = None  #: the served site's pdf folder, once it was built
        self._lock = threading.Lock()  # the content shown, and writing into `target`
        self._busy = False  # a render thread runs
        self._error: str | None = None
        self._failed: frozenset[str] = frozenset()  # the cache keys of a render that failed
        self._last: tuple[Any, ...] | None = None  # what the status was last made for
        self._shown: tuple[Any, ...] | None = None  # the content the site shows
        self._version = 0  # counts changes of `_shown`: a render of an older one stops
        self._status = Status(0, None, [])
        self._plans: tuple[PdfPlan, ...] = ()  # the plans of the content shown
        self._order: dict[str, int] = {}  # file name -> place in the catalogue

    @property
    def status(self) -> Status:
        return self._status

    def update(self, project: Project, toolkit: model.Toolkit) -> Status:
        """Offer the PDFs of `toolkit` that are ready; start rendering the others, a driver's
        own first: they are planned, and their render started, before the larger documents."""
        inputs = (toolkit, files_signature(project.templates, project.styles))
        if inputs == self._last and not self._busy:
            return self._status
        from ..pdf.build import PdfPlan  # WeasyPrint loads only when serving

        with self._lock:
            fresh = inputs != self._shown
            if fresh:
                self._shown, self._version = inputs, self._version + 1
        printables = catalogue(toolkit)
        markdown = MarkdownRenderer()

        def plan(index: int, group: list[Printable]) -> PdfPlan:
            """This content's plan: made once, so the rebuilds while it renders stay quick."""
            if not fresh and len(self._plans) > index:
                return self._plans[index]
            return PdfPlan(project, toolkit, markdown, group)

        first = plan(0, [p for p in printables if p.driver])
        first_missing = first.missing()
        later: Future[Later] = Future()
        started = bool(first_missing) and self._may_start(first, first_missing)
        if started:
            self._start(first, first_missing, later)
        second = plan(1, [p for p in printables if not p.driver])
        second_missing = second.missing()
        later.set_result((second, second_missing))
        if not started and second_missing and self._may_start(second, second_missing):
            self._start(first, [], later)
        plans = ((first, first_missing), (second, second_missing))
        missing = frozenset(plan.keys[p.filename] for plan, group in plans for p in group)
        failed = bool(missing) and missing <= self._failed
        with self._lock:
            self._plans = (first, second)
            self._order = {printable.filename: i for i, printable in enumerate(printables)}
            built = self._ready()
        self._last = None if missing else inputs
        self._status = Status(0 if failed else len(missing), self._error if failed else None, built)
        return self._status

    def _ready(self) -> list[Built]:
        """The PDFs of the content shown that the cache holds now, in the catalogue's order."""
        found = (item for plan in self._plans for item in plan.ready())
        return sorted(found, key=lambda item: self._order[item.printable.filename])

    def _may_start(self, plan: PdfPlan, missing: list[Printable]) -> bool:
        keys = frozenset(plan.keys[p.filename] for p in missing)
        return not self._busy and not keys <= self._failed

    def _start(self, plan: PdfPlan, own: list[Printable], later: Future[Later]) -> None:
        self._error, self._failed, self._busy = None, frozenset(), True
        args = (plan, own, later, self._version)
        threading.Thread(target=self._render, args=args, daemon=True).start()

    def write(self, pdf_dir: Path) -> None:
        """Put the PDFs offered into the served site (MkDocs emptied it for this rebuild)."""
        from ..pdf.build import write_pdfs

        with self._lock:  # all ready now: some may have been rendered since the pages were made
            write_pdfs(pdf_dir, self._ready())
            self.target = pdf_dir

    def _render(
        self, plan: PdfPlan, own: list[Printable], later: Future[Later], version: int
    ) -> None:
        """A driver's own PDFs on every core, then each larger one on one core (the editor and
        the server keep the other), stopping for a newer edit."""
        keys = {plan.keys[p.filename] for p in own}
        try:
            if own:  # the print variants first: each is served as soon as it is rendered
                own = sorted(own, key=lambda printable: printable.variant != "print")
                plan.render(own, progress=self._offer_as_rendered(plan, version), threaded=True)
                self._done()  # the pages list them with the next rebuild
            plan, rest = later.result()
            keys |= {plan.keys[p.filename] for p in rest}
            for printable in rest:
                if self._version != version:
                    return  # a newer edit: its own render starts with the next rebuild
                plan.render([printable], jobs=1, progress=self._offer_as_rendered(plan, version))
        except ToolkitError as error:
            self._error, self._failed = str(error), frozenset(keys)
        except Exception as error:  # noqa: BLE001 (a bug, shown in the banner, not lost)
            self._error, self._failed = f"{type(error).__name__}: {error}", frozenset(keys)
        finally:
            self._busy = False  # before the signal: the rebuild it starts may start another
            self._done()

    def _offer_as_rendered(self, plan: PdfPlan, version: int) -> Callable[[int, int, str], None]:
        """A render's progress callback: put each PDF into the served site as soon as it is
        rendered, if the site still shows its content."""
        by_name = {printable.filename: printable for printable in plan.printables}

        def offer(_done: int, _total: int, name: str) -> None:
            with self._lock:
                if self._version != version or self.target is None or not self.target.is_dir():
                    return
                entry = plan.cached(by_name[name])
                if entry is not None:
                    partial = self.target / f".{name}.tmp"
                    partial.write_bytes(entry[0])
                    partial.replace(self.target / name)  # never half a file

        return offer

    def _done(self) -> None:
        with suppress(OSError):  # the server may have stopped meanwhile
            (self.done_dir / "rendered").write_text(str(time.time_ns()))

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)
