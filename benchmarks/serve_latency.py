#!/usr/bin/env python3
"""How long `mkdocs serve` takes to offer a driver's own PDFs after an edit to its YAML.

    python benchmarks/serve_latency.py [--port 8650] [--repeat 3]

Serves a copy of the rubric (TOOLKIT_RUBRIC) with a copy of the PDF cache (TOOLKIT_CACHE), so
every PDF is ready before the edit; then changes one best practice of coaching and times, from
the moment the file is written, until each watched PDF is served with the new text: coaching's
tip sheet and checklist (its own documents) and the checklist of every driver. It asks only
127.0.0.1 and stops the server however it ends.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DRIVER = "coaching"
OLD = "statement: Agency staff use a coaching service delivery plan."
WATCHED = {  # what is timed: the driver's own documents, then one that holds every driver
    "tip sheet": f"tip-sheet-{DRIVER}-print-letter.pdf",
    "checklist": f"checklist-{DRIVER}-print-letter.pdf",
    "all-drivers checklist": "checklist-print-letter.pdf",
}
LIMIT = 600  # seconds to wait for anything


def fetch(port: int, path: str) -> bytes | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as answer:
            return answer.read()
    except (urllib.error.URLError, OSError):
        return None


def text_of(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8", "replace").split())


def wait(what: str, check, start: float) -> float:
    while time.perf_counter() - start < LIMIT:
        if check():
            return time.perf_counter() - start
        time.sleep(0.1)
    raise SystemExit(f"{what}: not within {LIMIT} s")


def measure(port: int, driver: Path, original: str, round_: int) -> dict[str, float]:
    """Seconds from the edit until each watched PDF is served with it. A PDF is read as text
    only once its bytes differ from what was served before, so polling stays quick."""
    marker = f"Served edit {round_}-{os.getpid() % 1000}."  # short: never split across lines
    seen = {label: fetch(port, f"pdf/{name}") for label, name in WATCHED.items()}
    start = time.perf_counter()
    driver.write_text(original.replace(OLD, f"{OLD[:-1]}; {marker}"), encoding="utf-8")
    times = {}
    while len(times) < len(WATCHED):
        for label, name in WATCHED.items():
            pdf = fetch(port, f"pdf/{name}")
            if label in times or not pdf or pdf == seen[label] or b"%%EOF" not in pdf[-64:]:
                continue
            seen[label] = pdf
            if marker in text_of(pdf):
                times[label] = time.perf_counter() - start
        if time.perf_counter() - start > LIMIT:
            raise SystemExit(f"not offered within {LIMIT} s: {sorted(set(WATCHED) - set(times))}")
        time.sleep(0.05)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    shutil.copytree(PROJECT / "rubric", base / "rubric")
    for part in ("pdf", "fonts"):  # the cache `make build` filled: every PDF ready
        if (PROJECT / ".cache" / part).is_dir():
            shutil.copytree(PROJECT / ".cache" / part, base / "cache" / part)
    env = {
        **os.environ,
        "TOOLKIT_RUBRIC": str(base / "rubric"),
        "TOOLKIT_CACHE": str(base / "cache"),
    }
    env["NO_MKDOCS_2_WARNING"] = "1"
    log = (base / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{args.port}"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        start = time.perf_counter()
        ready = wait(
            "the first build", lambda: fetch(args.port, f"pdf/{WATCHED['checklist']}"), start
        )
        print(f"first build served in {ready:.1f} s")
        rounds = []
        driver = base / "rubric" / "drivers" / f"{DRIVER}.yaml"
        original = driver.read_text(encoding="utf-8")
        for round_ in range(1, args.repeat + 1):
            rounds.append(measure(args.port, driver, original, round_))
            print(f"edit {round_}: " + ", ".join(f"{k} {v:.1f} s" for k, v in rounds[-1].items()))
            time.sleep(2)  # the next edit after the renders of this one have settled
        best = {label: min(r[label] for r in rounds) for label in WATCHED}
        print(json.dumps({"rounds": rounds, "fastest": best}, indent=1))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
