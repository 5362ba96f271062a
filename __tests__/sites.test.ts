/**
 * Where a leak's memory was allocated, as a developer reads it: real pytest runs (plain and with pytest-xdist) through
 * the bundled action on __tests__/fixtures/pytest/sites, whose leaks are each allocated on a line marked
 * `# planted: ...`. The first site of each leak is that line; a native leak is native; a warm-up has no site.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestResult } from '../src/report.js';
import { FIXTURES, runAction, type ActionRun } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;
const PLANTED = 20 * MB;

/** The line of `file` (relative to the workspace) marked `# planted: <label>`. */
function planted(file: string, label: string): { file: string; line: number } {
  const lines = readFileSync(path.join(workspace, file), 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(`# planted: ${label}`)) + 1;
  expect(line, `${file} marks ${label}`).toBeGreaterThan(0);
  return { file, line };
}

const LEAKS = {
  'sites/test_sites.py::test_module_cache': { ...planted('sites/shop/cache.py', 'module cache'), fn: 'remember' },
  'sites/test_sites.py::test_class_attribute': {
    ...planted('sites/shop/session.py', 'class attribute'),
    fn: 'Session.open',
  },
  'sites/test_sites.py::test_lru_cache_keeps_instances': {
    ...planted('sites/shop/session.py', 'lru_cache instances'),
    fn: 'Catalog.__init__',
  },
  'sites/test_sites.py::test_garbage_kept_by_del': {
    ...planted('sites/shop/session.py', 'gc.garbage'),
    fn: 'Resurrected.__init__',
  },
};
const NATIVE = 'sites/test_sites.py::test_native_malloc';
const WARM_UP = 'sites/test_sites.py::test_warm_up';
const SLOW_WHEN_TRACED = 'sites/test_sites.py::test_slow_when_traced';

describe.each([
  { name: 'pytest', command: 'pytest -p no:cacheprovider sites' },
  { name: 'pytest -n 2', command: 'pytest -p no:cacheprovider -n 2 sites' },
])('$name, with runs alone traced', ({ command }) => {
  let run: ActionRun;
  let tests: Map<string, TestResult>;

  beforeAll(async () => {
    run = await runAction({ inputs: { command, limit: '10MB', confirm: '3', baseline: 'off' }, workspace });
    tests = new Map((run.report?.tests ?? []).map((test) => [test.id, test]));
  });

  it('names the planted line as each leak’s first site, with about what it planted, and the calls to it', () => {
    for (const [id, where] of Object.entries(LEAKS)) {
      const test = tests.get(id);
      expect(test?.verdict, id).toBe('leak');
      const [first] = test?.sites ?? [];
      expect(first, id).toMatchObject({ file: where.file, line: where.line, function: where.fn });
      expect(Math.abs((first?.size ?? 0) - PLANTED), id).toBeLessThan(PLANTED / 10);
      // The stack goes from the site out to the test that called it.
      expect(first?.stack[0], id).toMatchObject({ file: where.file, line: where.line });
      expect(
        first?.stack.map((frame) => frame.file),
        id,
      ).toContain('sites/test_sites.py');
      expect(test?.unattributed?.kind, id).toBe('native');
      expect(test?.unattributed?.bytes ?? PLANTED, id).toBeLessThan(PLANTED / 10);
    }
  });

  it('reports memory outside Python’s allocator as native, not at a line', () => {
    const test = tests.get(NATIVE);
    expect(test?.verdict).toBe('leak');
    expect(test?.sites.reduce((sum, site) => sum + site.size, 0)).toBeLessThan(PLANTED / 10);
    expect(test?.unattributed?.kind).toBe('native');
    expect(test?.unattributed?.bytes).toBeGreaterThan(0.9 * (test?.confirmation?.perRun ?? 0));
  });

  it('lets a traced run that tracing makes far slower go on untraced: that leak has no site, the others do', () => {
    expect(tests.get(SLOW_WHEN_TRACED)).toMatchObject({ verdict: 'leak', sites: [], unattributed: null });
    expect(run.report?.warnings).toContainEqual(
      expect.stringMatching(
        /^tracing the allocations of sites\/test_sites\.py::test_slow_when_traced stopped: its traced run took over 5 times as long as its runs alone \(0\.\d\d s\), so it has no sites$/,
      ),
    );
  });

  it('gives a warm-up no site', () => {
    expect(tests.get(WARM_UP)).toMatchObject({ verdict: 'warm-up', sites: [], unattributed: null });
  });

  it('prints each site under its LEAKED line, and the native part', () => {
    const cache = LEAKS['sites/test_sites.py::test_module_cache'];
    expect(run.stdout).toMatch(
      new RegExp(
        `^LEAKED 20\\.\\d MB in sites/test_sites\\.py::test_module_cache: .*\\n  allocated at sites/shop/cache\\.py:${cache.line} in remember \\(20\\.\\d MB, 1 block\\)\\n    from sites/test_sites\\.py:\\d+ in test_module_cache$`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(
      /^LEAKED 20\.\d MB in sites\/test_sites\.py::test_native_malloc: .*\n {2}20\.\d MB kept outside Python's allocator: a C extension or native library$/m,
    );
  });

  it('annotates the allocation line itself, besides the test', () => {
    const annotations = run.commands.filter((command) => command.command === 'error');
    for (const [id, where] of Object.entries(LEAKS)) {
      const onSite = annotations.filter(
        (annotation) => annotation.properties.file === where.file && annotation.properties.line === String(where.line),
      );
      expect(
        onSite.map((annotation) => annotation.message),
        id,
      ).toContainEqual(expect.stringContaining(`${id} keeps 20.`));
    }
  });

  it('shows the site in the summary beside the test, linked to its line at the commit', () => {
    const cache = LEAKS['sites/test_sites.py::test_module_cache'];
    const link = `https://github.com/octo-org/octo-repo/blob/ffac537e6cbbf934b08745a378932722df287a53/sites/shop/cache.py#L${cache.line}`;
    expect(run.summary).toContain(
      `allocated at <a href="${link}"><code>sites/shop/cache.py:${cache.line}</code></a> in remember (20.`,
    );
  });
});

describe('with trace: off', () => {
  it('traces nothing: no site, nothing unattributed, the same verdicts', async () => {
    const run = await runAction({
      inputs: {
        command: 'pytest -p no:cacheprovider sites',
        limit: '10MB',
        confirm: '3',
        baseline: 'off',
        trace: 'off',
      },
      workspace,
    });
    const tests = run.report?.tests ?? [];
    expect(
      tests
        .filter((test) => test.verdict === 'leak')
        .map((test) => test.id)
        .sort(),
    ).toEqual([...Object.keys(LEAKS), NATIVE, SLOW_WHEN_TRACED].sort());
    expect(tests.every((test) => test.sites.length === 0 && test.unattributed === null)).toBe(true);
    expect(run.stdout).not.toContain('allocated at');
  });
});
