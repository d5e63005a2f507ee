"""Build printables into a folder: cached by content, rendered in parallel, swapped in whole.

A PDF is re-rendered only when something it depends on changed: its final HTML (which holds all
of its data), the style sheets, the fonts, the options and the library versions. That is what a
cache key covers, so a cached PDF is never stale.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence, Set
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from .. import model
from ..catalogue import Printable
from ..errors import CacheError
from ..lifeline import die_with_parent
from ..project import Project
from ..render.markdown import MarkdownRenderer
from ..store.cache import pdf_environment_key, printable_key
from ..store.output import staging
from .fonts import form_font, resolved_font_files, signature
from .renderer import PdfRenderer, harfbuzz_subset

CACHE_DAYS = 30  # entries unused for this long are removed


@dataclass(frozen=True)
class Built:
    printable: Printable
    pages: int
    size: int
    cached: bool
    repaired: bool = False  #: its cache entry was damaged, so it was rendered again
    data: bytes = field(default=b"", repr=False, compare=False)  #: the PDF, verified


def _verified(key: str, json_file: Path, pdf_file: Path) -> tuple[bytes, int] | None:
    """The cached PDF and its page count, or None when absent or damaged in any way.

    The entry's record holds its key and the PDF's sha256 and page count; the key must be the
    one asked for (an entry renamed or swapped with another is not this printable's), the bytes
    must match the sha256 and parse to the page count, so a truncated, edited or half-written
    file is never shipped.
    """
    try:
        record = json.loads(json_file.read_text(encoding="utf-8"))
        if record["key"] != key:
            return None
        data = pdf_file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != record["sha256"]:
            return None
        if digest not in _PAGES:  # the same bytes always parse the same: once per process
            with pikepdf.open(io.BytesIO(data)) as pdf:
                _PAGES[digest] = len(pdf.pages)
        if _PAGES[digest] != record["pages"]:
            return None
    except Exception:  # noqa: BLE001 (unreadable, not JSON, not a PDF: all mean render it again)
        return None
    return data, record["pages"]


_PAGES: dict[str, int] = {}  # sha256 of a PDF -> its page count, as parsed


def environment_key(project: Project) -> str:
    """Everything outside the HTML that changes a PDF's bytes (see store.cache)."""
    return pdf_environment_key(
        project,
        fonts=[*resolved_font_files(), form_font(project.font_cache)],  # the ones used
        code=[
            Path(__file__).with_name(f"{name}.py")
            for name in ("renderer", "fill", "forms", "appearances")
        ],
        harfbuzz_subset=harfbuzz_subset(),
    )


_worker: PdfRenderer | None = None


def _start_worker(
    project: Project,
    toolkit: model.Toolkit,
    markdown: MarkdownRenderer,
    characters: str,
    parent: int | None,
) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    die_with_parent(parent)  # and a killed build leaves no renderer running
    _worker = PdfRenderer(project, toolkit, markdown, characters)


def _render(job: tuple[Printable, str]) -> tuple[bytes, int]:
    printable, html = job
    if _worker is None:
        raise RuntimeError("a renderer process runs _start_worker before any job")
    rendered = _worker.write(printable, html)
    return rendered.data, rendered.pages


class PdfPlan:
    """The printables of one build, each with its final HTML and its cache key.

    `render` fills the cache with what it lacks; `ready` gives the cached PDFs, which
    `write_pdfs` puts in a folder.
    """

    def __init__(
        self,
        project: Project,
        toolkit: model.Toolkit,
        markdown: MarkdownRenderer,
        printables: list[Printable],
        cache_dir: Path | None = None,
    ) -> None:
        # Pre-filled values (a workshop's, an assessment's) must show in fillable fields: the
        # form font gets every character of them that DejaVu Sans has.
        prefilled = {char for p in printables for _, _, value in p.header_fields for char in value}
        # and a saved assessment's values, which its fillable plan's fields hold
        prefilled |= {char for p in printables if p.filled for char in p.filled.typed()}
        self.project, self.toolkit, self.markdown = project, toolkit, markdown
        self.printables = printables
        self.characters = "".join(sorted(prefilled))
        self.cache_dir = cache_dir or project.pdf_cache
        self.renderer = PdfRenderer(project, toolkit, markdown, self.characters)
        environment = environment_key(project)
        self.keys: dict[str, str] = {}
        self.htmls: dict[str, str] = {}
        for printable in printables:
            html = self.renderer.html(printable)
            options: tuple[Any, ...] = (
                printable.variant,
                printable.paper.value,
                printable.landscape,
            )
            options += (printable.filename,)
            if printable.filled is not None:  # fonts the team's text may be set in
                files = self.renderer.team_fonts.files(printable.filled.typed())
                options += tuple(signature(Path(file)) for file in files)
            self.keys[printable.filename] = printable_key(environment, options, html)
            self.htmls[printable.filename] = html

    def _entry(self, printable: Printable, suffix: str) -> Path:
        return self.cache_dir / f"{self.keys[printable.filename]}{suffix}"

    def cached(self, printable: Printable) -> tuple[bytes, int] | None:
        """The verified cached PDF of `printable` and its page count, if the cache has it."""
        key = self.keys[printable.filename]
        return _verified(key, self._entry(printable, ".json"), self._entry(printable, ".pdf"))

    def missing(self) -> list[Printable]:
        return [p for p in self.printables if self.cached(p) is None]

    def damaged(self, printables: Sequence[Printable]) -> set[str]:
        """Those of `printables` whose entry exists but does not verify (an old-format record,
        without its key, is simply rendered again)."""
        found = set()
        for printable in printables:
            try:
                record = self._entry(printable, ".json").read_text(errors="replace")
            except OSError:
                continue
            if "key" in record:
                found.add(printable.filename)
        return found

    def render(
        self,
        printables: list[Printable],
        *,
        jobs: int | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        threaded: bool = False,
    ) -> None:
        """Render `printables` into the cache, on `jobs` processes (default: all cores).

        `threaded`: this process runs other threads (`mkdocs serve`), so the workers start from a
        fresh server process: a forked copy of a threaded process can wait forever on a lock
        another thread held at the fork."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        done = 0

        def store(printable: Printable, data: bytes, pages: int) -> None:
            nonlocal done
            # Written under a temporary name, then renamed: another build sharing the cache
            # never copies half a file. The .json marks the entry complete, so it comes last.
            key = self.keys[printable.filename]
            record = {"key": key, "pages": pages, "sha256": hashlib.sha256(data).hexdigest()}
            meta = json.dumps(record).encode()
            for suffix, content in ((".pdf", data), (".json", meta)):
                partial = self._entry(printable, f"{suffix}.{os.getpid()}.tmp")
                partial.write_bytes(content)
                partial.replace(self._entry(printable, suffix))
            done += 1
            if progress:
                progress(done, len(printables), printable.filename)

        workers = min(jobs or os.cpu_count() or 1, len(printables))
        if workers <= 1:
            for printable in printables:
                rendered = self.renderer.write(printable, self.htmls[printable.filename])
                store(printable, rendered.data, rendered.pages)
            return
        # A worker from the server process dies with that server, which dies with this process.
        parent = None if threaded else os.getpid()
        initargs = (self.project, self.toolkit, self.markdown, self.characters, parent)
        context = multiprocessing.get_context("forkserver" if threaded else "fork")
        pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=initargs)
        try:
            jobs_list = [(p, self.htmls[p.filename]) for p in printables]
            for printable, (data, pages) in zip(printables, pool.map(_render, jobs_list)):
                store(printable, data, pages)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def ready(
        self, *, rendered: Sequence[Printable] = (), repaired: Set[str] = frozenset()
    ) -> list[Built]:
        """The verified cached PDFs, in the plan's order; those not in the cache are left out
        (under `mkdocs serve`, while they render), unless this build just rendered them."""
        built = []
        for printable in self.printables:
            entry = self.cached(printable)
            if entry is None:
                if printable in rendered:
                    raise CacheError(f"the cache entry of {printable.filename} changed")
                continue
            data, pages = entry
            cached, name = printable not in rendered, printable.filename
            built.append(Built(printable, pages, len(data), cached, name in repaired, data))
        return built


def write_pdfs(out_dir: Path, built: Sequence[Built], *, stamp: str | None = None) -> None:
    """Put `built` into `out_dir` (replaced whole) with a manifest.json."""
    with staging(out_dir, stamp) as stage:
        for item in built:
            (stage / item.printable.filename).write_bytes(item.data)
        write_manifest(stage / "manifest.json", built)


def build_pdfs(
    project: Project,
    toolkit: model.Toolkit,
    markdown: MarkdownRenderer,
    printables: list[Printable],
    out_dir: Path | None,
    *,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cache_dir: Path | None = None,
    stamp: str | None = None,
) -> list[Built]:
    """Render `printables` into `out_dir` (replaced whole on success) with a manifest.json.

    With `out_dir` None they are only rendered into the cache and returned with their bytes:
    the site build writes them once its engine has built the pages around them.
    """
    plan = PdfPlan(project, toolkit, markdown, printables, cache_dir)
    missing = plan.missing()
    damaged = plan.damaged(missing)
    plan.render(missing, jobs=jobs, progress=progress)
    built = plan.ready(rendered=missing, repaired=damaged)
    if out_dir is not None:
        write_pdfs(out_dir, built, stamp=stamp)
    _prune(plan.cache_dir, used=set(plan.keys.values()))
    return built


def _prune(cache_dir: Path, used: set[str]) -> None:
    """Mark the entries this build used and drop those no build has used for a month."""
    cutoff = time.time() - CACHE_DAYS * 86400
    for path in cache_dir.iterdir():
        if path.stem in used:
            os.utime(path)
        elif path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _assessment_of(printable: Printable) -> dict[str, Any]:
    """For a printable of saved assessments: which files (oldest first) it was printed from."""
    if printable.filled is None:
        return {}
    rounds = (
        printable.filled.rounds if printable.kind == "results-report" else [printable.filled.round]
    )
    return {"assessments": [{"file": item.file, "date": item.date} for item in rounds]}


def write_manifest(path: Path, built: Sequence[Built]) -> None:
    entries = [
        {
            "file": item.printable.filename,
            "title": item.printable.title,
            "purpose": item.printable.purpose,
            "kind": item.printable.kind,
            "variant": item.printable.variant,
            "driver": item.printable.driver,
            "edition": item.printable.edition,
            "audience": item.printable.audience,
            "paper": item.printable.paper,
            "paper_name": item.printable.paper.label,
            "pages": item.pages,
            "bytes": item.size,
            **_assessment_of(item.printable),
        }
        for item in built
    ]
    # What the set covers, so the site can name a workshop edition's files as the build did.
    drivers = list(dict.fromkeys(d.id for item in built for d in item.printable.drivers))
    edition = next((item.printable.workshop.edition for item in built), "")
    manifest = {"drivers": drivers, "edition": edition, "printables": entries}
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
