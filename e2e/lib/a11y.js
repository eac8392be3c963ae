'use strict';
// Runs axe-core on a page in the light and the dark colour scheme and keeps what it finds.
// Mend's Content-Security-Policy forbids inline scripts, so axe is evaluated through the
// DevTools protocol (page.evaluate), which the page's CSP does not govern; the page itself is
// tested exactly as it is served.

const axe = require('axe-core');

const BLOCKING = new Set(['serious', 'critical']);

class A11y {
  constructor() {
    this.checked = [];
    this.blocking = [];
    this.notes = [];
    this.review = [];
  }

  /** Checks the page as it is now, in light then dark, and leaves it in light. */
  async check(page, label) {
    const url = new URL(page.url());
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      // Let the new scheme's styles apply before measuring colours.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
      if (!hasAxe) await page.evaluate(axe.source);
      const results = await page.evaluate(() =>
        window.axe.run(document, {
          // WCAG 2.2 AA asks for 24 px targets; make sure axe checks it whatever its default.
          rules: { 'target-size': { enabled: true } },
        }));
      this.checked.push(`${label} (${scheme})`);
      for (const v of results.incomplete) {
        this.review.push(`${label} (${scheme}) ${url.pathname}: ${v.id} on ${v.nodes.length} element(s): ${v.help}`);
      }
      for (const v of results.violations) {
        const entry = {
          page: label,
          path: url.pathname,
          scheme,
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({
            target: n.target.join(' '),
            html: n.html,
            summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
          })),
        };
        (BLOCKING.has(v.impact) ? this.blocking : this.notes).push(entry);
        if (BLOCKING.has(v.impact)) {
          console.log(`a11y ${v.impact.toUpperCase()} on ${label} [${scheme}] ${url.pathname}: ${format(entry)}`);
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  /** A readable account of everything found, blocking first. */
  report() {
    const lines = [`axe-core ${axe.version} checked ${this.checked.length} page states`];
    for (const e of this.blocking) lines.push(`BLOCKING ${format(e)}`);
    for (const e of this.notes) lines.push(`note ${format(e)}`);
    for (const r of this.review) lines.push(`needs review (axe could not decide): ${r}`);
    return lines.join('\n');
  }
}

function format(e) {
  const nodes = e.nodes.map((n) => `\n    - ${n.target}: ${n.html}\n      ${n.summary}`).join('');
  return `${e.impact} ${e.id} on "${e.page}" (${e.path}, ${e.scheme}): ${e.help} <${e.helpUrl}>${nodes}`;
}

module.exports = { A11y };
