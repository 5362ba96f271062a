import { describe, expect, it } from 'vitest';
import { applyConfirmations, disagree, judge, suspectsOf, withTraces, type RunsAlone } from '../src/confirm.js';
import type { Report, TestResult } from '../src/report.js';
import { keptSites } from '../src/sites.js';

const MB = 1_000_000;
const LIMIT = 10 * MB;
const runs = (...deltas: number[]) => ({
  runs: deltas.map((delta) => ({ delta, outcome: 'passed', allocatedBlocks: null })),
  problem: null,
});

describe('judging a suspect by its runs alone', () => {
  it('calls it a leak when the runs after the first keep more than the limit, and gives their median per run', () => {
    expect(judge(runs(30 * MB, 29 * MB, 31 * MB), 3, LIMIT)).toEqual({
      verdict: 'leak',
      confirmation: { runs: runs(30 * MB, 29 * MB, 31 * MB).runs, perRun: 30 * MB, problem: null },
    });
    // Only the first run small (a warm cache the test itself drops later): still a leak run after run.
    expect(judge(runs(0, 12 * MB, 11 * MB, 13 * MB), 4, LIMIT).verdict).toBe('leak');
    // One noisy later run does not decide it.
    expect(judge(runs(30 * MB, 30 * MB, 2 * MB, 30 * MB), 4, LIMIT).verdict).toBe('leak');
  });

  it('calls it a warm-up when only the first run keeps memory', () => {
    expect(judge(runs(20 * MB, 100_000, 0), 3, LIMIT)).toMatchObject({
      verdict: 'warm-up',
      confirmation: { perRun: 50_000 },
    });
    expect(judge(runs(6 * MB, MB, MB), 3, LIMIT).verdict).toBe('warm-up');
  });

  it('calls it noise when no run alone keeps much', () => {
    expect(judge(runs(4 * MB, 0, 0), 3, LIMIT).verdict).toBe('noise');
  });

  it('calls it unstable when the runs after the first disagree: kept, freed, or neither, with no two thirds agreeing', () => {
    // The threaded test of issue 11: once labelled a warm-up, and with --confirm 0 a leak that failed the build.
    expect(judge(runs(17.2 * MB, 57.6 * MB, -53.9 * MB), 3, LIMIT)).toMatchObject({
      verdict: 'unstable',
      confirmation: { problem: null },
    });
    expect(judge(runs(0, 12 * MB, 0), 3, LIMIT).verdict).toBe('unstable');
    // Still disagreeing over 10 runs, five to four.
    const byTurns = Array.from({ length: 10 }, (_, run) => (run % 2 === 0 ? 60 * MB : -60 * MB));
    expect(judge(runs(...byTurns), 10, LIMIT).verdict).toBe('unstable');
  });

  it('does not call it unstable for spread within one reading, one run in three off, or runs close to the limit', () => {
    expect(disagree([30 * MB, 2 * MB, 30 * MB], LIMIT)).toBe(false);
    expect(disagree([15 * MB, 80 * MB], LIMIT)).toBe(false);
    expect(disagree([9 * MB, -9 * MB], LIMIT)).toBe(false);
    // Near the limit, kept and not by turns, but closer than the limit: the median decides.
    expect(disagree([11 * MB, 9 * MB, 11 * MB, 9 * MB], LIMIT)).toBe(false);
    expect(judge(runs(11 * MB, 11 * MB, 9 * MB, 11 * MB), 4, LIMIT).verdict).toBe('leak');
    expect(disagree([57.6 * MB, -53.9 * MB], LIMIT)).toBe(true);
    expect(disagree([60 * MB, -60 * MB, 60 * MB, -60 * MB, 60 * MB, -60 * MB], LIMIT)).toBe(true);
  });

  it('leaves it unconfirmed, with the reason, when fewer than two runs were recorded', () => {
    expect(judge({ runs: runs(30 * MB).runs, problem: 'its process died on run 2 alone' }, 3, LIMIT)).toEqual({
      verdict: 'unconfirmed',
      confirmation: {
        runs: runs(30 * MB).runs,
        perRun: null,
        problem: 'its process died on run 2 alone',
      },
    });
    expect(judge(runs(), 3, LIMIT).confirmation?.problem).toBe('it ran 0 of 3 times alone');
  });
});

