/**
 * The README as a page of the article's site (`/demo/readme.html`, served by vite.config.ts in dev
 * and emitted by the demo build), so the article's "README, …" links work where the article is
 * deployed: `../README.md` is not part of a deployed site. Headings and the README's bold lead-ins
 * ("**Use in React.**") get GitHub-style ids, so the article links to the paragraph it means.
 * Links to repository files and images have nothing to point at on a deployed site: files become
 * their path as code, images are left out (the page they show is the article).
 */
import { Marked } from 'marked';

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z]+;|&#\d+;/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

const external = (href: string) => /^(https?:|mailto:|#)/.test(href);

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --code: #f3f4f6; --link: #0550ae; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --bg: #14161a; --muted: #a3abb5; --code: #23262d; --link: #79b8ff; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.6 system-ui, sans-serif; }
main { max-width: 75ch; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
a { color: var(--link); }
code, pre { font: 0.9em/1.5 ui-monospace, Menlo, Consolas, monospace; background: var(--code); border-radius: 4px; }
code { padding: 0.1em 0.3em; }
pre { padding: 0.8em 1em; overflow-x: auto; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; display: block; overflow-x: auto; font-size: 0.92em; }
th, td { border: 1px solid color-mix(in srgb, var(--fg) 20%, transparent); padding: 0.3em 0.6em; text-align: left; }
nav.back { font-size: 0.95em; color: var(--muted); }
:target { scroll-margin-top: 1rem; }
`;

/** The README rendered as a standalone HTML page (its own small stylesheet, light and dark). */
export function readmePage(markdown: string): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(text, level) {
        return `<h${level} id="${slug(text)}">${text}</h${level}>\n`;
      },
      paragraph(text) {
        const lead = /^<strong>([^<]+?)[.:]?<\/strong>/.exec(text);
        return lead ? `<p id="${slug(lead[1])}">${text}</p>\n` : `<p>${text}</p>\n`;
      },
      link(href, title, text) {
        if (!href || external(href))
          return `<a href="${href ?? ''}"${title ? ` title="${title}"` : ''}>${text}</a>`;
        if (text === href) return `<code>${href}</code>`;
        return text.includes('<code>') ? text : `${text} (<code>${href}</code>)`;
      },
      image(href) {
        return href && external(href) ? `<img src="${href}" alt="">` : '';
      },
    },
  });
  const body = marked.parse(markdown, { async: false }) as string;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quant-widgets — README</title>
<style>${CSS}</style>
</head>
<body>
<main>
<nav class="back"><a href="./">← The article</a></nav>
${body}</main>
</body>
</html>
`;
}
