/** From the records the plugin writes to the verdicts: parsing is forgiving, judging is strict. */
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisInput } from '../src/analyze.js';
import { parseRecords } from '../src/records.js';

const MB = 1_000_000;
const header = {
  type: 'process',
  format: 1,
  runner: 'pytest',
  runnerVersion: '9.1.1',
  python: '3.12.1',
  platform: 'linux',
  pid: 4242,
  worker: 'gw1',
  rootdir: '/work/repo',
  trims: true,
  tracksPeak: true,
};

function test(id: string, delta: number, extra: object = {}): object {
  return {
    type: 'test',
    id,
    file: id.split('::')[0],
    line: 7,
    before: 100 * MB,
    after: 100 * MB + delta,
    delta,
    peak: 300 * MB,
    allocatedBlocks: 10,
    duration: 0.01,
    outcome: 'passed',
    ...extra,
  };
}

function lines(...records: object[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n';
}

function judge(text: string, input: Partial<AnalysisInput> = {}) {
  return analyze({
    runs: parseRecords(text),
    command: 'pytest',
    runner: 'auto',
    limit: 10 * MB,
    confirmRuns: 3,
    ignore: [],
    exitCode: 0,
    tree: { peak: 500 * MB, lastSeen: new Map([[4242, 180 * MB]]) },
    baseDirectory: '/work',
    workingDirectory: '/work/repo',
    toolVersion: '0.1.0',
    ...input,
  });
}

describe('reading records', () => {
  it('skips a last line cut short by a crash and keeps everything before it', () => {
    const text = lines(header, test('t.py::a', 1)) + '{"type":"test","id":"t.py::b","fi';
    const [run] = parseRecords(text);
    expect(run?.tests.map((record) => record.id)).toEqual(['t.py::a']);
  });

  it('reads a reused pid as two processes', () => {
    const text = lines(header, test('t.py::a', 1), { type: 'end' }, header, test('t.py::b', 1));
    expect(parseRecords(text).map((run) => [run.tests.length, run.ended])).toEqual([
      [1, true],
      [1, false],
    ]);
  });
});

describe('judging', () => {
  it('reports a test over the limit as a leak until it is confirmed', () => {
    const report = judge(lines(header, test('t.py::leak', 30 * MB)));
    expect(report.tests[0]).toMatchObject({
      id: 't.py::leak',
      titles: null,
      file: 'repo/t.py',
      line: 7,
      worker: 'gw1',
      verdict: 'leak',
      leaked: true,
      confirmation: null,
    });
    expect(report.confirmRuns).toBe(3);
  });

  it('does not report a test at or under the limit, nor an ignored one', () => {
    const report = judge(lines(header, test('t.py::at', 10 * MB), test('t.py::ignored[x]', 50 * MB)), {
      ignore: ['t.py::ignored[*]'],
    });
    expect(report.tests.map((result) => [result.id, result.verdict, result.leaked, result.ignored])).toEqual([
      ['t.py::at', 'ok', false, false],
      ['t.py::ignored[x]', 'ignored', false, true],
    ]);
  });

  it('reports the test a process died in, with the last memory seen of that process', () => {
    const report = judge(
      lines(header, test('t.py::a', 0), { type: 'start', id: 't.py::dies', file: 't.py', line: 3, before: 120 * MB }),
    );
    expect(report.incomplete).toEqual([
      {
        id: 't.py::dies',
        file: 'repo/t.py',
        line: 3,
        worker: 'gw1',
        pid: 4242,
        before: 120 * MB,
        lastSeen: 180 * MB,
        lastSeenAt: null,
      },
    ]);
  });

  it('takes the higher of the sampled tree peak and the tests’ own peaks', () => {
    expect(judge(lines(header, test('t.py::a', 0))).peak).toBe(500 * MB);
    expect(judge(lines(header, test('t.py::a', 0)), { tree: { peak: null, lastSeen: new Map() } }).peak).toBe(300 * MB);
    expect(judge('', { tree: { peak: null, lastSeen: new Map() } }).peak).toBeNull();
  });
});

describe('warnings', () => {
  it('say what to check when no process loaded the plugin', () => {
    const report = judge('', { runner: 'pytest' });
    expect(report.runner).toBe('pytest');
    expect(report.warnings).toEqual([expect.stringMatching(/^leakwatch measured no tests: no test process loaded/)]);
  });

  it('say so when the plugin loaded but no test ran', () => {
    expect(judge(lines(header)).warnings).toEqual([expect.stringMatching(/loaded its plugin but ran no test/)]);
  });

  it('say where memory could not be measured, and why', () => {
    const report = judge(lines({ ...header, error: 'cannot read memory: OSError: nope' }));
    expect(report.warnings).toEqual([
      'leakwatch could not measure memory in pytest process 4242 (gw1); its tests ran unmeasured. cannot read memory: OSError: nope',
    ]);
  });

  it('say when measuring stopped half-way, and when the heap cannot be trimmed', () => {
    const report = judge(lines({ ...header, trims: false }, test('t.py::a', 0), { type: 'error', error: 'boom' }));
    expect(report.warnings).toEqual([
      'leakwatch stopped measuring in pytest process 4242 (gw1) after 1 tests: boom',
      expect.stringMatching(/no malloc_trim/),
    ]);
  });
});

describe('Node runners', () => {
  const nodeHeader = {
    type: 'process',
    runner: 'jest',
    runnerVersion: '30.5.2',
    pid: 5151,
    worker: 'worker 1',
    rootdir: '/work/repo/web',
    platform: 'linux',
    measures: 'heap',
    sharedProcess: false,
  };
  const nodeTest = (titles: string[], delta: number, extra: object = {}): object => ({
    ...test(titles.join(' > '), delta),
    titles,
    file: '/work/repo/web/src/cart.test.ts',
    peak: null,
    allocatedBlocks: null,
    heapDelta: delta - MB,
    externalDelta: MB,
    rssDelta: delta + 3 * MB,
    ...extra,
  });
  const judgeNode = (...records: object[]) =>
    judge(lines(nodeHeader, ...records), { runner: 'jest', workingDirectory: '/work/repo/web' });

  it('name a test by its file relative to the working directory, its describe blocks and its title', () => {
    const [result] = judgeNode(nodeTest(['cart', 'a > b', 'adds'], 30 * MB)).tests;
    expect(result).toMatchObject({
      id: 'src/cart.test.ts > cart > a > b > adds',
      file: 'repo/web/src/cart.test.ts',
      measures: 'heap',
      delta: 30 * MB,
      heapDelta: 29 * MB,
      externalDelta: MB,
      rssDelta: 33 * MB,
      titles: ['cart', 'a > b', 'adds'],
      leaked: true,
    });
  });

  it('list tests that overlapped others as unmeasured, with no figure, and say why', () => {
    const report = judgeNode(nodeTest(['a'], 30 * MB, { overlapped: true }), nodeTest(['b'], 0));
    expect(report.tests.map((result) => result.id)).toEqual(['src/cart.test.ts > b']);
    expect(report.unmeasured).toEqual([
      { id: 'src/cart.test.ts > a', file: 'repo/web/src/cart.test.ts', line: 7, worker: 'worker 1', outcome: 'passed' },
    ]);
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /^leakwatch measured 1 of 2 tests; 1 has no figure, so this is no clean pass: they ran at the same time/,
      ),
    ]);
    expect(report.coverage).toMatchObject({ measured: 1, unmeasured: 1 });
  });

  it('give no resident memory per test in worker threads, and say so', () => {
    const report = judge(lines({ ...nodeHeader, sharedProcess: true }, nodeTest(['a'], 0, { rssDelta: null })), {
      workingDirectory: '/work/repo/web',
    });
    expect(report.tests[0]?.rssDelta).toBe(null);
    expect(report.warnings).toEqual([expect.stringMatching(/worker threads, which share one process/)]);
  });

  it('report a test whose worker died once, though the runner ran its file again in another worker', () => {
    const start = {
      type: 'start',
      id: 'dies',
      titles: ['dies'],
      file: 'src/x.test.js',
      line: 3,
      before: MB,
      rss: 90 * MB,
    };
    const report = judge(lines(nodeHeader, start) + lines({ ...nodeHeader, pid: 5152 }, start), {
      workingDirectory: '/work/repo/web',
      tree: { peak: null, lastSeen: new Map([[5151, 150 * MB]]) },
    });
    expect(report.incomplete).toEqual([
      expect.objectContaining({ id: 'src/x.test.js > dies', pid: 5151, before: 90 * MB, lastSeen: 150 * MB }),
    ]);
  });

  it('report a retried test by its last attempt, and keep two tests that share a title', () => {
    const report = judgeNode(
      nodeTest(['flaky'], 30 * MB, { outcome: 'failed' }),
      nodeTest(['flaky'], 2 * MB, { attempt: 1 }),
      nodeTest(['same title'], 0),
      nodeTest(['same title'], 0),
    );
    expect(report.tests.map((result) => [result.id, result.delta, result.outcome])).toEqual([
      ['src/cart.test.ts > flaky', 2 * MB, 'passed'],
      ['src/cart.test.ts > same title', 0, 'passed'],
      ['src/cart.test.ts > same title', 0, 'passed'],
    ]);
  });

  it('report the innermost test a process died in, though its subtests finished', () => {
    const start = (titles: string[]) => ({
      type: 'start',
      id: titles.join(' > '),
      titles,
      file: 'x.test.js',
      line: 1,
      before: 0,
    });
    const report = judgeNode(
      start(['parent']),
      start(['parent', 'child']),
      nodeTest(['parent', 'child'], 0, { file: 'x.test.js' }),
    );
    expect(report.incomplete.map((test) => test.id)).toEqual(['x.test.js > parent']);
  });

  it('forget a test announced and then skipped', () => {
    const start = { type: 'start', id: 'a', titles: ['a'], file: 'x.test.js', line: 1, before: 0 };
    expect(
      judgeNode(start, { type: 'not-run', id: 'a', titles: ['a'], file: 'x.test.js', line: 1 }).incomplete,
    ).toEqual([]);
  });

  it('name the runner input when no runner loaded leakwatch and the command did not tell which', () => {
    expect(judge('', { runner: 'auto' }).warnings).toEqual([
      expect.stringMatching(/could not tell which test runner.*Set the 'runner' input \(CLI: --runner\)/),
    ]);
    expect(judge('', { runner: 'vitest' }).warnings).toEqual([expect.stringMatching(/no Vitest worker loaded/)]);
  });
});

