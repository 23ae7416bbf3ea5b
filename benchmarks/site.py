"""Benchmark of the built site: build times, page weight, time to an interactive chart, redraw time.

    python benchmarks/site.py            # uses the existing _build/html; add --build to time builds, --tests to time pytest

It prints one table and the budgets; it measures, it does not pass or fail. Pages are served on
127.0.0.1 and opened in Debian's Chromium (Playwright), with the browser cache empty for each page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
BUDGETS = {"page's own bytes": "<= 200 KB", "first visit (gzip)": "<= 1.5 MB", "first chart interactive": "<= 1 s",
           "redraw after an input change": "<= 100 ms", "cached rebuild": "<= 15 s"}


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure_pages(pages: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for page_path in pages:
            context = browser.new_context()
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(base + page_path, wait_until="commit")
            interactive = redraw = None
            print(f"measuring {page_path}", file=sys.stderr, flush=True)
            if "vega-embed" in (SITE / page_path).read_text(encoding="utf-8"):
                page.wait_for_selector(".vega-embed .vega-bindings select, .vega-embed .vega-bindings input", timeout=20_000)
                interactive = page.evaluate("() => performance.now()")
                redraw = page.evaluate("""() => new Promise(resolve => {
                    const chart = document.querySelector('.vega-embed');
                    const input = chart.querySelector('.vega-bindings select');
                    if (!input) { resolve(null); return; }
                    const svg = chart.querySelector('svg');
                    const other = [...input.options].map(o => o.value).find(v => v !== input.value);
                    if (other === undefined) { resolve(null); return; }
                    setTimeout(() => resolve(null), 5000);
                    const start = performance.now();
                    new MutationObserver((_, obs) => { obs.disconnect(); resolve(performance.now() - start); })
                        .observe(svg, {childList: true, subtree: true, attributes: true, characterData: true});
                    input.value = other;
                    input.dispatchEvent(new Event('change'));
                })""")
            page.wait_for_load_state("networkidle", timeout=20_000)
            own_raw, own_gz = _size(SITE / page_path)
            shared_raw = shared_gz = 0
            for url in set(requested):
                path = urlparse(url).path.lstrip("/")
                if urlparse(url).netloc != urlparse(base).netloc or path == page_path or not (SITE / path).is_file():
                    continue
                raw, gz = _size(SITE / path)
                shared_raw, shared_gz = shared_raw + raw, shared_gz + gz
            rows.append({"page": page_path, "own KB": own_raw / 1024, "own KB gz": own_gz / 1024,
                         "shared KB": shared_raw / 1024, "shared KB gz": shared_gz / 1024,
                         "first visit KB gz": (own_gz + shared_gz) / 1024,
                         "chart interactive ms": interactive, "redraw ms": redraw})
            context.close()
        browser.close()
    server.shutdown()
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="time a clean build and a cached rebuild")
    parser.add_argument("--tests", action="store_true", help="time the full test suite")
    args = parser.parse_args(argv)
    timings = {}
    if args.build:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        timings["clean build s"] = _timed(["jupyter-book", "build", ".", "-n", "-W", "--keep-going"])
        timings["cached rebuild s"] = _timed(["jupyter-book", "build", ".", "-n", "-W", "--keep-going"])
    if args.tests:
        timings["full test run s"] = _timed([sys.executable, "-m", "pytest", "-q"])
    if not (SITE / "index.html").is_file():
        sys.exit("Build the site first (jupyter-book build .), or pass --build.")
    pages = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                   if p.parent.name in ("chapters", "guides") or p.name == "index.html")
    import pandas as pd

    table = pd.DataFrame(measure_pages(pages))
    print(table.to_string(index=False, float_format=lambda x: f"{x:.0f}", na_rep="-"))
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.1f}")
    print("budgets: " + "; ".join(f"{k} {v}" for k, v in BUDGETS.items()))


if __name__ == "__main__":
    main()
