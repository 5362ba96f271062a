/**
 * Merging shards' reports, as data: counts and peaks per shard and overall, the same id in two shards kept apart,
 * limits that differ, the comparison with a base made as the shards come (and matched by id where the shards split
 * the suite differently), the shards missing, and what the comment and log say of them.
 */
import { describe, expect, it } from 'vitest';
import { parseBaseReport } from '../src/compare.js';
import { renderMarkdown } from '../src/format/markdown.js';
import { renderTerminal } from '../src/format/terminal.js';
import { ReportMerger } from '../src/merge.js';
import type { Report, ShardOrigin } from '../src/report.js';
import { missingShards, type RunJob } from '../src/shards.js';
import { report, result } from './helpers/reports.js';

const MB = 1_000_000;

function merge(shards: [string, Report][], base?: Report): Report {
  const merger = new ReportMerger({
    toolVersion: '1.1.0',
    base:
      base === undefined
        ? undefined
        : {
            report: parseBaseReport(JSON.stringify(base), 'the base') as Exclude<
              ReturnType<typeof parseBaseReport>,
              string
            >,
            source: { commit: 'b4ea1e5', runId: 9, file: null },
            threshold: { ratio: 0.2, bytes: 2 * MB },
          },
  });
  for (const [label, shard] of shards) merger.add(label, structuredClone(shard));
  return merger.finish([]).report;
}

