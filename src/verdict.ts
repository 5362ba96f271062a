/** Whether a run fails: its tests failed, tests leaked, or nothing was measured, which must never pass for "no leak". */
import { failingLeaks } from './compare.js';
import { measuredNothing, type Report } from './report.js';
import type { ReportSettings } from './settings.js';
import { formatSize } from './size.js';

/** Why the step fails, if it does; and what only warns (nothing measured, where the workflow asked for a warning). */
export interface Verdict {
  failures: string[];
  warnings: string[];
}

/**
 * The step's verdict on a report. A merged report's shards that failed or were cancelled failed their own jobs: the
 * merge step fails on leaks and on nothing measured only.
 */
export function verdict(report: Report, settings: Pick<ReportSettings, 'failOnLeak' | 'onNothingMeasured'>): Verdict {
  const failures: string[] = [];
  const warnings: string[] = [];
  const merged = report.shards !== undefined;
  if (report.exitCode !== 0 && !merged) failures.push(`The test command exited with ${report.exitCode}.`);
  if (report.cancelled && !merged) failures.push('The job was cancelled: what was measured before it is reported.');
  const unmeasurable = nothingMeasuredProblem(report);
  if (unmeasurable !== undefined) (settings.onNothingMeasured === 'fail' ? failures : warnings).push(unmeasurable);
  const leaks = failingLeaks(report, settings.failOnLeak).length;
  if (leaks > 0) {
    const which = settings.failOnLeak === 'new' ? ' that did not leak in the base' : '';
    failures.push(`${leaks} test${leaks === 1 ? '' : 's'}${which} leaked more than ${formatSize(report.limit)}.`);
  }
  return { failures, warnings };
}

/** Exit codes of a command that was not found: bash's, and cmd's on Windows. */
const NOT_FOUND = new Set([127, 9009]);

const SET_WARN = "To let such runs pass with a warning instead, set 'on-nothing-measured: warn'.";

/** Why this run cannot count as measured, with what to do; undefined when it measured something of every runner. */
export function nothingMeasuredProblem(report: Report): string | undefined {
  const { coverage } = report;
  if (coverage.unsupported.length > 0) {
    return `leakwatch cannot measure what ran: ${coverage.unsupported.join('; ')}. ${SET_WARN}`;
  }
  if (!measuredNothing(report) || report.cancelled) return undefined;
  const cause = NOT_FOUND.has(report.exitCode)
    ? `the test command was not found (it exited with ${report.exitCode}): check its spelling, and that the runner is installed on the path`
    : coverage.reasons.join('; ') || 'no test reported a figure';
  return `Nothing was measured, so no leak could be found: ${cause}. ${SET_WARN}`;
}
