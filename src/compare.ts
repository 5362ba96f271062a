/**
 * Comparing a run with its base's report (the pull request's base branch, or a file given): which tests leak anew,
 * which no longer leak, which keep more than before, which came and went. Nothing of the base is run again.
 */
import { ForbiddenKeyError, parseUntrustedJson } from './untrusted-json.js';
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
  base: BaseReportData,
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

/** What comparing reads of a base report: all that is checked of it, and all that is kept. */
export interface BaseReportData {
  peak: number | null;
  tests: { id: string; leaked: boolean; delta: number; confirmation: { perRun: number | null } | null }[];
}

/** Bounds a base report must keep: far beyond any real run's, near enough to refuse a hostile one before use. */
const BASE_LIMITS = { tests: 1_000_000, idLength: 65_536, bytes: 1e15, version: 50 } as const;

/**
 * A base report from its JSON text, or why it cannot be compared with: `what` names it in that message ("the
 * baseline file base.json"). Only what comparing reads is checked, and only that is kept: the base comes from another
 * run's artifact or a file, so nothing of it is trusted that is not checked here.
 */
export function parseBaseReport(text: string, what: string): BaseReportData | string {
  const damaged = `${what} is damaged: it is not as leakwatch writes its reports.`;
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(text);
  } catch (error) {
    return error instanceof ForbiddenKeyError ? damaged : `${what} is not JSON: it may be damaged.`;
  }
  if (!isRecord(parsed) || !isRecord(parsed.tool) || parsed.tool.name !== 'leakwatch') {
    return `${what} is not a leakwatch report.`;
  }
  const { version, tool, tests, peak } = parsed;
  if (version !== REPORT_VERSION) {
    // Both versions reach the log: shown only when they look like versions.
    const shownVersion = Number.isSafeInteger(version) ? String(version) : 'unknown';
    const toolVersion = typeof tool.version === 'string' ? tool.version : '';
    const shownTool =
      toolVersion.length <= BASE_LIMITS.version && /^[\w.+-]+$/.test(toolVersion) ? toolVersion : 'unknown';
    return (
      `${what} has report version ${shownVersion} (leakwatch ${shownTool}); this ` +
      `leakwatch reads version ${REPORT_VERSION}. The next run on the base branch will leave one it can read.`
    );
  }
  if (!(peak === null || isSize(peak)) || !Array.isArray(tests) || tests.length > BASE_LIMITS.tests) return damaged;
  const kept: BaseReportData['tests'] = [];
  for (const test of tests as unknown[]) {
    const whole = readBaseTest(test);
    if (whole === undefined) return `${what} is damaged: its tests are not as leakwatch writes them.`;
    kept.push(whole);
  }
  return { peak, tests: kept };
}

function readBaseTest(test: unknown): BaseReportData['tests'][number] | undefined {
  if (!isRecord(test)) return undefined;
  const { id, leaked, delta, confirmation } = test;
  if (typeof id !== 'string' || id.length > BASE_LIMITS.idLength) return undefined;
  if (typeof leaked !== 'boolean' || !isSignedSize(delta)) return undefined;
  if (confirmation === null || confirmation === undefined) return { id, leaked, delta, confirmation: null };
  if (!isRecord(confirmation)) return undefined;
  const { perRun } = confirmation;
  if (!(perRun === null || isSignedSize(perRun))) return undefined;
  return { id, leaked, delta, confirmation: { perRun } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A size in bytes as a report holds one: finite, and not beyond a petabyte; kept memory may be negative. */
function isSignedSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= BASE_LIMITS.bytes;
}

function isSize(value: unknown): value is number {
  return isSignedSize(value) && value >= 0;
}

/** The leaks that fail the build: all of them, only the new ones (none when there was no base), or none. */
export function failingLeaks(report: Report, failOn: FailOnLeak): string[] {
  const leaks = report.tests.filter((test) => test.leaked).map((test) => test.id);
  if (failOn === 'any') return leaks;
  if (failOn === 'never') return [];
  const newLeaks = new Set(report.comparison?.new ?? []);
  return leaks.filter((id) => newLeaks.has(id));
}
