/**
 * The comment and the job summary as a reviewer sees them: the Markdown of real runs through the bundled CLI,
 * rendered as GitHub renders it (scripts/github-page.mjs: GitHub Flavored Markdown, GitHub's stylesheet, Mermaid
 * drawing the charts), in headless Chromium at a phone's 400 px and a desktop's 1,000 px. The pictures, the Markdown
 * and the reports are kept in .artifacts/browser/.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, drawMermaid, githubPage } from '../scripts/github-page.mjs';
import { compareReports } from '../src/compare.js';
import { COMMENT_MAX_BYTES, SUMMARY_MAX_BYTES, renderMarkdown } from '../src/format/markdown.js';
import type { Report, TestResult } from '../src/report.js';
import { FIXTURES, ROOT, runCli } from './helpers/run.js';

const MB = 1_000_000;
const ARTIFACTS = path.join(ROOT, '.artifacts', 'browser');
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const linkTo = (file: string, line: number | null) =>
  `https://github.com/octo-org/octo-repo/blob/${SHA}/${file}${line === null ? '' : `#L${line}`}`;

type Kind = 'comment' | 'summary';

function markdownOf(report: Report, kind: Kind): string {
  return renderMarkdown(report, {
    reportName: 'leakwatch',
    maxBytes: kind === 'comment' ? COMMENT_MAX_BYTES : SUMMARY_MAX_BYTES,
    linkTo,
    charts: kind === 'comment' ? 'folded' : 'shown',
    more: "in the workflow run's job summary and JSON report",
  });
}

/** A real run of the CLI on a fixture suite: its JSON report. */
async function reportOf(directory: string, command: string): Promise<Report> {
  const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-browser-')), 'report.json');
  await runCli(['--limit', '10MB', '--no-fail', '--json', json, '--', command], path.join(FIXTURES, directory));
  return JSON.parse(readFileSync(json, 'utf8')) as Report;
}

/**
 * The pytest fixture's run against a base made from it in which three of its leaks did not leak, and the largest kept
 * half as much: 3 new leaks and a regression.
 */
function againstBase(report: Report): Report {
  const leaks = report.tests.filter((test) => test.verdict === 'leak' && !test.id.includes('['));
  const notLeaking = new Set(leaks.slice(1, 4).map((test) => test.id));
  const [largest] = leaks;
  const base = {
    peak: report.peak,
    tests: report.tests.map((test): TestResult => {
      if (notLeaking.has(test.id)) return { ...test, leaked: false, delta: 0, confirmation: null };
      if (test.id === largest?.id) return { ...test, confirmation: null, delta: test.delta / 2 };
      return test;
    }),
  };
  const source = { commit: 'b4ea1e5c0ffee0b4ea1e5c0ffee0b4ea1e5c0ff1', runId: 902, file: null };
  return { ...report, comparison: compareReports(report, base, source, { ratio: 0.2, bytes: 5 * MB }) };
}

/** 100,000 tests: a real run of 10,000 (three of them leaking), its clean results repeated to make up the rest. */
function hundredThousand(report: Report): Report {
  const clean = report.tests.filter((test) => test.verdict === 'ok');
  const more = Array.from({ length: 100_000 - report.tests.length }, (_, index) => {
    const like = clean[index % clean.length] as TestResult;
    return { ...like, id: `${like.id} (copy ${index})`, order: report.tests.length + index };
  });
  return { ...report, tests: [...report.tests, ...more] };
}

interface Shown {
  /** Each table's header, and its width beyond what the page shows, in px (0 or less when it fits). */
  overflow: [string, number][];
  height: number;
  /** The headline's text, and where it ends, in px from the top. */
  headline: string;
  headlineBottom: number;
  /** The rows a reviewer sees, of every table (folded ones are not seen). */
  rows: string[];
  diagrams: { svg: boolean; error: boolean }[];
}

let browser: Browser | undefined;

async function show(browser: Browser, markdown: string, width: number, picture: string): Promise<Shown> {
  // A short window: the page's height is then its content's.
  const page: Page = await browser.newPage({ viewport: { width, height: 100 }, deviceScaleFactor: 1 });
  try {
    await page.route('**/*', (route) => route.abort());
    await page.setContent(await githubPage(markdown), { waitUntil: 'load' });
    await drawMermaid(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `${picture}-${width}.png`), fullPage: true });
    return await page.evaluate(() => {
      const { document } = globalThis as unknown as {
        document: {
          querySelector(selector: string): { textContent: string; getBoundingClientRect(): { bottom: number } } | null;
          querySelectorAll(selector: string): Iterable<{
            scrollWidth: number;
            clientWidth: number;
            textContent: string;
            querySelector(selector: string): unknown;
            getBoundingClientRect(): { height: number };
          }>;
          documentElement: { scrollHeight: number };
        };
      };
      const headline = document.querySelector('.markdown-body h3');
      return {
        overflow: [...document.querySelectorAll('.markdown-body table')].map((table): [string, number] => [
          (table.querySelector('thead') as { textContent: string } | null)?.textContent.trim() ?? '',
          table.scrollWidth - table.clientWidth,
        ]),
        height: document.documentElement.scrollHeight,
        headline: headline?.textContent ?? '',
        headlineBottom: headline?.getBoundingClientRect().bottom ?? Infinity,
        rows: [...document.querySelectorAll('.markdown-body tbody tr')]
          .filter((row) => row.getBoundingClientRect().height > 0)
          .map((row) => row.textContent),
        diagrams: [...document.querySelectorAll('.mermaid-diagram')].map((diagram) => ({
          svg: diagram.querySelector('svg') !== null,
          error: diagram.querySelector('.error-icon, .error-text') !== null,
        })),
      };
    });
  } finally {
    await page.close();
  }
}

