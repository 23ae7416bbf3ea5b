"""Benchmark of the built site: build times, page weight, time to an interactive chart, redraw time.

    python benchmarks/site.py            # uses the existing _build/html; add --build to time builds, --tests to time pytest
    python benchmarks/site.py --runs 9   # more page loads per page (the median is shown, with the range)
    python benchmarks/site.py --pages chapters/safety.html   # only these pages (the reference row still measured)
    python benchmarks/site.py --raw loads.json   # also every timed load, round by round

It prints one table and the budgets; it measures, it does not pass or fail. Pages are served on
127.0.0.1 by a separate process and opened in Debian's Chromium (Playwright), with an empty browser
cache for every load.

"First chart interactive" is the time from navigation until the first chart on the page responds
to its input: as soon as that chart's first input appears, the page itself changes it (in a timer
task, which the browser ranks below a real user's input) and the clock stops when the chart has
redrawn. It is measured inside the page, so it doesn't depend on how often the test harness polls.
"Redraw" is the time from an input change to the redraw once the page has loaded.

Weight: "own" is the page's HTML; "shared" every other file of the site it loads until the network is idle (the
libraries, the theme, the stylesheet bundle), which a reader's cache keeps from page to page; "fetched later" the
page's own files it fetches after loading, without the reader doing anything (later charts' data and specs, quiz
questions: see book/site/deferred.py). "First visit" is all three, gzipped (GitHub Pages serves gzip).

Each chart page is also loaded with Chromium's CPU slowed down 4 times (the DevTools protocol's
``Emulation.setCPUThrottlingRate``, as DevTools' "4x slowdown"), which is about what a mid-range phone
gets: "first chart interactive, 4x CPU" is the same measure on that slower processor (``--throttle N``
changes the factor, ``--throttle 1`` skips it). The reference row is measured both ways in the same run.

The last row is a reference page holding only the chart libraries, the datasets and the first chart of the first
chapter with a chart: its time is the floor the chart libraries set on this machine, so the difference to a chapter
is what the theme and the text around the chart cost. The loads go in rounds: each round loads every chart page once
at full speed and once slowed, each load followed at once by a load of the reference page at the same speed, then the
page's chart alone (below), starting one page further on in each round; so every page's median, like the reference's,
is taken over the whole run, on the same machine. (Measured in a block of its own at the end, as it was until
2026-12-06, the reference's median moved from 240 to 297 ms between runs of the same build, and every chapter's ratio
moved with it; with each page's loads in a block of their own, as until 2026-12-07, one page's ratio with the CPU
slowed read 1.13, 1.10 and 1.62 in three runs of one build, as this VM ran slower or faster for a minute or two.)
Since each chapter's first chart is a different chart (some draw far more marks than the reference's), every chart
page is also compared with a page holding its own first chart alone, loaded in turn with it ("x its chart alone"):
the floor the library sets for that chart. "x ref, load by load" divides each load of a page by the reference load
that followed it and takes the median of those ratios: a second estimate of "x ref" that drift in the machine's speed
during the run does not move (the budget is read from "x ref").
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
BUDGETS = {
    "page's own bytes": "<= 200 KB",
    "first visit (gzip)": "<= 450 KB per chapter",
    "first chart interactive": "<= 1 s at full speed; within 1.25x the reference row at full speed and with the CPU slowed 4x",
    "redraw after an input change": "<= 50 ms",
    "cached rebuild": "<= 15 s",
}

#: How the benchmark starts Chromium. Without WebUIOmniboxPopup, because headless Chromium 156 builds its address bar's
#: popup (a chrome:// page of about 200 scripts) for every new browser window, that is for every measured load, and
#: on a 2-core machine that work ran beside the page's (traced: the safety chapter's first chart drew about 80 ms
#: later); it is the browser's own interface, which a reader's browser has built long before, not the page's cost.
BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-features=WebUIOmniboxPopup",
)

#: Runs in every page before its own scripts: when the first chart's first input appears, change it
#: (in a timer task) and note when the chart has redrawn.
_FIRST_INPUT_PROBE = """
window.__kapProbe = {inputs: null, changed: null, redrawn: null};
new MutationObserver((_, observer) => {
  const input = document.querySelector('.kap-chart .vega-bindings select');
  if (!input) return;
  observer.disconnect();
  window.__kapProbe.inputs = performance.now();
  setTimeout(() => {
    const svg = input.closest('.kap-chart').querySelector('svg');
    const other = [...input.options].map(o => o.value).find(v => v !== input.value);
    if (!svg || other === undefined) return;
    new MutationObserver((_, o) => { o.disconnect(); window.__kapProbe.redrawn = performance.now(); })
      .observe(svg, {childList: true, subtree: true, attributes: true, characterData: true});
    window.__kapProbe.changed = performance.now();
    input.value = other;
    input.dispatchEvent(new Event('change'));
  }, 0);
}).observe(document, {childList: true, subtree: true});
"""

_REDRAW = """() => new Promise(resolve => {
    const chart = document.querySelector('.kap-chart');
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
})"""


#: What a page fetches after it has loaded, without the reader doing anything (later charts' data and specs, quiz
#: questions; a long table only when opened): the page's own files, counted apart from the shared ones.
LATER = re.compile(r"/_static/kap-(?:data|specs|quizzes|tables)/")


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def _serve(directory: Path) -> tuple[subprocess.Popen, str]:
    """Serve ``directory`` on 127.0.0.1 from its own process (so it never waits on this one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, base


def _spread(values: list[float]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def reference_page(page: Path) -> str | None:
    """A page holding only what the first chart of ``page`` needs: the chart library with the script that draws the
    charts (async in the head: with no text around the chart, it runs as soon as it arrives, as on the site, where it
    runs just after the first chart), the chart's datasets and the chart (its data and spec preloaded and read from the
    head where the page does so). Its time to an interactive chart is the floor the libraries set on this machine,
    whatever the theme and the text around the chart cost."""
    text = page.read_text(encoding="utf-8")
    div = re.search(r'<div class="kap-chart" id="([^"]+)"></div>', text)
    if div is None:
        return None
    # The chart's datasets are the JSON scripts just before it (each is written before the first chart that uses it).
    start = div.start()
    while (
        previous := re.search(r'<script type="application/json" id="kap-data-[0-9a-f]+">.*?</script>\s*$', text[:start], re.S)
    ) is not None:
        start = previous.start()
    spec = re.compile(
        r'<script type="application/json" data-kap-chart="' + re.escape(div.group(1)) + r'"[^>]*>.*?</script>', re.S
    )
    end = spec.search(text, div.end()).end()
    scripts = '<script async="async" src="_static/kap-vendor/kap-charts.js"></script>'
    # The first chart's data and spec, where they are files the page preloads and reads from its head
    # (book/site/deferred.py): preloaded and read the same way here.
    head = text[: text.find("</head>")]
    preloads = "".join(re.findall(r'<link rel="preload" as="fetch"[^>]*>', head))
    preloads += "".join(re.findall(r"<script data-kap-early>.*?</script>", head, re.S))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reference: one chart</title>'
        f"{preloads}{scripts}</head><body>{text[start:end]}</body></html>"
    )


#: Where a load's time to the first interactive chart went (ms from navigation; book/site/static/kap-charts.js marks them).
_PHASES = """() => {
    const at = prefix => (performance.getEntriesByType('mark').find(m => m.name.startsWith(prefix)) || {}).startTime ?? null;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {'first paint': paint ? paint.startTime : null, 'library ready': at('kap-charts-ready'),
            'chart started': at('kap-chart-start:'), 'chart drawn': at('kap-chart-drawn:')};
}"""
PHASES = ("first paint", "library ready", "chart started", "chart drawn")


def _first_chart_interactive(browser, url: str, throttle: float = 1) -> tuple[float, float | None, dict]:
    """One load of ``url`` in a fresh context (empty cache), the CPU slowed ``throttle`` times through the DevTools
    protocol: (ms from navigation until the first chart redrew after its input changed, ms of a redraw after load,
    when the load reached each of PHASES)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        if throttle != 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.add_init_script(_FIRST_INPUT_PROBE)
        page.goto(url, wait_until="load")
        page.wait_for_function("window.__kapProbe.redrawn !== null", timeout=60_000)
        interactive = page.evaluate("window.__kapProbe.redrawn")
        phases = page.evaluate(_PHASES)
        page.wait_for_load_state("networkidle", timeout=60_000)
        return interactive, page.evaluate(_REDRAW), phases
    finally:
        context.close()


def rounds(pages: list[str], runs: int) -> list[list[str]]:
    """The order of the timed loads: ``runs`` rounds, each loading every page once, each starting one page further on
    than the one before (with more than one page and one round, no page is always the first or the last of a round)."""
    return [pages[r % len(pages) :] + pages[: r % len(pages)] for r in range(runs)] if pages else []


@dataclass
class _Loads:
    """The timed loads of one page (or of one chart alone, or of the reference page) over a run, in the order made."""

    interactive: list[float] = field(default_factory=list)  # ms to the first interactive chart, full speed
    slowed: list[float] = field(default_factory=list)  # the same with the CPU slowed
    redraws: list[float | None] = field(default_factory=list)  # full speed only
    phases: list[dict] = field(default_factory=list)  # when each load reached each of PHASES
    phases_slowed: list[dict] = field(default_factory=list)
    reference_after: list[float] = field(default_factory=list)  # the reference load made right after each load
    reference_after_slowed: list[float] = field(default_factory=list)

    def measure(self, browser, url: str, throttle: float = 1, record_details: bool = True) -> float:
        """Load ``url`` once, the CPU slowed ``throttle`` times; note its time (and, with ``record_details``, its
        redraw and PHASES) and return it."""
        first, redrawn, reached = _first_chart_interactive(browser, url, throttle)
        (self.interactive if throttle == 1 else self.slowed).append(first)
        if record_details:
            (self.phases if throttle == 1 else self.phases_slowed).append(reached)
            if throttle == 1:
                self.redraws.append(redrawn)
        return first


def measure_pages(
    pages: list[str], runs: int = 5, throttle: float = 4, reference_of: str | None = None, raw: Path | None = None
) -> list[dict]:
    """One row per page (and the reference row: the libraries and the first chart of ``reference_of``, by default
    the first of ``pages`` with a chart). With ``raw``, every timed load is also written there as JSON: the rounds'
    order, then each chart page's loads and its chart alone's in the order made (load n in round n), and the reference
    page's (one after each load of a chart page: load n of a page is paired with its "reference_after" n)."""
    from playwright.sync_api import sync_playwright

    # The reference page and each chart alone live beside the site's _static folder, in a temporary folder of their
    # own; the site is served under site/, so no page of the site shares their names.
    scratch = Path(tempfile.mkdtemp(prefix="kap-bench-"))
    (scratch / "_static").symlink_to(SITE / "_static", target_is_directory=True)
    (scratch / "site").symlink_to(SITE, target_is_directory=True)
    first_chart_page = reference_of or next((p for p in pages if reference_page(SITE / p)), None)
    reference = "reference.html" if first_chart_page else None
    if reference:
        (scratch / reference).write_text(reference_page(SITE / first_chart_page), encoding="utf-8")
    chart_alone_urls = {}  # each chart page's own floor: the libraries and that page's first chart alone
    for page_path in pages:
        if alone := reference_page(SITE / page_path):
            chart_alone_urls[page_path] = f"alone-{page_path.replace('/', '-')}"
            (scratch / chart_alone_urls[page_path]).write_text(alone, encoding="utf-8")
    server, base = _serve(scratch)
    chart_alone_urls = {page: base + name for page, name in chart_alone_urls.items()}
    files = {**{page: SITE / page for page in pages}, **({reference: scratch / reference} if reference else {})}
    urls = {**{page: base + "site/" + page for page in pages}, **({reference: base + reference} if reference else {})}
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=[*BROWSER_ARGS],
            )
            browser.new_page().goto(base)  # warm the browser up once; every measured load has a fresh cache
            requested = {}
            for page_path in files:  # one load of each page records what it requests; the timed loads listen to nothing
                print(f"weighing {page_path}", file=sys.stderr, flush=True)
                requested[page_path] = set()
                context = browser.new_context()
                page = context.new_page()
                page.on("request", lambda r, seen=requested[page_path]: seen.add(r.url))
                page.goto(urls[page_path], wait_until="networkidle")
                context.close()
            chart_pages = [p for p in pages if 'class="kap-chart"' in files[p].read_text(encoding="utf-8")]
            if not chart_pages:
                print("no chart page among those named: no load timed", file=sys.stderr)
            loads = {page_path: _Loads() for page_path in files}
            chart_alone = {page_path: _Loads() for page_path in chart_alone_urls}
            # In rounds, so every page's loads are spread over the whole run as the reference's are, and a machine that
            # slows down for a minute slows every page alike. Each load of a page is followed at once by a load of the
            # reference page at the same speed, which it is paired with ("x ref, load by load").
            speeds = (1, throttle) if throttle != 1 else (1,)
            for round_number, order in enumerate(rounds(chart_pages, runs)):
                print(f"round {round_number + 1} of {runs}", file=sys.stderr, flush=True)
                for page_path in order:
                    timed = loads[page_path]
                    for speed in speeds:
                        timed.measure(browser, urls[page_path], speed)
                        if reference:
                            after = loads[reference].measure(browser, urls[reference], speed)
                            (timed.reference_after if speed == 1 else timed.reference_after_slowed).append(after)
                    for speed in speeds if page_path in chart_alone_urls else ():
                        chart_alone[page_path].measure(browser, chart_alone_urls[page_path], speed, record_details=False)
            for page_path in files:
                own_raw, own_gz = _size(files[page_path])
                shared_raw, shared_gz, later_gz = _requested_bytes(requested[page_path], scratch, urls[page_path])
                name = f"reference: libraries + first chart of {first_chart_page}" if page_path == reference else page_path
                timed, alone = loads[page_path], chart_alone.get(page_path, _Loads())
                rows.append(
                    {
                        "page": name,
                        "own KB": own_raw / 1024,
                        "own KB gz": own_gz / 1024,
                        "shared KB": shared_raw / 1024,
                        "shared KB gz": shared_gz / 1024,
                        "fetched later KB gz": later_gz / 1024,
                        "first visit KB gz": (own_gz + shared_gz + later_gz) / 1024,
                        "first chart interactive ms, median (range)": _spread(timed.interactive),
                        f"same, {throttle:g}x CPU": _spread(timed.slowed),
                        "redraw ms": _spread(timed.redraws),
                        "x its chart alone": _ratio(timed.interactive, alone.interactive),
                        "x its chart alone, slowed": _ratio(timed.slowed, alone.slowed),
                        "x ref, load by load": _paired(timed.interactive, timed.reference_after),
                        "x ref, load by load, slowed": _paired(timed.slowed, timed.reference_after_slowed),
                        **_phase_medians(timed.phases, timed.interactive, ""),
                        **_phase_medians(timed.phases_slowed, timed.slowed, f", {throttle:g}x"),
                    }
                )
            browser.close()
            if raw:
                written = {
                    "rounds": rounds(chart_pages, runs),
                    "pages": {page: vars(loads[page]) for page in chart_pages},
                    "chart alone": {page: vars(chart_alone[page]) for page in chart_pages if page in chart_alone},
                    "reference": vars(loads[reference]) if reference else None,
                }
                raw.write_text(json.dumps(written, indent=1), encoding="utf-8")
    finally:
        server.kill()
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def _requested_bytes(requested: set[str], served: Path, url: str) -> tuple[int, int, int]:
    """Bytes of the files a page requested besides itself, from the folder ``served`` they were served from: shared
    (raw, gzip) and fetched later (gzip; the page's own files, fetched after it: book/site/deferred.py)."""
    shared_raw = shared_gz = later_gz = 0
    for request in requested:
        path = served / urlparse(request).path.lstrip("/")
        if urlparse(request).netloc != urlparse(url).netloc or path == served / urlparse(url).path.lstrip("/"):
            continue
        if not path.is_file():
            continue
        raw, gz = _size(path)
        if LATER.search(urlparse(request).path):
            later_gz += gz
        else:
            shared_raw, shared_gz = shared_raw + raw, shared_gz + gz
    return shared_raw, shared_gz, later_gz


