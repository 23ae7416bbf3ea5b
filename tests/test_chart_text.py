"""No chart text is clipped and none is too small, at a phone's width and a desktop's, in every state a reader can
reach with the chart's inputs (issue 25.3), and after the window narrows from a desktop's width to a phone's.

For each page with charts, at 390 px and at 1280 px, every chart is put through the states of its bound inputs
(``.vega-bindings``): every option of each drop-down, both states of a checkbox, every radio button, and the minimum,
middle and maximum of a range. A chart with at most :data:`MAX_STATES` combinations is tested in all of them. A chart
with more (today only the safety chapter's harms chart: 7 x 38 x 10 = 2,660) is SAMPLED, pairwise: the states form a
covering array in which every pair of values of any two inputs appears together at least once (every option of each
input, in every combination with every option of each other input), built greedily in the page (about as many states
as the two largest inputs' product: 380 of the 2,660 for the harms chart). What this leaves unseen: a label clipped
only when three or more inputs take particular values at once.

In each state, every non-empty ``svg text`` of the chart must lie inside the chart's ``svg`` box
(``getBoundingClientRect``, 1 px of slack), since vega draws text past a chart's edge without a word and the browser
cuts it there; no figure (a count or a percentage) may end in vega's ellipsis ("19/2…" for 19/26: it failed at 390 px
on the harms charts before the count moved left of a point near the edge); no line of words may be cut by vega's
limit, mid-word (a label wrapped for a desktop chart lost the end of every line on a phone's until book/views/kit.py
wrapped it again for its room; on the build before, it failed on 10 pages at 390 px and on 4 at 1280 px); and its drawn size (font size times the
SVG's scale) must be at least 12 px. A state is checked once vega has drawn it, after all the inputs of that state
have been set: once two tasks in a row see the same SVG (vega redraws in promise callbacks as soon as an input fires,
and again for a chart whose size changed; waiting for animation frames instead found the same drawings in every state,
at twice the time). Each chart's inputs (drop-downs, their labels) must also end inside the chart's box.
"""

from __future__ import annotations

import pytest
from browser_helpers import CHARTS, PAGES, SITE, settle

WIDTHS = (390, 1280)
#: Charts with more combinations than this are tested pairwise (see the module docstring).
MAX_STATES = 300
MIN_FONT_PX = 12
SLACK_PX = 1


def _chart_pages() -> list[str]:
    return [p for p in PAGES if (SITE / p).is_file() and 'class="kap-chart"' in (SITE / p).read_text(encoding="utf-8")]


