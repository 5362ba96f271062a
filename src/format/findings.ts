/** The parts of a report that every rendering shows, in the order it shows them. */
import type { IncompleteTest, Report, TestResult } from '../report.js';
import { formatSize } from '../size.js';

export interface Findings {
  /** Largest first. */
  leaks: TestResult[];
  /** Over the limit once, next to nothing on a second run: one-time costs, not leaks. Largest first. */
  keptOnce: TestResult[];
  /** Over the limit, but matched by `ignore`. Largest first. */
  ignored: TestResult[];
  incomplete: IncompleteTest[];
}

export function findingsOf(report: Report): Findings {
  const overLimit = report.tests.filter((test) => test.delta > report.limit).sort((a, b) => b.delta - a.delta);
  return {
    leaks: overLimit.filter((test) => test.leaked),
    keptOnce: overLimit.filter((test) => !test.ignored && test.repeat?.status === 'kept-once'),
    ignored: overLimit.filter((test) => test.ignored),
    incomplete: report.incomplete,
  };
}

/** "3 of 27 tests leaked more than 10.0 MB" or "no test leaked more than 10.0 MB", with the counts that matter. */
export function headline(report: Report, findings: Findings): string {
  const limit = formatSize(report.limit);
  const measured = report.tests.length;
  const verdict =
    findings.leaks.length === 0
      ? `no test leaked more than ${limit} (${plural(measured, 'test')} measured)`
      : `${findings.leaks.length} of ${plural(measured, 'test')} leaked more than ${limit}`;
  return report.peak === null ? verdict : `${verdict}, peak RSS ${formatSize(report.peak)}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * What tells more about a leak: for pytest what its second run said ("kept 30.0 MB again", or why it could not
 * tell); for Node runners what it kept, objects on the JavaScript heap or external memory such as Buffers.
 */
export function leakDetail(test: TestResult): string {
  if (test.measures === 'heap') {
    return `JS heap ${formatSize(test.heapDelta ?? 0)}, external ${formatSize(test.externalDelta ?? 0)}`;
  }
  return secondRun(test);
}

/** What a second run of a test said: "kept 30.0 MB again", "a second run kept 0 B", or why it could not tell. */
export function secondRun(test: TestResult): string {
  const repeat = test.repeat;
  if (repeat === null) return 'not run again';
  switch (repeat.status) {
    case 'kept-again':
      return `kept ${formatSize(repeat.delta)} again`;
    case 'kept-once':
      return `a second run kept ${formatSize(repeat.delta)}`;
    case 'inconclusive':
      return repeat.reason;
  }
}

export function location(test: { file: string; line: number | null }): string {
  return test.line === null ? test.file : `${test.file}:${test.line}`;
}
