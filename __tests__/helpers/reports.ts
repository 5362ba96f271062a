/** Reports and test results made by hand, for the tests of what is done with them (rendering, comparing, merging). */
import type { Report, TestResult } from '../../src/report.js';

const MB = 1_000_000;

/** A pytest test that kept `delta`, a leak confirmed at that size past 10 MB. */
export function result(id: string, delta: number, extra: Partial<TestResult> = {}): TestResult {
  return {
    id,
    titles: null,
    file: 'tests/test_x.py',
    line: 12,
    worker: 'main',
    measures: 'rss',
    before: 100 * MB,
    after: 100 * MB + delta,
    delta,
    heapDelta: null,
    externalDelta: null,
    rssDelta: delta,
    peak: null,
    allocatedBlocks: 0,
    duration: 0.01,
    outcome: 'passed',
    verdict: delta > 10 * MB ? 'leak' : 'ok',
    leaked: delta > 10 * MB,
    ignored: false,
    disturbed: false,
    unsettled: false,
    sites: [],
    unattributed: null,
    confirmation:
      delta > 10 * MB
        ? {
            runs: [delta, delta, delta].map((kept) => ({ delta: kept, outcome: 'passed', allocatedBlocks: null })),
            perRun: delta,
            problem: null,
          }
        : null,
    ...extra,
  };
}

export function report(tests: TestResult[], extra: Partial<Report> = {}): Report {
  return {
    version: 2,
    tool: { name: 'leakwatch', version: '0.1.0' },
    command: 'pytest -n 2',
    runner: 'pytest',
    limit: 10 * MB,
    confirmRuns: 3,
    exitCode: 0,
    peak: 1_200 * MB,
    tests,
    incomplete: [],
    unmeasured: [],
    warnings: [],
    coverage: { collected: tests.length, measured: tests.length, unmeasured: 0, reasons: [], unsupported: [] },
    cancelled: false,
    comparison: null,
    baselineProblem: null,
    ...extra,
  };
}
