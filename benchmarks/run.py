#!/usr/bin/env python3
"""Measure what builds cost, on this machine, in one run; print a table and JSON.

    python benchmarks/run.py [--copies 10] [--repeat 1] [--json FILE]

Each build runs in a fresh process with its own empty cache, so the numbers are comparable.
Ratios matter more than seconds: machines are noisy. `--repeat N` measures the PDF stage and the
floor N times each, one after the other, and keeps the fastest of each (the run other processes
slowed least); `--copies 0` leaves the large toolkit out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import assess_page  # beside this script: the Assess page's weight and speed

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

TARGETS = {  # name: (ratio, at most)
    "pdf stage / WeasyPrint floor": 1.15,
    "pdf stage / WeasyPrint floor, CPU time": 1.15,
    "unchanged rebuild / cold build": 0.10,
    "one-edit rebuild / cold build": 0.50,  # and only the printables that show the driver
    "10x toolkit / 1x toolkit (cold build)": 10.0,
    "assessment PDFs / PDF stage alone": 0.25,  # 4 PDFs against the 76 of the blank set
}


def cpu_seconds() -> float:
    """CPU time of this script's finished child processes and theirs: what a busy machine
    cannot inflate the way it inflates wall time by making a build wait for a core."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict) -> tuple[float, int, str, float]:
    """Seconds, peak memory (MiB, largest single process), output and CPU seconds of a command."""
    probe = (
        "import resource, subprocess, sys\n"
        "result = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(result.stdout + result.stderr)\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(result.returncode)\n"
    )
    start, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(
        [PYTHON, "-c", probe, *command], env=env, capture_output=True, text=True, cwd=PROJECT
    )
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout}{result.stderr}")
    peak = int(re.search(r"PEAK_KB (\d+)", result.stdout).group(1)) // 1024
    return seconds, peak, result.stdout, cpu


def rendered_count(output: str) -> int:
    match = re.search(r"\((\d+) rendered", output)
    return int(match.group(1)) if match else 0


def make_big_rubric(source: Path, target: Path, copies: int) -> None:
    """A synthetic toolkit `copies` times larger: each driver repeated with new ids and names."""
    shutil.copytree(source, target)
    drivers = sorted((target / "drivers").glob("*.yaml"))
    for copy in range(2, copies + 1):
        for file in drivers:
            text = file.read_text(encoding="utf-8")
            driver_id = file.stem
            # Suffix every id (driver, best practices, questions) and the sources that name them.
            text = re.sub(
                r"^(\s*-?\s*(?:id|source): )([a-z0-9-]+)$", rf"\1\2-copy{copy}", text, flags=re.M
            )
            text = re.sub(r"^name: (.+)$", rf"name: \1 {copy}", text, count=1, flags=re.M)
            text = text.replace("source: key-points-copy", "source: key-points #").replace(
                "source: definition-copy", "source: definition #"
            )
            text = re.sub(r"source: (key-points|definition) #\d+", r"source: \1", text)
            (file.parent / f"{driver_id}-copy{copy}.yaml").write_text(text, encoding="utf-8")


def floor_seconds(html_dir: Path, env: dict) -> tuple[float, float]:
    """WeasyPrint alone rendering the pipeline's HTML, on all cores, nothing else: seconds and
    CPU seconds."""
    script = f"""
import os, sys, time, json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import weasyprint
jobs = json.loads(Path({str(html_dir)!r}, "jobs.json").read_text())
def render(job):
    html = Path(job["html"]).read_text()
    css = [weasyprint.CSS(string=s) for s in job["css"]]
    weasyprint.HTML(string=html, base_url=job["base"]).write_pdf(
        stylesheets=css, pdf_tags=True, pdf_forms=job["forms"], pdf_variant=job["variant"])
    return 1
with ProcessPoolExecutor(os.cpu_count()) as pool:
    list(pool.map(render, jobs))
"""
    start, cpu = time.perf_counter(), cpu_seconds()
    subprocess.run([PYTHON, "-c", script], env=env, check=True, cwd=PROJECT)
    return time.perf_counter() - start, cpu_seconds() - cpu