#: In the page: the chart's inputs as lists of setters, the states to visit, and every text problem in each state.
_CHECK = """async ([chart, maxStates, minFont, slack]) => {
    const controls = [];
    for (const bind of chart.querySelectorAll('.vega-bindings .vega-bind')) {
        const select = bind.querySelector('select');
        const radios = [...bind.querySelectorAll('input[type=radio]')];
        const checkbox = bind.querySelector('input[type=checkbox]');
        const range = bind.querySelector('input[type=range]');
        const fire = (el, type) => el.dispatchEvent(new Event(type, {bubbles: true}));
        if (select) {
            controls.push({name: select.name || 'select', start: select.selectedIndex,
                values: [...select.options].map((o, i) => ({label: o.textContent,
                    set: () => { select.selectedIndex = i; fire(select, 'change'); }}))});
        } else if (radios.length) {
            controls.push({name: radios[0].name || 'radio', start: Math.max(0, radios.findIndex(r => r.checked)),
                values: radios.map(r => ({label: r.value, set: () => { r.checked = true; fire(r, 'change'); }}))});
        } else if (checkbox) {
            controls.push({name: checkbox.name || 'checkbox', start: checkbox.checked ? 1 : 0,
                values: [false, true].map(v => ({label: String(v),
                    set: () => { checkbox.checked = v; fire(checkbox, 'change'); }}))});
        } else if (range) {
            const lo = +range.min, hi = +range.max, step = +range.step || 1;
            const mid = lo + Math.round((hi - lo) / 2 / step) * step;
            const values = [...new Set([lo, mid, hi])];
            controls.push({name: range.name || 'range', start: Math.max(0, values.indexOf(+range.value)),
                values: values.map(v => ({label: String(v),
                    set: () => { range.value = v; fire(range, 'input'); fire(range, 'change'); }}))});
        }
    }
    // The states: index vectors into each control's values.
    const start = controls.map(c => c.start);
    const product = (dims) => dims.reduce((acc, d) => acc.flatMap(s => controls[d].values.map((_, i) => {
        const t = [...s]; t[d] = i; return t; })), [start]);
    const total = controls.reduce((n, c) => n * c.values.length, 1);
    let states;
    if (maxStates === 0) {  // the chart as it is drawn now, its inputs untouched
        states = [start];
    } else if (total <= maxStates) {
        states = product(controls.map((_, i) => i));
    } else {  // pairwise (see the module docstring): the two largest inputs in full, the others chosen greedily
        const n = controls.map(c => c.values.length);
        const order = n.map((_, i) => i).sort((a, b) => n[b] - n[a]);
        const key = (a, i, b, j) => a < b ? `${a}:${i}|${b}:${j}` : `${b}:${j}|${a}:${i}`;
        const uncovered = new Set();
        for (let a = 0; a < n.length; a++) for (let b = a + 1; b < n.length; b++)
            for (let i = 0; i < n[a]; i++) for (let j = 0; j < n[b]; j++) uncovered.add(key(a, i, b, j));
        const cover = (s) => { for (let a = 0; a < n.length; a++) for (let b = a + 1; b < n.length; b++) uncovered.delete(key(a, s[a], b, s[b])); };
        states = [];
        const [p, q] = order;
        for (let i = 0; i < n[p]; i++) for (let j = 0; j < n[q]; j++) {
            const s = [...start]; s[p] = i; s[q] = j;
            for (const d of order.slice(2)) {  // the value that covers the most pairs not yet covered
                let best = 0, most = -1;
                for (let v = 0; v < n[d]; v++) {
                    let gain = 0;
                    for (const e of order) if (e !== d && (e === p || e === q || order.indexOf(e) < order.indexOf(d))) gain += uncovered.has(key(d, v, e, s[e]));
                    if (gain > most) { most = gain; best = v; }
                }
                s[d] = best;
            }
            cover(s); states.push(s);
        }
        for (const pair of [...uncovered]) {  // whatever the greedy pass left: one state per pair, others at the start
            if (!uncovered.has(pair)) continue;
            const s = [...start];
            for (const part of pair.split('|')) { const [d, v] = part.split(':').map(Number); s[d] = v; }
            cover(s); states.push(s);
        }
    }
    // Vega redraws (in promise callbacks, a second pass for a chart whose size changed) as soon as an input fires: wait
    // until two tasks in a row see the same SVG (no animation frame needed: getBoundingClientRect lays the page out).
    const frame = () => new Promise(r => setTimeout(r, 0));
    const drawn = () => { const s = chart.querySelector('svg'); return s ? s.getAttribute('viewBox') + s.innerHTML.length : ''; };
    const nextFrame = async () => {
        let last = null;
        for (let i = 0; i < 40; i++) { await frame(); const now = drawn(); if (now === last) return; last = now; }
    };
    const problems = [];
    let current = [...start];
    const check = (label) => {
        const svg = chart.querySelector('svg');
        if (!svg) { problems.push(label + ': no svg'); return; }
        const box = svg.getBoundingClientRect();
        const scale = svg.width && svg.width.baseVal.value ? box.width / svg.width.baseVal.value : 1;
        for (const t of svg.querySelectorAll('text')) {
            const text = t.textContent.trim();
            if (!text) continue;
            const r = t.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            const past = {left: box.left - r.left, right: r.right - box.right, top: box.top - r.top, bottom: r.bottom - box.bottom};
            const [edge, out] = Object.entries(past).reduce((a, b) => (b[1] > a[1] ? b : a));
            if (out > slack) problems.push(`${label}: "${text.slice(0, 60)}" runs ${out.toFixed(0)} px past the chart's ${edge} edge`);
            // A figure ("19/26 (73%)") that vega cut to fit ("19/2…") says something else: never allowed, though row
            // labels and words may end in an ellipsis (their tooltips hold them whole).
            if (/^[0-9][0-9.,/%()\u2013 -]*\u2026$/.test(text)) problems.push(`${label}: the figure "${text}" is cut short`);
            const size = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (size < minFont - 0.05) problems.push(`${label}: "${text.slice(0, 60)}" is ${size.toFixed(1)} px`);
        }
        // No line of words that vega cuts at its limit, wherever the limit falls ("Spravato US brief summ…"): each
        // line of a label, as vega holds it before it cuts it, is measured in the label's font, as vega measures it,
        // against the label's limit. A single word wider than its limit (a registry number) may still be cut.
        const view = window.kapCharts && window.kapCharts.view(chart);
        if (view) {
            const context = document.createElement('canvas').getContext('2d');
            const visit = (mark) => {
                for (const item of (mark && mark.items) || []) {
                    if (mark.marktype === 'text' && item.limit > 0 && item.text != null && item.opacity !== 0) {
                        context.font = `${item.fontStyle || ''} ${item.fontWeight || ''} ${item.fontSize || 11}px ${item.font || 'sans-serif'}`;
                        for (const line of (Array.isArray(item.text) ? item.text : [item.text])) {
                            const words = String(line).trim();
                            const width = context.measureText(words).width;
                            if (/\\s/.test(words) && width > item.limit + 0.5) {
                                problems.push(`${label}: "${words.slice(0, 60)}" is cut mid-word (${width.toFixed(0)} px in ${item.limit.toFixed(0)})`);
                            }
                        }
                    }
                    if (item.items) item.items.forEach(visit);
                }
            };
            visit(view.scenegraph().root);
        }
    };
    for (const state of states) {  // set every input that differs, then wait for the drawing once
        for (let i = 0; i < controls.length; i++) {
            if (current[i] !== state[i]) { controls[i].values[state[i]].set(); current[i] = state[i]; }
        }
        await nextFrame();
        check(controls.map((c, i) => `${c.name}=${c.values[state[i]].label}`).join(', ') || 'as drawn');
    }
    // Back to where it started, so the next chart (and a reader) sees the page as it was.
    for (let i = 0; i < controls.length; i++) if (current[i] !== start[i]) controls[i].values[start[i]].set();
    await nextFrame();
    return {states: states.length, problems: [...new Set(problems)]};
}"""