def _phase_medians(loads: list[dict], interactive: list[float], suffix: str) -> dict:
    """Median ms from navigation to each of PHASES and to the interactive chart, over ``loads`` (keys "phase: ...")."""

    def median(values):
        values = [v for v in values if v is not None]
        return round(statistics.median(values)) if values else None

    reached = {f"phase: {name}{suffix}": median([load.get(name) for load in loads]) for name in PHASES}
    return {**reached, f"phase: interactive{suffix}": median(interactive)} if loads else {}


def _ratio(page: list[float], alone: list[float]) -> str:
    """The page's median time as a multiple of the median time of its first chart on a page of its own."""
    return f"{statistics.median(page) / statistics.median(alone):.2f}" if page and alone else "-"


def _paired(page: list[float], reference: list[float]) -> str:
    """The median of each load's time over the reference load that followed it: a second estimate of "x ref" that a
    machine slowing down or speeding up during the run does not move, since each pair of loads saw the same machine
    within a few seconds. The "x ref" columns stay the measure of the budget."""
    pairs = [p / r for p, r in zip(page, reference) if p and r]
    return f"{statistics.median(pairs):.2f}" if pairs else "-"


def _median(cell: str) -> float | None:
    """The median from a "median (min-max)" cell, or None."""
    return float(cell.split()[0]) if cell and cell != "-" else None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="time a clean build and a cached rebuild")
    parser.add_argument("--tests", action="store_true", help="time the full test suite")
    parser.add_argument("--runs", type=int, default=5, help="page loads per chart page (default 5)")
    parser.add_argument("--throttle", type=float, default=4, help="CPU slowdown for the second measure (default 4; 1: skip)")
    parser.add_argument("--site", type=Path, default=None, help="the built site (default _build/html)")
    parser.add_argument("--raw", type=Path, default=None, help="also write every timed load to this JSON file")
    parser.add_argument("--pages", nargs="+", default=None, help="only these pages, as paths in the site (chapters/safety.html)")
    args = parser.parse_args(argv)
    global SITE
    SITE = (args.site or SITE).resolve()
    timings = {}
    if args.build:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        timings["clean build s"] = _timed(["jupyter-book", "build", ".", "-n", "-W", "--keep-going"])
        timings["cached rebuild s"] = _timed(["jupyter-book", "build", ".", "-n", "-W", "--keep-going"])
    if args.tests:
        timings["full test run s"] = _timed([sys.executable, "-m", "pytest", "-q"])
    if not (SITE / "index.html").is_file():
        sys.exit("Build the site first (jupyter-book build .), or pass --build.")
    pages = sorted(
        str(p.relative_to(SITE))
        for p in SITE.rglob("*.html")
        if p.parent.name in ("chapters", "guides") or p.name == "index.html"
    )
    reference_of = next((p for p in pages if reference_page(SITE / p)), None)  # the same row, whichever pages are run
    if args.pages:
        unknown = sorted(set(args.pages) - set(pages))
        if unknown:
            sys.exit(f"Not pages of the site: {', '.join(unknown)}. Its pages: {', '.join(pages)}")
        pages = [p for p in pages if p in args.pages]
    import pandas as pd

    table = pd.DataFrame(measure_pages(pages, args.runs, args.throttle, reference_of, args.raw))
    if table["page"].iloc[-1].startswith("reference"):  # each page's time as a multiple of the reference row's
        columns = ("first chart interactive ms, median (range)", "x ref"), (f"same, {args.throttle:g}x CPU", "x ref, slowed")
        for column, ratio in columns:
            floor = _median(table[column].iloc[-1])
            table[ratio] = [f"{_median(v) / floor:.2f}" if floor and _median(v) else "-" for v in table[column]]
        paired = [c for c in table.columns if "load by load" in c]  # after the budget's ratios, beside them
        table = table[[c for c in table.columns if c not in paired] + paired]
    phase_columns = [c for c in table.columns if c.startswith("phase: ")]
    phases = table[["page", *phase_columns]].dropna(subset=phase_columns, how="all")
    table = table.drop(columns=phase_columns)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.0f}", na_rep="-"))
    if not phases.empty:  # where each chart page's time to its first interactive chart went
        phases.columns = ["page", *(c.removeprefix("phase: ") for c in phase_columns)]
        print("\nWhen each load reached each step, ms from navigation (medians; 'chart started': the library had run and the")
        print("parser had reached the chart; the reference row has no text to paint before its chart):")
        print(phases.to_string(index=False, float_format=lambda x: f"{x:.0f}", na_rep="-"))
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.1f}")
    print("budgets: " + "; ".join(f"{k} {v}" for k, v in BUDGETS.items()))


if __name__ == "__main__":
    main()