def export_html(html_dir: Path, rubric: Path) -> None:
    """Write the pipeline's final HTML and style sheets for the floor measurement."""
    from macros.catalogue import catalogue
    from macros.pdf.fonts import FAMILY, form_font
    from macros.pdf.renderer import PdfRenderer
    from macros.project import Project
    from macros.render.markdown import MarkdownRenderer
    from macros.source.load import load_rubric

    toolkit = load_rubric(rubric)
    project = Project.at(PROJECT)
    renderer = PdfRenderer(project, toolkit, MarkdownRenderer())
    base_css = (Project.styles / "print.css").read_text()
    font_url = form_font(project.font_cache).as_uri()
    font_css = (
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{font_url}"); }}'
        f'input, textarea {{ font-family: "{FAMILY}"; }}'
    )
    jobs = []
    for index, printable in enumerate(catalogue(toolkit)):
        path = html_dir / f"{index}.html"
        path.write_text(renderer.html(printable))
        orientation = "landscape" if printable.landscape else "portrait"
        page = f"@page {{ size: {printable.paper.css_size} {orientation}; }}"
        fillable = printable.variant == "fillable"
        jobs.append(
            {
                "html": str(path),
                "css": [base_css, font_css, page],
                "base": Project.templates.as_uri() + "/",
                "forms": fillable,
                "variant": None if fillable else "pdf/ua-1",
            }
        )
    (html_dir / "jobs.json").write_text(json.dumps(jobs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="size of the large toolkit")
    parser.add_argument("--repeat", type=int, default=1, help="PDF stage and floor runs")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="toolkit-bench-"))
    rows, results = [], {}
    try:
        base_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
        build = [PYTHON, "build_pdf.py", "--site"]

        def run(label: str, command: list[str], env: dict) -> tuple[float, str]:
            seconds, peak, output, _ = timed(command, env)
            rows.append((label, seconds, peak, rendered_count(output)))
            results[label] = {
                "seconds": round(seconds, 2),
                "peak_mib": peak,
                "pdfs_rendered": rendered_count(output),
            }
            print(f"  {label}: {seconds:.1f} s", file=sys.stderr)
            return seconds, output

        env1 = {**base_env, "TOOLKIT_CACHE": str(work / "cache1")}
        rubric = work / "rubric"
        shutil.copytree(PROJECT / "rubric", rubric)
        site = work / "site"
        common = ["--rubric", str(rubric), "--out", str(site)]
        cold, _ = run("cold build (site + all PDFs)", build + common, env1)
        results["assess page"] = assess_page.measure(site)  # weight and speed of one page
        unchanged, _ = run("rebuild, nothing changed", build + common, env1)
        coaching = rubric / "drivers" / "coaching.yaml"
        coaching.write_text(
            coaching.read_text().replace(
                "Agency staff use a coaching service delivery plan.",
                "Agency staff use a coaching service delivery plan (edited).",
            )
        )
        edited, _ = run("rebuild, one best practice edited", build + common, env1)

        html_dir = work / "html"
        html_dir.mkdir()
        export_html(html_dir, rubric)
        stages, floors = [], []
        for run_number in range(args.repeat):
            env_pdf = {**base_env, "TOOLKIT_CACHE": str(work / f"cache-pdf-{run_number}")}
            out = ["--out", str(work / f"pdf-{run_number}")]  # a fresh folder: no build stamp
            stages.append(timed([PYTHON, "build_pdf.py", "--rubric", str(rubric), *out], env_pdf))
            floors.append(floor_seconds(html_dir, env_pdf))
            runs = f"PDF stage {stages[-1][0]:.1f} s, floor {floors[-1][0]:.1f} s"
            print(f"  {runs}", file=sys.stderr)
        pdf_stage, peak, output, stage_cpu = min(stages)
        floor, floor_cpu = min(floors)
        rows.append(("PDF stage alone (cold)", pdf_stage, peak, rendered_count(output)))
        results["PDF stage alone (cold)"] = {
            "seconds": round(pdf_stage, 2),
            "peak_mib": peak,
            "pdfs_rendered": rendered_count(output),
            "runs": [round(seconds, 2) for seconds, *_ in stages],
            "cpu_seconds": [round(cpu, 2) for *_, cpu in stages],
        }
        rows.append(("WeasyPrint floor (same HTML, all cores)", floor, None, None))
        results["WeasyPrint floor"] = {
            "seconds": round(floor, 2),
            "runs": [round(seconds, 2) for seconds, _ in floors],
            "cpu_seconds": [round(cpu, 2) for _, cpu in floors],
        }
        # A facilitator's PDFs from a saved assessment: the invented example file.
        example = PROJECT / "examples" / "assessment-example.json"
        env_assessment = {**base_env, "TOOLKIT_CACHE": str(work / "cache-assessment")}
        assessment, _ = run(
            "assessment PDFs from the example file (cold)",
            [PYTHON, "build_pdf.py", "--assessment", str(example)]
            + ["--out", str(work / "assessment-pdfs")],
            env_assessment,
        )
        ratios = {
            "pdf stage / WeasyPrint floor": pdf_stage / floor,
            "pdf stage / WeasyPrint floor, CPU time": stage_cpu / floor_cpu,
            "unchanged rebuild / cold build": unchanged / cold,
            "one-edit rebuild / cold build": edited / cold,
            "assessment PDFs / PDF stage alone": assessment / pdf_stage,
        }
        if args.copies:
            big = work / "rubric-big"
            make_big_rubric(rubric, big, args.copies)
            env_big = {**base_env, "TOOLKIT_CACHE": str(work / "cache-big")}
            big_cold, _ = run(
                f"cold build, {args.copies}x toolkit",
                build + ["--rubric", str(big), "--out", str(work / "site-big")],
                env_big,
            )
            ratios[f"{args.copies}x toolkit / 1x toolkit (cold build)"] = big_cold / cold
            results["large_toolkit_drivers"] = len(list((big / "drivers").glob("*.yaml")))
        results["ratios"] = {name: round(value, 3) for name, value in ratios.items()}
        results["one_edit_rendered_pdfs"] = results["rebuild, one best practice edited"][
            "pdfs_rendered"
        ]
        results["machine"] = {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            "date": date.today().isoformat(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'measurement':<45} {'seconds':>8} {'peak MiB':>9} {'PDFs rendered':>14}")
    for label, seconds, peak, count in rows:
        print(
            f"{label:<45} {seconds:>8.1f} {peak if peak is not None else '':>9} "
            f"{count if count is not None else '':>14}"
        )
    print()
    print(f"{'ratio':<45} {'value':>8} {'target':>9}")
    for name, value in ratios.items():
        limit = TARGETS.get(name.replace(f"{args.copies}x", "10x"))
        verdict = "" if limit is None else ("ok" if value <= limit else "MISSED")
        target = f"<= {limit}" if limit else ""
        print(f"{name:<45} {value:>8.3f} {target:>9} {verdict}")
    print()
    print("\n".join(assess_page.report(results["assess page"])))
    print()
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
