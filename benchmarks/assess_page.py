#!/usr/bin/env python3
"""Measure the Assess page: its weight (HTML, script, embedded rubric data) and how long a rating
change takes to update every total, in Debian's Chromium.

    python benchmarks/assess_page.py [--site DIR] [--json FILE]

Without --site, the site is built into a temporary folder first. benchmarks/run.py runs this
on the site of its cold build.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CHANGES = 200  # rating changes timed
TARGETS = {  # measurement: at most
    "HTML (KB)": 200,
    "script (KB)": 40,
    "embedded data (KB)": 25,
    "rating change to all totals, 95th percentile (ms)": 16,  # one frame at 60 Hz
    "merge 30 ballots and draw, 95th percentile (ms)": 100,  # issue 22
}
BALLOTS = 30  # ballot files merged at once: the invented example set, repeated
MERGES = 20  # merges timed


def weight(site: Path) -> dict:
    html = (site / "assess.html").read_bytes()
    script = (site / "assets" / "javascripts" / "assess.js").read_bytes()
    data = re.search(rb'id="tk-assess-data">(.*?)</script>', html, re.S).group(1)
    return {
        "HTML (KB)": round(len(html) / 1000, 1),
        "HTML gzipped (KB)": round(len(gzip.compress(html)) / 1000, 1),
        "script (KB)": round(len(script) / 1000, 1),
        "script gzipped (KB)": round(len(gzip.compress(script)) / 1000, 1),
        "embedded data (KB)": round(len(data) / 1000, 1),
    }


# Each change clicks the next radio of a best practice; the page's handlers run synchronously
# on the click, so when click() returns every total has been updated in the document.
TIMING = """async (changes) => {
  const radios = Array.from(document.querySelectorAll('.tk-rating-group input[type=radio]'));
  const script = [], frame = [];
  for (let i = 0; i < changes; i++) {
    const radio = radios[(i * 7) % radios.length];
    if (radio.checked) continue;
    const start = performance.now();
    radio.click();
    script.push(performance.now() - start);
    await new Promise((done) => requestAnimationFrame(() => done()));
    frame.push(performance.now() - start);
  }
  return {script, frame};
}"""


def update_time(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    example = PROJECT / "examples" / "assessment-example.json"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto((site / "assess.html").resolve().as_uri())
        page.set_input_files("#tk-open-file", str(example))  # a realistic, filled-in page
        page.wait_for_timeout(300)
        timings = page.evaluate(TIMING, CHANGES)
        browser.close()
    script, frame = sorted(timings["script"]), sorted(timings["frame"])
    return {
        "rating change to all totals, median (ms)": round(statistics.median(script), 2),
        "rating change to all totals, 95th percentile (ms)": round(
            script[int(0.95 * (len(script) - 1))], 2
        ),
        "rating change to all totals, slowest (ms)": round(script[-1], 2),
        "rating change to the next frame, median (ms)": round(statistics.median(frame), 2),
        "changes timed": len(script),
    }


# Each merge reads 30 ballot files' bytes (strict JSON, checked), merges them and draws the
# table of counts and flags; the page's code runs synchronously, as after a file dialog.
MERGING = """([texts, merges]) => {
  const data = JSON.parse(document.getElementById('tk-assess-data').textContent);
  const bytes = texts.map((text) => new TextEncoder().encode(text));
  const times = [];
  for (let i = 0; i < merges; i++) {
    TkMerge.clear();
    const start = performance.now();
    TkMerge.add(bytes.map((b, n) => ['b' + n, ConsensusCore.readBallot(b, data, 'b')]));
    times.push(performance.now() - start);
  }
  return times;
}"""


def merge_time(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    examples = sorted((PROJECT / "examples" / "ballots").glob("*.json"))
    texts = [examples[n % len(examples)].read_text("utf-8") for n in range(BALLOTS)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto((site / "assess.html").resolve().as_uri())
        times = sorted(page.evaluate(MERGING, [texts, MERGES]))
        shown = page.inner_text("#tk-merge-status")
        browser.close()
    assert shown.startswith(f"Merged {BALLOTS} ballots"), shown
    return {
        "merge 30 ballots and draw, median (ms)": round(statistics.median(times), 2),
        "merge 30 ballots and draw, 95th percentile (ms)": round(
            times[int(0.95 * (len(times) - 1))], 2
        ),
    }


def measure(site: Path) -> dict:
    return {**weight(site), **update_time(site), **merge_time(site)}


def report(results: dict) -> list[str]:
    lines = [f"{'Assess page':<48} {'value':>8} {'target':>9}"]
    for name, value in results.items():
        limit = TARGETS.get(name)
        verdict = "" if limit is None else ("ok" if value <= limit else "MISSED")
        target = f"<= {limit}" if limit is not None else ""
        lines.append(f"{name:<48} {value:>8} {target:>9} {verdict}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toolkit-assess-bench-") as work:
        site = args.site
        if site is None:
            site = Path(work) / "site"
            command = [sys.executable, str(PROJECT / "build_pdf.py"), "--site", "--out", str(site)]
            subprocess.run(command, check=True, cwd=PROJECT, capture_output=True)
        results = measure(site)
    print("\n".join(report(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    missed = [name for name, limit in TARGETS.items() if results[name] > limit]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
