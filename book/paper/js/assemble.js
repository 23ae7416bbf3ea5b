// Run by book/paper/pdf.py with page.evaluate(); see ASSEMBLE there.
async ([pieces, title]) => {
    document.title = title;
    const have = new Set([...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href));
    const loads = [];
    for (const piece of pieces) for (const link of piece.links) {
        if (have.has(link.href)) continue;
        have.add(link.href);
        const el = document.createElement('link');
        el.rel = 'stylesheet';
        el.href = link.href;
        if (link.media) el.media = link.media;
        loads.push(new Promise(resolve => { el.onload = el.onerror = resolve; }));
        document.head.appendChild(el);
    }
    const styles = new Set([...document.head.querySelectorAll('style')].map(s => s.textContent));
    for (const piece of pieces) for (const text of piece.styles) {
        if (styles.has(text)) continue;
        styles.add(text);
        const el = document.createElement('style');
        el.textContent = text;
        document.head.appendChild(el);
    }
    const article = document.querySelector('article.bd-article');
    article.innerHTML = pieces.map(p => `<section class="kap-book-page" id="kap-page-${p.slug}">${p.html}</section>`).join('\n');
    const slugs = new Map(pieces.map(p => [p.url, p.slug]));
    let inside = 0, toText = 0;
    article.querySelectorAll('a[href]').forEach(a => {
        if (a instanceof SVGElement) return;
        const url = new URL(a.getAttribute('href'));
        if (url.origin !== location.origin) return;
        const slug = slugs.get(url.origin + url.pathname);
        if (slug === undefined) { a.removeAttribute('href'); toText += 1; return; }
        const target = url.hash ? slug + '--' + decodeURIComponent(url.hash.slice(1)) : '';
        a.setAttribute('href', '#' + (target && document.getElementById(target) ? target : 'kap-page-' + slug));
        inside += 1;
    });
    await Promise.all(loads);
    if (document.fonts) await document.fonts.ready;
    return {pages: pieces.length, linksInside: inside, linksToText: toText};
}
