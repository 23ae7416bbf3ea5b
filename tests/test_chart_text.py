"""No chart text is clipped and none is too small, at a phone's width and a desktop's, in every state a reader can
reach with the chart's inputs (issue 25.3).

For each page with charts, at 390 px and at 1280 px, every chart is put through the states of its bound inputs
(``.vega-bindings``): every option of each drop-down, both states of a checkbox, every radio button, and the minimum,
middle and maximum of a range; all combinations when a chart has at most :data:`MAX_STATES` of them, otherwise every
pair of inputs through all their combinations with the others at their starting values. In each state, every
non-empty ``svg text`` of the chart must lie inside the chart's ``svg`` box (``getBoundingClientRect``, 1 px of
slack), since vega draws text past a chart's edge without a word and the browser cuts it there; and its drawn size
(font size times the SVG's scale) must be at least 12 px.
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
    if (total <= maxStates) {
        states = product(controls.map((_, i) => i));
    } else {
        states = [];
        for (let a = 0; a < controls.length; a++) for (let b = a + 1; b < controls.length; b++) states.push(...product([a, b]));
    }
    // Vega redraws a chart whose size changed in a second pass: wait until two frames in a row draw the same SVG.
    const frame = () => new Promise(r => setTimeout(() => requestAnimationFrame(() => r()), 0));
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
            const size = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (size < minFont - 0.05) problems.push(`${label}: "${text.slice(0, 60)}" is ${size.toFixed(1)} px`);
        }
    };
    for (const state of states) {
        for (let i = 0; i < controls.length; i++) {
            if (current[i] !== state[i]) { controls[i].values[state[i]].set(); current[i] = state[i]; await nextFrame(); }
        }
        await nextFrame();
        check(controls.map((c, i) => `${c.name}=${c.values[state[i]].label}`).join(', ') || 'as drawn');
    }
    // Back to where it started, so the next chart (and a reader) sees the page as it was.
    for (let i = 0; i < controls.length; i++) {
        if (current[i] !== start[i]) { controls[i].values[start[i]].set(); await nextFrame(); }
    }
    return {states: states.length, problems: [...new Set(problems)]};
}"""


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
        assert visited > 0
        assert not report, f"{len(report)} text problems on {path} at {width} px:\n" + "\n".join(report[:60])
    finally:
        context.close()