describe('records that are not what the preloads write', () => {
  it('are left out, each with why, and the rest still counts', () => {
    const rejected: string[] = [];
    const text = [
      JSON.stringify(header),
      JSON.stringify(test('t.py::huge', 1e308)),
      JSON.stringify(test('t.py::text', 0, { delta: '30000000' })),
      '{"type": "test", "__proto__": {"polluted": true}, "id": "t.py::proto"}',
      '{"type": "test", "delta": NaN}',
      JSON.stringify({ ...header, pid: -1 }),
      JSON.stringify({ type: 'shell', command: 'rm -rf /' }),
      JSON.stringify(test('t.py::fine', 0)),
      '{"type": "te',
    ].join('\n');
    const runs = parseRecords(text, rejected);
    expect(runs.flatMap((run) => run.tests.map((record) => record.id))).toEqual(['t.py::fine']);
    expect(rejected).toEqual([
      'a test record with a bad after, delta',
      'a test record with a bad delta',
      'a key named __proto__',
      'a line that is not JSON',
      'a process record with a bad pid',
      'a line of no known record type',
    ]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('coverage', () => {
  it('counts what the runner collected against what was measured, and why the rest was not', () => {
    const report = judge(
      lines(
        header,
        { type: 'collected', count: 5 },
        test('t.py::a', 0),
        test('t.py::b', 0),
        { type: 'not-run', id: 't.py::skipped', file: 't.py', line: 1 },
        { type: 'unmeasured', reason: 'the records file was closed by a test', count: 1 },
      ),
    );
    expect(report.coverage).toEqual({
      collected: 5,
      measured: 2,
      unmeasured: 2,
      reasons: ['the records file was closed by a test'],
      unsupported: [],
    });
    expect(report.warnings).toContainEqual(
      expect.stringMatching(/^leakwatch measured 2 of 5 tests; 2 have no figure, so this is no clean pass/),
    );
  });

  it('sums the tests of each file, once per file however many processes said it', () => {
    const node = { ...header, runner: 'jest', worker: null };
    const report = judge(
      lines(
        node,
        { type: 'collected', count: 3, file: 'a.test.js' },
        { type: 'collected', count: 3, file: '/work/repo/a.test.js' },
        { type: 'collected', count: 2, file: 'b.test.js' },
      ),
    );
    expect(report.coverage.collected).toBe(5);
  });

  it('names a runner version that cannot be measured', () => {
    const report = judge(
      lines({ ...header, unsupported: 'Mocha 10.4.0 is not supported: leakwatch needs 10.5 or later' }),
    );
    expect(report.coverage.unsupported).toEqual(['Mocha 10.4.0 is not supported: leakwatch needs 10.5 or later']);
    expect(report.warnings[0]).toBe(
      'leakwatch cannot measure this runner: Mocha 10.4.0 is not supported: leakwatch needs 10.5 or later',
    );
  });
});

describe('coverage when the runner stopped early', () => {
  it('expects the tests each process began, not all it collected (pytest -x, --maxfail)', () => {
    const worker = (name: string, ids: string[]) =>
      lines({ ...header, worker: name }, { type: 'collected', count: 10 }, ...ids.map((id) => test(id, 0)), {
        type: 'end',
        ran: ids.length,
      });
    const report = judge(worker('gw0', ['t.py::a', 't.py::b']) + worker('gw1', ['t.py::c']));
    expect(report.coverage).toMatchObject({ collected: 3, measured: 3, unmeasured: 0 });
    expect(report.warnings).toEqual([]);
  });
});