describe('confirming a report', () => {
  const test = (id: string, delta: number, verdict: TestResult['verdict']): TestResult =>
    ({
      id,
      delta,
      verdict,
      leaked: verdict === 'leak',
      disturbed: false,
      confirmation: null,
      measures: 'rss',
    }) as TestResult;
  const report = {
    limit: LIMIT,
    confirmRuns: 3,
    tests: [
      test('small', MB, 'ok'),
      test('big', 50 * MB, 'leak'),
      test('ignored', 90 * MB, 'ignored'),
      test('mid', 20 * MB, 'leak'),
    ],
  } as Report;

  it('takes the tests over the limit that are not ignored, largest first', () => {
    expect(suspectsOf(report).map((suspect) => suspect.id)).toEqual(['big', 'mid']);
  });

  it('fails only confirmed leaks and suspects that could not be run again', () => {
    const confirmed = applyConfirmations(
      report,
      new Map<string, RunsAlone | string>([
        ['big', runs(20 * MB, 0, 0)],
        ['mid', 'not run again: only the 50 largest suspects are'],
      ]),
    );
    expect(confirmed.tests.map((result) => [result.id, result.verdict, result.leaked])).toEqual([
      ['small', 'ok', false],
      ['big', 'warm-up', false],
      ['ignored', 'ignored', false],
      ['mid', 'unconfirmed', true],
    ]);
    expect(confirmed.tests[3]?.confirmation?.problem).toBe('not run again: only the 50 largest suspects are');
  });

  it('never fails an unstable test, and fails a suspect left unconfirmed by a cancel', () => {
    const confirmed = applyConfirmations(
      report,
      new Map<string, RunsAlone | string>([
        ['big', runs(17.2 * MB, 57.6 * MB, -53.9 * MB)],
        ['mid', 'the job was cancelled before it was run alone'],
      ]),
    );
    expect(confirmed.tests.map((result) => [result.id, result.verdict, result.leaked])).toEqual([
      ['small', 'ok', false],
      ['big', 'unstable', false],
      ['ignored', 'ignored', false],
      ['mid', 'unconfirmed', true],
    ]);
  });

  it('also runs a test whose figure another file freeing memory may have hidden, and keeps it ok unless alone it leaks', () => {
    const disturbed = (id: string): TestResult => ({ ...test(id, -250 * MB, 'ok'), disturbed: true });
    const freed = { ...report, tests: [disturbed('hid-a-leak'), disturbed('hid-nothing'), test('quiet', 0, 'ok')] };
    expect(suspectsOf(freed).map((suspect) => suspect.id)).toEqual(['hid-a-leak', 'hid-nothing']);
    const confirmed = applyConfirmations(
      freed,
      new Map<string, RunsAlone | string>([
        ['hid-a-leak', runs(20 * MB, 20 * MB, 20 * MB)],
        ['hid-nothing', runs(0, 0, 0)],
      ]),
    );
    expect(confirmed.tests.map((result) => [result.id, result.verdict, result.leaked])).toEqual([
      ['hid-a-leak', 'leak', true],
      ['hid-nothing', 'ok', false],
      ['quiet', 'ok', false],
    ]);
  });

  it('gives a confirmed leak the sites of its traced run, largest first, and names only what they leave as native', () => {
    const site = (line: number, size: number) => ({ file: 'shop.py', line, function: 'f', size, count: 1, stack: [] });
    const traced = {
      sites: [site(1, 0.05 * MB), site(2, 12 * MB), site(3, 0.5 * MB), site(4, 7 * MB)],
      traced: 19.55 * MB,
      external: null,
      stopped: null,
    };
    const confirmed = applyConfirmations(
      report,
      new Map<string, RunsAlone | string>([
        ['big', runs(20 * MB, 20 * MB, 20 * MB)],
        ['mid', runs(20 * MB, 0, 0)],
      ]),
    );
    const withSites = withTraces(
      confirmed,
      new Map([
        ['big', traced],
        ['mid', traced],
      ]),
    );
    const [, big, , mid] = withSites.tests;
    // A site under a hundredth of what the test keeps explains nothing.
    expect(big?.sites.map((found) => found.line)).toEqual([2, 4, 3]);
    expect(big?.unattributed).toEqual({ bytes: 0.45 * MB, kind: 'native' });
    // A warm-up's allocations explain no leak.
    expect(mid).toMatchObject({ verdict: 'warm-up' });
    expect(mid?.sites ?? []).toEqual([]);
  });

  it('names what a Node leak’s traced run left unplaced external when its runs alone kept it outside the heap', () => {
    const aloneRuns = (externalDelta: number) =>
      [0, 1, 2].map(() => ({ delta: 20 * MB, outcome: 'passed', allocatedBlocks: null, heapDelta: 0, externalDelta }));
    const nodeTest = (externalDelta: number) => ({
      measures: 'heap' as const,
      confirmation: { runs: aloneRuns(externalDelta), perRun: 20 * MB, problem: null },
    });
    const trace = (external: number) => ({ sites: [], traced: external, external, stopped: null });
    // ArrayBuffers made directly: no Buffer stack explains them.
    expect(keptSites(trace(0), 20 * MB, nodeTest(20 * MB)).unattributed).toEqual({ bytes: 20 * MB, kind: 'external' });
    // Buffers placed, and heap objects the profiler did not place.
    expect(keptSites(trace(10 * MB), 20 * MB, nodeTest(10 * MB)).unattributed).toEqual({
      bytes: 10 * MB,
      kind: 'unknown',
    });
  });
});
