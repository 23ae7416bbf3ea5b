// Run by book/paper/pdf.py with page.evaluate(); see EXTRACT there.
(slug) => {
    const article = document.querySelector('article.bd-article');
    const clone = article.cloneNode(true);
    clone.querySelectorAll('script').forEach(s => s.remove());
    const renamed = new Map();
    clone.querySelectorAll('[id]').forEach(el => {
        const id = slug + '--' + el.id;
        renamed.set(el.id, id);
        el.id = id;
    });
    const refs = /url\(\s*(['"]?)#([^'")]+)\1\s*\)/g;
    const tokens = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'headers'];
    clone.querySelectorAll('*').forEach(el => {
        for (const attr of [...el.attributes]) {
            if (tokens.includes(attr.name)) {
                el.setAttribute(attr.name, attr.value.split(/\s+/).map(t => renamed.get(t) || t).join(' '));
            } else if (attr.value.includes('#') && attr.value.includes('url(')) {
                const point = (m, q, id) => renamed.has(id) ? `url(${q}#${renamed.get(id)}${q})` : m;
                el.setAttribute(attr.name, attr.value.replace(refs, point));
            } else if (el instanceof SVGElement && /(^|:)href$/.test(attr.name) && attr.value.startsWith('#')) {
                const id = attr.value.slice(1);
                if (renamed.has(id)) el.setAttributeNS(attr.namespaceURI, attr.name, '#' + renamed.get(id));
            }
        }
    });
    clone.querySelectorAll('a[href]').forEach(a => {
        if (!(a instanceof SVGElement)) a.setAttribute('href', new URL(a.getAttribute('href'), location.href).href);
    });
    clone.querySelectorAll('img[src], source[src]').forEach(el => {
        el.setAttribute('src', new URL(el.getAttribute('src'), location.href).href);
    });
    const selector = (m, id) => renamed.has(id) ? '#' + CSS.escape(renamed.get(id)) : m;
    clone.querySelectorAll('style').forEach(style => {
        style.textContent = style.textContent.replace(/#([A-Za-z][\w-]*)/g, selector);
    });
    return {
        slug,
        url: location.origin + location.pathname,
        html: clone.innerHTML,
        links: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => ({href: l.href, media: l.media || ''})),
        styles: [...document.head.querySelectorAll('style')].map(s => s.textContent),
    };
}
