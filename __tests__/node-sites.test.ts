/**
 * Where a Node leak's memory was allocated, as a developer reads it: real node:test, Mocha, Jest (Babel and ts-jest)
 * and Vitest runs through the bundled action on __tests__/fixtures/node/sites, whose leaks are each allocated on a
 * line marked `// planted: ...` in its shop/ helpers. The first site of each leak is that line, with about what it
 * planted; a warm-up has no site.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestResult } from '../src/report.js';
import { FIXTURES, runAction, type ActionRun } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'node');
const MB = 1_000_000;

/** The line of shop/`file` marked `// planted: <label>`, as the report names it (relative to the workspace). */
function planted(file: string, label: string): { file: string; line: number } {
  const lines = readFileSync(path.join(workspace, 'sites', 'shop', file), 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(`// planted: ${label}`)) + 1;
  expect(line, `${file} marks ${label}`).toBeGreaterThan(0);
  return { file: `sites/shop/${file}`, line };
}

interface Planted {
  file: string;
  line: number;
  fn: string;
  size: number;
}

/** By test title: where its leak is planted, the function there, and what it keeps per run. */
const LEAKS: Record<string, Planted> = {
  // V8's heap profiler tells the function that allocated what is kept: the planted line is where that function starts.
  'keeps entries in a helper Map': { ...planted('cache.js', 'module Map'), fn: 'remember', size: 20 * MB },
  'adds a listener and never removes it': {
    ...planted('events.js', 'listener closure'),
    fn: 'subscribe',
    size: 20 * MB,
  },
  // 20,000 Buffers of 1,000 bytes fill 2,500 of the pool's 8 KiB slabs: 20.5 MB outside the heap.
  'keeps small Buffers from the pool': { ...planted('pool.js', 'Buffer pool'), fn: 'keepChunks', size: 20.48 * MB },
};
const TYPESCRIPT: Record<string, Planted> = {
  'keeps pages of a TypeScript helper': {
    ...planted('catalog.ts', 'TypeScript source'),
    fn: 'loadPage',
    size: 20 * MB,
  },
};
const WARM_UP = 'fills a table once';

describe.each<{ name: string; command: string; files: Record<string, Record<string, Planted>>; external?: string }>([
  {
    name: 'node:test',
    command: 'node --test node-test/sites.test.js',
    files: { 'node-test/sites.test.js': LEAKS },
    external: 'node-test/sites.test.js > keeps ArrayBuffers',
  },
  { name: 'Mocha', command: 'npx mocha mocha/sites.test.js', files: { 'mocha/sites.test.js': LEAKS } },
  {
    name: 'Jest, with Babel and ts-jest',
    command: 'npx jest --config jest/jest.config.js --no-cache',
    files: { 'jest/sites.test.js': LEAKS, 'jest/typescript.test.ts': TYPESCRIPT },
  },
  { name: 'Vitest', command: 'npx vitest run', files: { 'vitest/sites.test.ts': { ...LEAKS, ...TYPESCRIPT } } },
])('$name, with confirmed leaks traced', ({ command, files, external }) => {
  let run: ActionRun;
  let tests: Map<string, TestResult>;
  const leaks = Object.entries(files).flatMap(([file, planted]) =>
    // `file`: where the leak is planted, in shop/.
    Object.entries(planted).map(([title, where]) => ({ id: `${file} > ${title}`, ...where })),
  );

  beforeAll(async () => {
    run = await runAction({
      inputs: { command, 'working-directory': 'sites', limit: '10MB', confirm: '3', baseline: 'off' },
      workspace,
    });
    tests = new Map((run.report?.tests ?? []).map((test) => [test.id, test]));
  });

  it('names the planted line as each leak’s first site, with about what it planted, and the test that called it', () => {
    for (const { id, file, line, fn, size } of leaks) {
      const test = tests.get(id);
      expect(test?.verdict, id).toBe('leak');
      const [first] = test?.sites ?? [];
      expect(first, id).toMatchObject({ file, line, function: fn });
      expect(Math.abs((first?.size ?? 0) - size), id).toBeLessThan(size / 10);
      expect(
        first?.stack.map((frame) => frame.file),
        id,
      ).toContain(`sites/${id.split(' > ')[0] ?? ''}`);
    }
  });

  it('gives a warm-up no site', () => {
    const [file] = Object.keys(files);
    expect(tests.get(`${file ?? ''} > ${WARM_UP}`)).toMatchObject({
      verdict: 'warm-up',
      sites: [],
      unattributed: null,
    });
  });

  it.runIf(external !== undefined)('reports memory outside the heap that no Buffer stack explains as external', () => {
    const test = tests.get(external ?? '');
    expect(test?.verdict).toBe('leak');
    expect(test?.unattributed?.kind).toBe('external');
    expect(test?.unattributed?.bytes).toBeGreaterThan(0.9 * (test?.confirmation?.perRun ?? Infinity));
    expect(run.stdout).toMatch(
      /^LEAKED (19|20)\.\d MB in node-test\/sites\.test\.js > keeps ArrayBuffers: .*\n {2}(19|20)\.\d MB kept outside the JavaScript heap: Buffers, ArrayBuffers or a native addon$/m,
    );
  });

  it('prints each site under its LEAKED line, and annotates the allocation line itself', () => {
    const annotations = run.commands.filter((command) => command.command === 'error');
    for (const { id, file, line, fn } of leaks) {
      expect(run.stdout, id).toMatch(
        new RegExp(`^LEAKED .* in ${escape(id)}: .*\\n {2}allocated at ${escape(file)}:${line} in ${fn} \\(`, 'm'),
      );
      const onSite = annotations.filter(
        (annotation) => annotation.properties.file === file && annotation.properties.line === String(line),
      );
      expect(
        onSite.map((annotation) => annotation.message),
        id,
      ).toContainEqual(expect.stringContaining(`${id} keeps `));
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