describe('a merged report', () => {
  it('counts each shard’s tests, leaks and peak, and the whole', () => {
    const merged = merge([
      ['1', report([result('a.py::leaks', 30 * MB), result('a.py::ok', MB)], { peak: 300 * MB, exitCode: 1 })],
      ['2', report([result('b.py::ok', 0)], { peak: 500 * MB, command: 'pytest -k b', confirmRuns: 2 })],
    ]);
    expect(merged.shards).toEqual([
      expect.objectContaining({ label: '1', tests: 2, leaks: 1, peak: 300 * MB, exitCode: 1, command: 'pytest -n 2' }),
      expect.objectContaining({ label: '2', tests: 1, leaks: 0, peak: 500 * MB, exitCode: 0, command: 'pytest -k b' }),
    ]);
    expect(merged).toMatchObject({
      peak: 500 * MB,
      exitCode: 1,
      confirmRuns: 3,
      command: 'pytest -n 2\npytest -k b',
      coverage: { collected: 3, measured: 3, unmeasured: 0 },
      missingShards: [],
    });
    // Only what is shown is kept: the leak; the others are counted.
    expect(merged.tests.map((test) => [test.id, test.shard])).toEqual([['a.py::leaks', '1']]);
    expect(renderTerminal(merged).slice(0, 3)).toEqual([
      'leakwatch: 1 shard failed: 1 (exit 1); 1 of 3 tests in 2 shards leaked more than 10.0 MB, peak RSS 500.0 MB',
      "leakwatch: shard 1: 2 tests, 1 leaked, peak RSS 300.0 MB; 'pytest -n 2' exited with 1",
      "leakwatch: shard 2: 1 test, 0 leaked, peak RSS 500.0 MB; 'pytest -k b' exited with 0",
    ]);
  });

  it('keeps an id run in two shards as two tests, each named with its shard', () => {
    const merged = merge([
      ['ubuntu', report([result('t.py::leaks', 30 * MB)])],
      ['windows', report([result('t.py::leaks', 20 * MB)])],
    ]);
    expect(merged.tests.map((test) => [test.id, test.shard, test.delta])).toEqual([
      ['t.py::leaks', 'ubuntu', 30 * MB],
      ['t.py::leaks', 'windows', 20 * MB],
    ]);
    expect(renderTerminal(merged)).toContain(
      'LEAKED 30.0 MB in t.py::leaks [shard ubuntu]: keeps 30.0 MB per run (3 runs alone kept 30.0 MB, 30.0 MB, 30.0 MB)',
    );
  });

  it('warns when the shards judged by different limits, and gives the smallest', () => {
    const merged = merge([
      ['1', report([], { limit: 10 * MB })],
      ['2', report([], { limit: 5 * MB })],
      ['3', report([], { limit: 10 * MB })],
    ]);
    expect(merged.limit).toBe(5 * MB);
    expect(merged.warnings).toContain(
      "The shards used different limits: 10.0 MB (shard 1, 3), 5.0 MB (shard 2). Each test was judged by its own shard's limit; give every shard the same limit for one verdict.",
    );
  });

  it('keeps each shard’s warnings, unmeasured and dead tests, with their shard', () => {
    const died = {
      id: 'c.py::dies',
      file: 'c.py',
      line: 3,
      worker: 'main',
      pid: 7,
      before: MB,
      lastSeen: 2 * MB,
      lastSeenAt: 1,
    };
    const merged = merge([
      [
        '1',
        report([result('c.py::ok', 0)], {
          incomplete: [died],
          warnings: ['a process died'],
          coverage: { collected: 4, measured: 1, unmeasured: 2, reasons: ['it died'], unsupported: [] },
        }),
      ],
      [
        '2',
        report([result('d.py::ok', 0)], {
          coverage: { collected: null, measured: 1, unmeasured: 0, reasons: [], unsupported: [] },
        }),
      ],
    ]);
    expect(merged.incomplete).toEqual([{ ...died, shard: '1' }]);
    expect(merged.warnings).toEqual(['shard 1: a process died']);
    expect(merged.coverage).toEqual({
      collected: 5,
      measured: 2,
      unmeasured: 2,
      reasons: ['shard 1: it died'],
      unsupported: [],
    });
  });

  it('compares with the base’s merged report, by shard, and by id where the shards split the suite otherwise', () => {
    const base = merge([
      ['1', report([result('a.py::old', 30 * MB), result('a.py::grows', 3 * MB)])],
      ['2', report([result('b.py::gone', 30 * MB), result('b.py::both', 20 * MB)])],
      ['3', report([result('b.py::both', 0)])],
    ]);
    // The base's merged report, as its artifact holds it: every test, each with its shard.
    const baseWhole = {
      ...base,
      tests: [
        { ...result('a.py::old', 30 * MB), shard: '1' },
        { ...result('a.py::grows', 3 * MB), shard: '1' },
        { ...result('b.py::gone', 30 * MB), shard: '2' },
        { ...result('b.py::both', 20 * MB), shard: '2' },
        { ...result('b.py::both', 0), shard: '3' },
      ],
    };
    const merged = merge(
      [
        // a.py moved to shard 2: its tests are found by id, which the base ran once.
        ['2', report([result('a.py::old', 30 * MB), result('a.py::grows', 8 * MB), result('b.py::both', 0)])],
        ['3', report([result('b.py::both', 25 * MB), result('c.py::fresh', 40 * MB)])],
      ],
      baseWhole,
    );
    expect(merged.comparison).toMatchObject({
      new: ['b.py::both [shard 3]', 'c.py::fresh [shard 3]'],
      fixed: ['b.py::both [shard 2]'],
      regressed: ['a.py::grows [shard 2]'],
      added: ['c.py::fresh [shard 3]'],
      removed: ['b.py::gone [shard 2]'],
      baseKept: { 'b.py::both [shard 3]': 0, 'b.py::both [shard 2]': 20 * MB, 'a.py::grows [shard 2]': 3 * MB },
    });
    // A fixed test is shown though it is fine now: it is kept, and its row names its shard.
    expect(merged.tests.map((test) => `${test.id} ${test.shard ?? ''}`).sort()).toEqual([
      'a.py::grows 2',
      'a.py::old 2',
      'b.py::both 2',
      'b.py::both 3',
      'c.py::fresh 3',
    ]);
  });
});