const runs: Record<string, Report> = {};
const shown = new Map<string, Shown>();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [leaks, phone, many] = await Promise.all([
    reportOf('pytest', 'pytest -p no:cacheprovider leaks'),
    reportOf('pytest', 'pytest -p no:cacheprovider phone'),
    reportOf('node/many-tests', 'node --test many.test.js'),
  ]);
  runs['new leaks'] = againstBase(leaks);
  runs['cases and a crash'] = phone;
  runs['100,000 tests'] = hundredThousand(many);
  const launched = await chromium.launch({ executablePath: inject('chromium'), args: CHROMIUM_ARGS });
  browser = launched;
  for (const [name, report] of Object.entries(runs)) {
    const file = name.replace(/\W+/g, '-');
    writeFileSync(path.join(ARTIFACTS, `${file}.json`), JSON.stringify(report));
    for (const kind of ['comment', 'summary'] as const) {
      const markdown = markdownOf(report, kind);
      writeFileSync(path.join(ARTIFACTS, `${file}-${kind}.md`), markdown);
      for (const width of [400, 1000])
        shown.set(`${name} ${kind} ${width}`, await show(launched, markdown, width, `${file}-${kind}`));
    }
  }
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(['new leaks', 'cases and a crash', '100,000 tests'])('%s', (name) => {
  it.each(['comment', 'summary'] as const)('%s: no table is wider than a phone or a desktop', (kind) => {
    for (const width of [400, 1000]) {
      const page = shown.get(`${name} ${kind} ${width}`);
      expect(page?.overflow.length, `${kind} at ${width} px`).toBeGreaterThan(0);
      for (const [table, overflow] of page?.overflow ?? []) {
        expect(overflow, `${kind} at ${width} px: ${table}`).toBeLessThanOrEqual(0);
      }
    }
  });

  it.each(['comment', 'summary'] as const)('%s: each chart is drawn, with no error', (kind) => {
    for (const width of [400, 1000]) {
      const diagrams = shown.get(`${name} ${kind} ${width}`)?.diagrams ?? [];
      // The summary shows the charts; the comment folds them under its tables.
      expect(diagrams.length).toBe(2);
      for (const diagram of diagrams) expect(diagram).toEqual({ svg: true, error: false });
    }
  });
});

describe('on a phone, 400 px wide', () => {
  it('shows the headline, with the new leaks and any crash, in the first 600 px', () => {
    const leaks = shown.get('new leaks comment 400');
    expect(leaks?.headline).toMatch(/^🔴 leakwatch: 3 new leaks since the base; /);
    expect(leaks?.headlineBottom).toBeLessThanOrEqual(600);
    const crash = shown.get('cases and a crash comment 400');
    expect(crash?.headline).toMatch(
      /^🔴 leakwatch: 1 test's process died: phone\/test_phone\.py::test_killed_mid_upload \(last seen [\d.]+ MB\); 26 of 26 tests leaked/,
    );
    expect(crash?.headlineBottom).toBeLessThanOrEqual(600);
  });

  it('gives the 26 leaking cases of one test one visible row', () => {
    const rows = shown.get('cases and a crash comment 400')?.rows ?? [];
    const cases = rows.filter((row) => row.includes('test_upload_chunks'));
    expect(cases).toHaveLength(1);
    expect(cases[0]?.trim()).toMatch(/^15\.0 MB each\s*phone\/test_phone\.py::test_upload_chunks\[…\] — 26 cases/);
  });
});

describe('on a desktop, 1,000 px wide', () => {
  it('makes the comment of 3 new leaks and a regression less than half as tall as it was', () => {
    // leakwatch 1.0.0's comment (a table of each change, every leak again below, a column each for place and
    // details) for this same report was 2,743 px tall here.
    expect(shown.get('new leaks comment 1000')?.height).toBeLessThanOrEqual(2743 / 2);
  });

  it('keeps the page of 100,000 tests under 3,000 px', () => {
    expect(shown.get('100,000 tests comment 1000')?.height).toBeLessThan(3000);
    expect(shown.get('100,000 tests summary 1000')?.height).toBeLessThan(3000);
  });
});
