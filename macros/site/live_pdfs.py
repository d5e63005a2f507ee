"""The PDFs `mkdocs serve` offers, kept in step with the edits without holding up the pages.

Each rebuild plans the printables (their final HTML and cache keys, about a second). The PDFs
the cache already holds for exactly this content are offered at once; the others render in a
background thread, and when they are done a file in `done_dir` changes: the server watches that
folder, so the next rebuild offers them. A PDF of an older version of its content is never
offered, and a PDF that cannot be rendered is reported, not replaced by an old one.
Its folder (`toolkit-serve-<pid>-...` in the system's temporary folder) goes when serve stops;
one that a killed serve left behind goes when the next one starts.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import model
from ..catalogue import Printable, catalogue
from ..errors import ToolkitError
from ..project import Project
from ..render.markdown import MarkdownRenderer
from ..store.output import made_folder, remove_dead

PREFIX = "toolkit-serve-"


@dataclass(frozen=True)
class Status:
    pending: int  #: PDFs still rendering, left out of the folder until they are done
    error: str | None  #: why a render failed (its PDFs left out), while their content is unchanged


class LivePdfs:
    def __init__(self) -> None:
        temp = Path(tempfile.gettempdir())
        remove_dead(temp, PREFIX)
        base = made_folder(PREFIX, temp)
        self.folder = base / "pdf"  #: the current PDFs and their manifest.json
        self.done_dir = base / "done"  #: changes when a render ends (watched by the server)
        self.done_dir.mkdir()
        self._thread: threading.Thread | None = None
        self._error: str | None = None
        self._failed: frozenset[str] = frozenset()  # the cache keys of a render that failed
        self._last: tuple[Any, ...] | None = None  # what the folder was last written for
        self._status = Status(0, None)

    def update(self, project: Project, toolkit: model.Toolkit) -> Status:
        """Offer the PDFs of `toolkit` that are ready; start rendering the others."""
        inputs = (toolkit, _signature(project.templates, project.styles))
        busy = self._thread is not None and self._thread.is_alive()
        if inputs == self._last and not busy:
            return self._status
        from ..pdf.build import PdfPlan  # WeasyPrint loads only when serving

        plan = PdfPlan(project, toolkit, MarkdownRenderer(), catalogue(toolkit))
        missing = plan.missing()
        keys = frozenset(plan.keys[p.filename] for p in missing)
        if missing and not busy and keys != self._failed:
            self._error, self._failed = None, frozenset()
            self._thread = threading.Thread(
                target=self._render, args=(plan, missing, keys), daemon=True
            )
            self._thread.start()
        plan.write(self.folder)
        self._last = None if missing else inputs
        failed = bool(missing) and keys == self._failed
        self._status = Status(0 if failed else len(missing), self._error if failed else None)
        return self._status

    def _render(self, plan: Any, missing: list[Printable], keys: frozenset[str]) -> None:
        try:
            plan.render(missing, jobs=1)  # one core: the editor and the server keep the other
        except ToolkitError as error:
            self._error, self._failed = str(error), keys
        except Exception as error:  # noqa: BLE001 (a bug, shown in the banner, not lost)
            self._error, self._failed = f"{type(error).__name__}: {error}", keys
        finally:
            with suppress(OSError):  # the server may have stopped meanwhile
                (self.done_dir / "rendered").write_text(str(time.time_ns()))

    def close(self) -> None:
        shutil.rmtree(self.folder.parent, ignore_errors=True)


def _signature(*folders: Path) -> tuple[Any, ...]:
    return tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )
