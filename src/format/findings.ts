/** The parts of a report that every rendering shows, in the order it shows them. */
import type { IncompleteTest, Report, TestResult, Verdict } from '../report.js';
import { formatSize } from '../size.js';

export interface Findings {
  /** Confirmed leaks, and suspects that could not be confirmed; largest first. */
  leaks: TestResult[];
  /** Kept memory the first time they ran alone only: one-time costs, not leaks. Largest first. */
  warmUps: TestResult[];
  /** Over the limit in the suite, next to nothing alone. Largest first. */
  noise: TestResult[];
  /** Over the limit, but matched by `ignore`. Largest first. */
  ignored: TestResult[];
  incomplete: IncompleteTest[];
}

export function findingsOf(report: Report): Findings {
  // Largest first, by what a leak keeps per run alone where that is known.
  const tests = [...report.tests].sort((a, b) => keptSize(b) - keptSize(a));
  const withVerdict = (verdict: Verdict): TestResult[] => tests.filter((test) => test.verdict === verdict);
  return {
    leaks: tests.filter((test) => test.leaked),
    warmUps: withVerdict('warm-up'),
    noise: withVerdict('noise'),
    ignored: withVerdict('ignored'),
    incomplete: report.incomplete,
  };
}

/** What a leak keeps: per run alone where confirming told, else what it kept in the suite. */
export function keptSize(test: TestResult): number {
  return test.confirmation?.perRun ?? test.delta;
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
 * What tells more about a leak: what it keeps per run alone (or why that could not be told), and for Node runners
 * where it kept it: objects on the JavaScript heap, or external memory such as Buffers.
 */
export function leakDetail(test: TestResult): string {
  const parts = [];
  const confirmation = test.confirmation;
  if (confirmation?.perRun != null) {
    parts.push(`keeps ${formatSize(confirmation.perRun)} per run (${runsAlone(test)})`);
  } else if (confirmation?.problem != null) {
    parts.push(`not confirmed: ${confirmation.problem}`);
  }
  if (test.measures === 'heap') {
    parts.push(`JS heap ${formatSize(test.heapDelta ?? 0)}, external ${formatSize(test.externalDelta ?? 0)}`);
  }
  return parts.join('; ');
}

/** "3 runs alone kept 30.1 MB, 30.0 MB, 30.0 MB" */
export function runsAlone(test: TestResult): string {
  const runs = test.confirmation?.runs ?? [];
  return `${plural(runs.length, 'run')} alone kept ${runs.map((run) => formatSize(run.delta)).join(', ')}`;
}

export function location(test: { file: string; line: number | null }): string {
  return test.line === null ? test.file : `${test.file}:${test.line}`;
}
