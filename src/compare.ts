/**
 * Comparing a run with its base's report (the pull request's base branch, or a file given): which tests leak anew,
 * which no longer leak, which keep more than before, which came and went. Nothing of the base is run again.
 */
import { REPORT_VERSION, keptSize, type BaseSource, type Comparison, type Report } from './report.js';

/** A test regressed when it keeps more than in the base by more than each part given. */
export interface RegressionThreshold {
  /** A share of what the base's test kept: 0.2 for 20%. */
  ratio: number | null;
  bytes: number | null;
}

/** When a leak fails the build: `any` leak, only `new` leaks (not leaking in the base), or `never`. */
export type FailOnLeak = 'any' | 'new' | 'never';

export function compareReports(
  current: Report,
  base: Report,
  source: BaseSource,
  threshold: RegressionThreshold | null,
): Comparison {
  const baseTests = new Map(base.tests.map((test) => [test.id, test]));
  const currentIds = new Set(current.tests.map((test) => test.id));
  const newLeaks = current.tests.filter((test) => test.leaked && baseTests.get(test.id)?.leaked !== true);
  const fixed = current.tests.filter((test) => !test.leaked && baseTests.get(test.id)?.leaked === true);
  const regressed = current.tests.filter((test) => {
    const before = baseTests.get(test.id);
    if (threshold === null || before === undefined || newLeaks.includes(test)) return false;
    const grown = keptSize(test) - keptSize(before);
    const ratioPart = threshold.ratio === null || grown > threshold.ratio * Math.max(0, keptSize(before));
    const bytesPart = threshold.bytes === null || grown > threshold.bytes;
    return grown > 0 && ratioPart && bytesPart;
  });
  const baseKept: Record<string, number> = {};
  for (const test of [...newLeaks, ...fixed, ...regressed]) {
    const before = baseTests.get(test.id);
    if (before !== undefined) baseKept[test.id] = keptSize(before);
  }
  return {
    base: source,
    new: newLeaks.map((test) => test.id),
    fixed: fixed.map((test) => test.id),
    regressed: regressed.map((test) => test.id),
    added: current.tests.filter((test) => !baseTests.has(test.id)).map((test) => test.id),
    removed: base.tests.filter((test) => !currentIds.has(test.id)).map((test) => test.id),
    peak: { base: base.peak, current: current.peak },
    baseKept,
  };
}

/**
 * A base report from its JSON text, or why it cannot be compared with: `what` names it in that message ("the
 * baseline file base.json"). Only what comparing reads is checked.
 */
export function parseBaseReport(text: string, what: string): Report | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `${what} is not JSON: it may be damaged.`;
  }
  const report = parsed as Partial<Report> | null;
  if (typeof report !== 'object' || report === null || report.tool?.name !== 'leakwatch') {
    return `${what} is not a leakwatch report.`;
  }
  if (report.version !== REPORT_VERSION) {
    return (
      `${what} has report version ${String(report.version)} (leakwatch ${report.tool.version}); this ` +
      `leakwatch reads version ${REPORT_VERSION}. The next run on the base branch will leave one it can read.`
    );
  }
  const testsAreWhole =
    Array.isArray(report.tests) &&
    report.tests.every(
      (test) => typeof test.id === 'string' && typeof test.leaked === 'boolean' && typeof test.delta === 'number',
    );
  if (!testsAreWhole) return `${what} is damaged: its tests are not as leakwatch writes them.`;
  return report as Report;
}

/** The leaks that fail the build: all of them, only the new ones (none when there was no base), or none. */
export function failingLeaks(report: Report, failOn: FailOnLeak): string[] {
  const leaks = report.tests.filter((test) => test.leaked).map((test) => test.id);
  if (failOn === 'any') return leaks;
  if (failOn === 'never') return [];
  const newLeaks = new Set(report.comparison?.new ?? []);
  return leaks.filter((id) => newLeaks.has(id));
}
