// Run by book/paper/pdf.py with page.evaluate(); see PREPARE there.
([edition]) => {
    const article = document.querySelector('article.bd-article') || document.body;
    const done = {edition, solutionsRemoved: 0, solutionsShown: 0, answersMarked: 0, linksToText: 0};

    // Solutions: sphinx-exercise's solution admonitions, and any cell tagged `solution` outside them.
    const solutions = [...article.querySelectorAll('.solution, .cell.tag_solution')]
        .filter(el => !el.parentElement.closest('.solution, .cell.tag_solution'));
    if (edition === 'student') {
        solutions.forEach(el => el.remove());
        done.solutionsRemoved = solutions.length;
    } else {
        done.solutionsShown = solutions.length;
    }
    // Every fold left open (sphinx-togglebutton's admonitions and details), except folded code, which is not printed.
    article.querySelectorAll('.admonition.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
    article.querySelectorAll('.toggle-button').forEach(b => {
        b.classList.remove('toggle-button-hidden');
        b.setAttribute('aria-expanded', 'true');
    });
    article.querySelectorAll('details:not(.hide)').forEach(d => { d.open = true; });

    // Charts: their inputs are not printed, so say under each chart what it was drawn for.
    article.querySelectorAll('.kap-chart').forEach(chart => {
        const parts = [];
        chart.querySelectorAll('.vega-bindings .vega-bind').forEach(bind => {
            const name = (bind.querySelector('.vega-bind-name') || {textContent: ''}).textContent.trim().replace(/:$/, '');
            const select = bind.querySelector('select');
            const radios = [...bind.querySelectorAll('input[type=radio]')];
            const input = bind.querySelector('input');
            let value = '';
            if (select) value = select.selectedOptions.length ? select.selectedOptions[0].textContent : select.value;
            else if (radios.length) {
                const on = radios.find(r => r.checked);
                value = on ? (on.closest('label') || on).textContent.trim() || on.value : 'none';
            } else if (input && input.type === 'checkbox') value = input.checked ? 'yes' : 'no';
            else if (input) value = input.value;
            if (name) parts.push(name + ': ' + value.trim());
        });
        if (parts.length && !(chart.nextElementSibling && chart.nextElementSibling.matches('.kap-print-bindings'))) {
            const note = document.createElement('p');
            note.className = 'kap-print-bindings';
            note.textContent = 'Drawn for ' + parts.join('; ') + ' (on the website, these can be changed).';
            chart.insertAdjacentElement('afterend', note);
        }
    });

    // A chart taller than a sheet is printed in slices that each fit one, cut where no label or mark is (so that no
    // text is cut in two); the drawn chart stays in the page, hidden. Slices are copies of its SVG, each showing a
    // band of it through its viewBox.
    const sheet = %(sheet)s;
    done.chartsSliced = 0;
    article.querySelectorAll('.kap-chart').forEach(chart => {
        const svg = chart.querySelector(':scope svg.marks') || chart.querySelector('svg');
        if (!svg || chart.querySelector('.kap-print-slices')) return;
        const box = svg.getBoundingClientRect();
        const vb = svg.viewBox.baseVal;
        if (box.height <= sheet || !vb || !vb.height) return;
        const unit = vb.height / box.height;
        const busy = [...svg.querySelectorAll('text, .role-mark path, .role-mark rect, .role-mark line, .role-mark text')]
            .map(el => el.getBoundingClientRect()).filter(r => r.height > 0 && r.height < 60)
            .map(r => [r.top - box.top - 2, r.bottom - box.top + 2]);
        const free = y => !busy.some(([top, bottom]) => y > top && y < bottom);
        const cuts = [0];
        while (box.height - cuts[cuts.length - 1] > sheet) {
            const start = cuts[cuts.length - 1];
            let y = Math.floor(start + sheet);
            while (y > start + sheet / 2 && !free(y)) y -= 1;
            cuts.push(y > start + sheet / 2 ? y : Math.floor(start + sheet));
        }
        cuts.push(box.height);
        const slices = document.createElement('div');
        slices.className = 'kap-print-slices';
        for (let i = 0; i + 1 < cuts.length; i++) {
            const copy = svg.cloneNode(true);
            const top = vb.y + cuts[i] * unit, height = (cuts[i + 1] - cuts[i]) * unit;
            copy.setAttribute('viewBox', `${vb.x} ${top} ${vb.width} ${height}`);
            copy.setAttribute('width', String(vb.width));
            copy.setAttribute('height', String(height));
            if (i > 0) copy.setAttribute('aria-hidden', 'true');
            const slice = document.createElement('div');
            slice.className = 'kap-print-slice';
            slice.appendChild(copy);
            slices.appendChild(slice);
        }
        svg.classList.add('kap-print-sliced');
        svg.insertAdjacentElement('afterend', slices);
        chart.classList.add('kap-print-split');
        done.chartsSliced += 1;
    });

    // The instructor edition: the quiz's right options ticked, numeric and text answers written in.
    if (edition === 'instructor') {
        article.querySelectorAll('.Quiz .MCButton[data-correct="true"]').forEach(option => {
            option.classList.add('kap-print-correct');
            done.answersMarked += 1;
        });
        article.querySelectorAll('.Quiz input.Input-text[data-answers]').forEach(field => {
            let answers = [];
            try { answers = JSON.parse(field.dataset.answers); } catch (e) { return; }
            const right = answers.filter(a => a.correct).map(a => a.type === 'range' ? a.range.join(' to ') : String(a.value));
            const holder = field.closest('.Answer');
            if (!right.length || !holder || holder.querySelector('.kap-print-answer')) return;
            const note = document.createElement('p');
            note.className = 'kap-print-answer';
            note.textContent = 'Answer: ' + right.join(' or ');
            holder.appendChild(note);
            done.answersMarked += 1;
        });
    }

    // A handout has no other pages: links to them keep their text only. Links within the page stay links.
    if (edition !== 'book') {
        article.querySelectorAll('a[href]').forEach(a => {
            const url = new URL(a.getAttribute('href'), location.href);
            if (url.origin !== location.origin) return;
            const id = decodeURIComponent(url.hash.slice(1));
            if (url.pathname === location.pathname && id && document.getElementById(id)) return;
            a.removeAttribute('href');
            done.linksToText += 1;
        });
    }

    const heading = article.querySelector('h1');
    const title = heading ? heading.cloneNode(true) : null;
    if (title) title.querySelectorAll('.headerlink').forEach(el => el.remove());
    done.title = title ? title.textContent.trim() : document.title;
    done.charts = article.querySelectorAll('.kap-chart').length;
    done.chartsDrawnAsSvg = [...article.querySelectorAll('.kap-chart')].filter(c => c.querySelector('svg')).length;
    done.canvases = article.querySelectorAll('.kap-chart canvas, .vega-embed canvas').length;
    done.disclaimer = document.body.innerText.includes(%(disclaimer)s);
    return done;
}
