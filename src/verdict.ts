/** When a run must not pass as "no leak": nothing was measured, or a runner version leakwatch cannot measure ran. */
import { measuredNothing, type Report } from './report.js';

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
