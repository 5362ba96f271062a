import { describe, expect, it } from 'vitest';
import { compareReports, failingLeaks, parseBaseReport } from '../src/compare.js';
import type { Report, TestResult } from '../src/report.js';

const MB = 1_000_000;
const SOURCE = { commit: 'abc', runId: 1, file: null };

function test(id: string, kept: number, perRun: number | null = null): TestResult {
  const leaked = (perRun ?? kept) > 10 * MB;
  return {
    id,
    delta: kept,
    leaked,
    verdict: leaked ? 'leak' : 'ok',
    confirmation: perRun === null ? null : { runs: [], perRun, problem: null },
  } as unknown as TestResult;
}

function report(tests: TestResult[], peak: number | null = 100 * MB): Report {
  return {
    version: 2,
    tool: { name: 'leakwatch', version: '0.1.0' },
    tests,
    peak,
    comparison: null,
  } as unknown as Report;
}

describe('comparing with the base', () => {
  const threshold = { ratio: 0.2, bytes: 2 * MB };

  it('tells new, fixed, added and removed tests, and leaves leaks both runs have alone', () => {
    const base = report([test('both', 30 * MB), test('fixed', 20 * MB), test('gone', 15 * MB), test('turned', MB)]);
    const now = report([test('both', 30 * MB), test('fixed', MB), test('turned', 12 * MB), test('fresh', 40 * MB)]);
    expect(compareReports(now, base, SOURCE, threshold)).toEqual({
      base: SOURCE,
      new: ['turned', 'fresh'],
      fixed: ['fixed'],
      regressed: [],
      added: ['fresh'],
      removed: ['gone'],
      peak: { base: 100 * MB, current: 100 * MB },
      baseKept: { turned: MB, fixed: 20 * MB },
    });
  });

  it('counts a test as regressed when it grew by more than each part of the threshold', () => {
    const base = report([test('a', 5 * MB), test('b', 5 * MB), test('c', 0.1 * MB), test('d', 30 * MB, 30 * MB)]);
    // a: +3 MB and +60%; b: +0.9 MB; c: +1.9 MB though +1900%; d: confirmed per run, +10 MB and +33%.
    const now = report([test('a', 8 * MB), test('b', 5.9 * MB), test('c', 2 * MB), test('d', 99 * MB, 40 * MB)]);
    expect(compareReports(now, base, SOURCE, threshold).regressed).toEqual(['a', 'd']);
    expect(compareReports(now, base, SOURCE, { ratio: null, bytes: MB }).regressed).toEqual(['a', 'c', 'd']);
    expect(compareReports(now, base, SOURCE, { ratio: 0.5, bytes: null }).regressed).toEqual(['a', 'c']);
    expect(compareReports(now, base, SOURCE, null).regressed).toEqual([]);
  });

  it('fails on new leaks only with fail-on-leak new, and on none when there was nothing to compare with', () => {
    const base = report([test('old', 30 * MB)]);
    const now = report([test('old', 30 * MB), test('fresh', 40 * MB), test('fine', MB)]);
    const compared = { ...now, comparison: compareReports(now, base, SOURCE, null) };
    expect(failingLeaks(compared, 'any')).toEqual(['old', 'fresh']);
    expect(failingLeaks(compared, 'new')).toEqual(['fresh']);
    expect(failingLeaks(compared, 'never')).toEqual([]);
    expect(failingLeaks(now, 'new')).toEqual([]);
  });
});

describe('reading a base report', () => {
  const what = 'the baseline file main.json';

  it('takes a report of this version, and keeps only what comparing reads', () => {
    const base = report([test('a', MB), test('b', 30 * MB, 25 * MB)]);
    expect(parseBaseReport(JSON.stringify(base), what)).toEqual({
      peak: 100 * MB,
      tests: [
        { id: 'a', leaked: false, delta: MB, confirmation: null },
        { id: 'b', leaked: true, delta: 30 * MB, confirmation: { perRun: 25 * MB } },
      ],
    });
  });

  it('refuses a hostile one with one plain sentence, before anything uses it', () => {
    const damaged = 'the baseline file main.json is damaged: it is not as leakwatch writes its reports.';
    const damagedTests = 'the baseline file main.json is damaged: its tests are not as leakwatch writes them.';
    const text = JSON.stringify(report([test('a', MB)]));
    const withTest = (fields: string) => text.replace('"id":"a"', `"id":"a",${fields}`);
    expect(parseBaseReport(text.replace('{', '{"__proto__":{"polluted":true},'), what)).toBe(damaged);
    expect(parseBaseReport(withTest('"constructor":{"prototype":{}}'), what)).toBe(damaged);
    expect(parseBaseReport(text.replace('"delta":1000000', '"delta":1e308'), what)).toBe(damagedTests);
    expect(parseBaseReport(text.replace('"delta":1000000', '"delta":"1000000"'), what)).toBe(damagedTests);
    expect(parseBaseReport(text.replace('"delta":1000000', '"delta":null'), what)).toBe(damagedTests);
    expect(parseBaseReport(text.replace('"leaked":false', '"leaked":"false"'), what)).toBe(damagedTests);
    expect(parseBaseReport(text.replace('"confirmation":null', '"confirmation":{"perRun":"NaN"}'), what)).toBe(
      damagedTests,
    );
    expect(parseBaseReport(text.replace('"id":"a"', `"id":"${'a'.repeat(70_000)}"`), what)).toBe(damagedTests);
    expect(parseBaseReport(text.replace('"peak":100000000', '"peak":-1'), what)).toBe(damaged);
    expect(parseBaseReport(text.replace('"peak":100000000', '"peak":1e308'), what)).toBe(damaged);
    const huge = text.replace(/"tests":\[.*?\],"peak"/, `"tests":[${'0,'.repeat(1_000_001)}0],"peak"`);
    expect(parseBaseReport(huge, what)).toBe(damaged);
    // A version that is not one is not printed: it would reach the log.
    const foreignVersion = JSON.stringify({
      ...report([]),
      version: '3\n##[add-mask]x',
      tool: { name: 'leakwatch', version: '::error::x' },
    });
    expect(parseBaseReport(foreignVersion, what)).toMatch(
      /^the baseline file main\.json has report version unknown \(leakwatch unknown\); this leakwatch reads version 2\./,
    );
  });

  it('says why it cannot compare with anything else', () => {
    expect(parseBaseReport('{"version": 2, "tool": {"name": "leak', what)).toBe(
      'the baseline file main.json is not JSON: it may be damaged.',
    );
    expect(parseBaseReport('{"version": 2, "tests": []}', what)).toBe(
      'the baseline file main.json is not a leakwatch report.',
    );
    expect(parseBaseReport(JSON.stringify({ ...report([]), version: 3 }), what)).toMatch(
      /^the baseline file main\.json has report version 3 \(leakwatch 0\.1\.0\); this leakwatch reads version 2\./,
    );
    expect(parseBaseReport(JSON.stringify(report([{ id: 'a' } as TestResult])), what)).toBe(
      'the baseline file main.json is damaged: its tests are not as leakwatch writes them.',
    );
  });
});
