// A comment's or job summary's Markdown as GitHub shows it, in a page of its own: marked with GitHub Flavored Markdown
// (single line breaks kept, as in comments), GitHub's stylesheet (github-markdown-css, light), only the HTML GitHub
// keeps allowed through, and ```mermaid blocks drawn by Mermaid itself, as GitHub draws them. Used by
// scripts/screenshot.mjs and the browser test (__tests__/browser.test.ts); the page fetches nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Debian's Chromium, or CHROMIUM=/path/to/chromium. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Chromium's flags: headless in a container, nothing fetched from anywhere. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

/**
 * The HTML GitHub keeps in a comment, of what Markdown makes and leakwatch writes (GitHub's sanitizer keeps more);
 * anything else stops the script rather than be shown as GitHub would not show it.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const ALLOWED_HTML = {
  a: ['href'],
  blockquote: [],
  br: [],
  code: [],
  del: [],
  details: [],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  hr: [],
  li: [],
  ol: [],
  p: [],
  pre: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['align'],
  th: ['align'],
  thead: [],
  tr: [],
  ul: [],
  wbr: [],
};

/**
 * The page: the Markdown's HTML in GitHub's look, `width` px wide (or as wide as the window, with none), in a
 * comment's frame when `framed`. Mermaid blocks are left for `drawMermaid` to draw in the page.
 * @param {string} markdown
 * @param {{ width?: number, framed?: boolean }} [options]
 * @returns {Promise<string>} the page's HTML
 */
export async function githubPage(markdown, { width, framed = false } = {}) {
  const { Marked } = await import('marked');
  // GitHub drops HTML comments such as leakwatch's marker. (`async: false`, marked's default, for parse to give the
  // HTML itself rather than maybe a promise of it.)
  const html = new Marked({ gfm: true, breaks: true }).parse(markdown.replace(/<!--[\s\S]*?-->\n?/g, ''), {
    async: false,
  });
  // GitHub draws a mermaid block as a diagram; the rest must be HTML it keeps.
  const diagrams = html.replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, source) => `<div class="mermaid-diagram">${source}</div>`,
  );
  checkHtml(diagrams.replace(/<div class="mermaid-diagram">[\s\S]*?<\/div>/g, ''));
  const css = await readFile(path.join(root, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8');
  const frameWidth = width === undefined ? 'auto' : `${width + 32}px`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
${css}
html, body { margin: 0; background: #ffffff; }
body { padding: ${framed ? 16 : 0}px; }
.comment {
  width: ${frameWidth};
  ${framed ? 'border: 1px solid #d1d9e0;\n  border-radius: 6px;' : ''}
  background: #ffffff;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji";
  overflow: hidden;
}
.comment-header {
  display: ${framed ? 'flex' : 'none'};
  align-items: center;
  gap: 4px;
  padding: 8px 16px;
  min-height: 24px;
  background: #f6f8fa;
  border-bottom: 1px solid #d1d9e0;
  color: #59636e;
  font-size: 14px;
  line-height: 1.5;
}
.comment-header .author { color: #1f2328; font-weight: 600; }
.comment-header .label {
  border: 1px solid #d1d9e0;
  border-radius: 2em;
  padding: 0 7px;
  font-size: 12px;
  font-weight: 500;
  line-height: 18px;
}
.comment-body.markdown-body { padding: 16px; font-size: 14px; }
</style>
</head>
<body>
<div class="comment">
<div class="comment-header"><span class="author">github-actions</span> <span class="label">bot</span> commented</div>
<div class="comment-body markdown-body">
${diagrams}
</div>
</div>
</body>
</html>
`;
}

/**
 * Draws the page's mermaid blocks with Mermaid itself (node_modules/mermaid), as GitHub does; call after the page
 * loaded. Each block's source is its text; a block Mermaid cannot draw shows Mermaid's error.
 * @param {{ addScriptTag(options: { content: string }): Promise<unknown>, evaluate<T>(run: () => T | Promise<T>): Promise<T> }} tab
 *   a playwright-core page
 */
export async function drawMermaid(tab) {
  const script = await readFile(path.join(root, 'node_modules/mermaid/dist/mermaid.min.js'), 'utf8');
  await tab.addScriptTag({ content: script });
  await tab.evaluate(async () => {
    const page = /** @type {any} */ (globalThis);
    page.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    await page.mermaid.run({ querySelector: '.mermaid-diagram', suppressErrors: true });
  });
}

/**
 * Stops at any tag or attribute GitHub's sanitizer would drop, so that the page shows nothing GitHub would not.
 * @param {string} html
 */
export function checkHtml(html) {
  for (const [, name = '', attributes = ''] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const allowed = Object.hasOwn(ALLOWED_HTML, name.toLowerCase()) ? ALLOWED_HTML[name.toLowerCase()] : undefined;
    if (allowed === undefined) throw new Error(`The Markdown has <${name}>, which GitHub does not keep.`);
    for (const [, attribute = ''] of attributes.matchAll(/([\w-]+)\s*=/g)) {
      if (!allowed.includes(attribute.toLowerCase())) {
        throw new Error(`The Markdown has <${name} ${attribute}=...>, which GitHub does not keep.`);
      }
    }
  }
}

/**
 * Chromium for the browser test: CHROMIUM, or Debian's, installed with apt-get when it is missing (as root, as on CI;
 * its fonts too, for emoji). Throws, saying what to install, where it cannot.
 * @returns {string} its path
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const packages = ['chromium', 'fonts-noto-color-emoji'];
  console.log(`Installing ${packages.join(' and ')} from Debian's packages ...`);
  const install = () =>
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    install();
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install ${packages.join(' ')}`);
  return CHROMIUM;
}