describe('the shards missing', () => {
  const origin = (label: string, jobIndex: number, matrix: Record<string, unknown>): ShardOrigin => ({
    label,
    reportName: 'leakwatch',
    commit: 'abc',
    runId: 1,
    job: 'test',
    matrix,
    jobIndex,
    jobTotal: 4,
  });
  const reported = [
    { label: 'ubuntu-latest-3.9', origin: origin('ubuntu-latest-3.9', 0, { os: 'ubuntu-latest', python: '3.9' }) },
    { label: 'macos-latest-3.9', origin: origin('macos-latest-3.9', 2, { os: 'macos-latest', python: '3.9' }) },
  ];
  const jobs: RunJob[] = [
    { name: 'lint', status: 'completed', conclusion: 'success' },
    { name: 'test (ubuntu-latest, 3.9)', status: 'completed', conclusion: 'success' },
    { name: 'test (ubuntu-latest, 3.13)', status: 'completed', conclusion: 'cancelled' },
    { name: 'test (macos-latest, 3.9)', status: 'completed', conclusion: 'success' },
    { name: 'test (macos-latest, 3.13)', status: 'completed', conclusion: 'failure' },
  ];

  it('are named from the run’s jobs, with how each ended', () => {
    expect(missingShards(reported, [], undefined, jobs)).toEqual([
      {
        label: 'ubuntu-latest-3.13',
        why: 'its job test (ubuntu-latest, 3.13) was cancelled before leakwatch saved its report',
      },
      { label: 'macos-latest-3.13', why: 'its job test (macos-latest, 3.13) failed before leakwatch saved its report' },
    ]);
  });

  it('are counted from the matrix where the jobs do not tell, refused ones among them', () => {
    expect(missingShards(reported, [], undefined, undefined).map((shard) => shard.label)).toEqual([
      'unnamed 1',
      'unnamed 2',
    ]);
    const refused = [{ label: 'x', why: 'artifact leakwatch-x was refused: it is not JSON' }];
    expect(missingShards(reported, refused, undefined, []).map((shard) => shard.label)).toEqual(['x', 'unnamed 1']);
  });

  it('are those the input shards names or counts', () => {
    const plain = [
      { label: '1', origin: undefined },
      { label: '3', origin: undefined },
    ];
    expect(missingShards(plain, [], { count: 4 }, undefined)).toEqual([
      { label: '2', why: 'it left no report' },
      { label: '4', why: 'it left no report' },
    ]);
    expect(missingShards(plain, [], { labels: ['1', '3', 'e2e'] }, undefined)).toEqual([
      { label: 'e2e', why: 'it left no report' },
    ]);
    expect(missingShards(reported, [], { count: 2 }, undefined)).toEqual([]);
  });

  it('are named first in the comment, which is never all clear', () => {
    const merger = new ReportMerger({ toolVersion: '1.1.0' });
    merger.add('1', report([result('a.py::ok', 0)]));
    const merged = merger.finish([{ label: '2<b>@x', why: 'its job test (2) was cancelled' }]).report;
    const markdown = renderMarkdown(merged, { reportName: 'leakwatch', maxBytes: 65_000, more: 'in the report' });
    expect(markdown).toMatch(
      /^### ⚠️ leakwatch: 1 of 2 shards left no report: <code>2&#60;b&#62;&#64;x<\/code>; measured 1 test in 1 shard; none of them leaked more than 10\.0 MB/,
    );
    expect(markdown).toContain(
      '| <code>2&#60;b&#62;&#64;x</code> |  |  |  | no report: its job test (2) was cancelled |',
    );
    expect(renderTerminal(merged)[0]).toBe(
      'leakwatch: 1 of 2 shards left no report: 2<b>@x; measured 1 test in 1 shard; none of them leaked more than 10.0 MB, peak RSS 1.2 GB',
    );
  });
});

describe('the comment and summary of a large matrix', () => {
  it('stay within GitHub’s limits, the largest leaks first and the others counted', () => {
    const merger = new ReportMerger({ toolVersion: '1.1.0' });
    for (let shard = 1; shard <= 64; shard += 1) {
      const tests = Array.from({ length: 40 }, (_, index) => {
        const file = `tests/group_${shard}/test_${index % 9}.py`;
        return result(`${file}::test_case_${index}_${'p'.repeat(30)}`, (11 + index) * MB, { file });
      });
      merger.add(String(shard), report(tests));
    }
    const merged = merger.finish([{ label: '65', why: 'its job test (65) was cancelled' }]).report;
    for (const [maxBytes, name] of [
      [65_536 - 256, 'comment'],
      [1024 * 1024 - 1024, 'summary'],
    ] as const) {
      const markdown = renderMarkdown(merged, {
        reportName: 'leakwatch',
        maxBytes,
        charts: 'shown',
        more: 'in the report',
      });
      expect(Buffer.byteLength(markdown), name).toBeLessThanOrEqual(maxBytes);
      expect(markdown, name).toMatch(
        /^### 🔴 leakwatch: 1 of 65 shards left no report: <code>65<\/code>; 2560 of 2560 tests in 64 shards/,
      );
      // The comment holds the largest; the summary, 16 times larger, all 2,560.
      if (name === 'comment') expect(markdown).toMatch(/…and \d+ more leaks, in the report\./);
      else expect(markdown.match(/^\| [\d.]+ MB \| <code>tests\//gm)?.length).toBe(2560);
    }
  });
});