#: In the page: every chart input (and its label) that runs past its chart's right edge.
_INPUTS_OUTSIDE = """(slack) => [...document.querySelectorAll('.kap-chart')].flatMap(chart => {
    const right = chart.getBoundingClientRect().right;
    return [...chart.querySelectorAll('.vega-bindings label, .vega-bindings select, .vega-bindings input')]
        .filter(el => el.getBoundingClientRect().right > right + slack)
        .map(el => `${chart.id} input ${el.tagName.toLowerCase()} ${el.name || ''} ends at ${Math.round(el.getBoundingClientRect().right)} px, past the chart's right edge at ${Math.round(right)} px`);
})"""


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("path", _chart_pages())
def test_chart_text_inside_the_chart_and_readable(browser, site_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        settle(page)
        charts = page.locator(CHARTS)
        report, visited = [], 0
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            result = chart.evaluate("(chart, args) => (" + _CHECK + ")([chart, ...args])", [MAX_STATES, MIN_FONT_PX, SLACK_PX])
            visited += result["states"]
            report += [f"{chart.get_attribute('id')} {p}" for p in result["problems"]]
        # The inputs too stay inside their chart (at 390 px a drop-down as wide as its longest option ran to 523 px,
        # its arrow off the screen, until kap-charts.css let it shrink).
        report += page.evaluate(_INPUTS_OUTSIDE, SLACK_PX)
        assert visited > 0
        assert not report, f"{len(report)} text problems on {path} at {width} px:\n" + "\n".join(report[:60])
    finally:
        context.close()


#: In the page: the width a chart's text is fitted to (its container_width signal), its container's width and its plot's.
_MEASURED = """chart => {
    const view = window.kapCharts && window.kapCharts.view(chart);
    if (!view) return {container: null};
    const container = view.container().clientWidth;
    let room = container;  // a chart whose text does not follow its width has no such signal
    try { room = view.signal('container_width'); } catch (unknown) {}
    return {container, width: view.width(), 'text room from': room};
}"""


@pytest.mark.parametrize("path", _chart_pages())
def test_chart_text_fits_again_after_the_window_narrows(browser, site_url, path):
    """A reader who opens a page on a desktop's window and narrows it to a phone's width: every chart measures its
    container again (the ``width`` and ``container_width`` signals follow the window's resize event, book/views/vega.py)
    and its text, wrapped again for the new width, stays inside the chart, whole and readable, as drawn."""
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        settle(page)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        settle(page)
        charts = page.locator(CHARTS)
        report = []
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            result = chart.evaluate("(chart, args) => (" + _CHECK + ")([chart, ...args])", [0, MIN_FONT_PX, SLACK_PX])
            report += [f"{chart.get_attribute('id')} {p}" for p in result["problems"]]
            # The chart measured its container again: the text's room follows it, and the plot fits it.
            measured = chart.evaluate(_MEASURED)
            if measured["container"] is None or measured["text room from"] != measured["container"]:
                report.append(
                    f"{chart.get_attribute('id')} fits its text to {measured['text room from']} px in {measured['container']}"
                )
            elif measured["width"] > measured["container"]:
                report.append(f"{chart.get_attribute('id')} draws a plot {measured['width']} px wide in {measured['container']}")
        assert not report, f"{len(report)} text problems on {path} after narrowing to {WIDTHS[0]} px:\n" + "\n".join(report[:60])
    finally:
        context.close()
