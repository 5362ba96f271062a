/**
 * Comparing a run with its base's report (the pull request's base branch, or a file given): which tests leak anew,
 * which no longer leak, which keep more than before, which came and went. Nothing of the base is run again.
 */
import { ForbiddenKeyError, parseUntrustedJson } from './untrusted-json.js';
import { REPORT_VERSION, keptSize, testKey, type BaseSource, type Comparison, type Report } from './report.js';

/** A test regressed when it keeps more than in the base by more than each part given. */
export interface RegressionThreshold {
  /** A share of what the base's test kept: 0.2 for 20%. */
  ratio: number | null;
  bytes: number | null;
}

/** When a leak fails the build: `any` leak, only `new` leaks (not leaking in the base), or `never`. */
export type FailOnLeak = 'any' | 'new' | 'never';

/** What comparing needs of a test, of this run or of the base's. */
export interface ComparableTest {
  id: string;
  /** In a merged report, the shard that ran it. */
  shard?: string | undefined;
  leaked: boolean;
  delta: number;
  confirmation: { perRun: number | null } | null;
}

/** How a test changed since the base: it leaks anew, no longer leaks, or keeps more than before. */
export type Change = 'new' | 'fixed' | 'regressed';

/**
 * A comparison made one test at a time, so that a merged report compares as its shards come, without all their tests
 * in memory. A test is the base's same test when the base has it in the same shard, else when the base ran its id once
 * (the shards split the suite differently, or one of the two reports is not merged).
 */
export class Comparer {
  private readonly byKey = new Map<string, ComparableTest>();
  /** Null where the base ran the id in several shards: it is then found by its shard only. */
  private readonly byId = new Map<string, ComparableTest | null>();
  private readonly matched = new Set<ComparableTest>();
  private readonly lists: Record<Change | 'added', string[]> = { new: [], fixed: [], regressed: [], added: [] };
  private readonly baseKept: Record<string, number> = {};

  constructor(
    private readonly base: BaseReportData,
    private readonly source: BaseSource,
    private readonly threshold: RegressionThreshold | null,
  ) {
    for (const test of base.tests) {
      this.byKey.set(testKey(test), test);
      this.byId.set(test.id, this.byId.has(test.id) ? null : test);
    }
  }

  /** Compares one test of this run with the base's; says how it changed, if it did. */
  add(test: ComparableTest): Change | undefined {
    const key = testKey(test);
    const before = this.byKey.get(key) ?? this.byId.get(test.id) ?? undefined;
    if (before === undefined) this.lists.added.push(key);
    else this.matched.add(before);
    const change = changeOf(test, before, this.threshold);
    if (change !== undefined) {
      this.lists[change].push(key);
      if (before !== undefined) this.baseKept[key] = keptSize(before);
    }
    return change;
  }

  finish(currentPeak: number | null): Comparison {
    return {
      base: this.source,
      ...this.lists,
      removed: this.base.tests.filter((test) => !this.matched.has(test)).map(testKey),
      peak: { base: this.base.peak, current: currentPeak },
      baseKept: this.baseKept,
    };
  }
}

function changeOf(
  test: ComparableTest,
  before: ComparableTest | undefined,
  threshold: RegressionThreshold | null,
): Change | undefined {
  if (test.leaked) return before?.leaked === true ? regression(test, before, threshold) : 'new';
  if (before?.leaked === true) return 'fixed';
  return regression(test, before, threshold);
}

function regression(
  test: ComparableTest,
  before: ComparableTest | undefined,
  threshold: RegressionThreshold | null,
): 'regressed' | undefined {
  if (threshold === null || before === undefined) return undefined;
  const grown = keptSize(test) - keptSize(before);
  const ratioPart = threshold.ratio === null || grown > threshold.ratio * Math.max(0, keptSize(before));
  const bytesPart = threshold.bytes === null || grown > threshold.bytes;
  return grown > 0 && ratioPart && bytesPart ? 'regressed' : undefined;
}

export function compareReports(
  current: Pick<Report, 'tests' | 'peak'>,
  base: BaseReportData,
  source: BaseSource,
  threshold: RegressionThreshold | null,
): Comparison {
  const comparer = new Comparer(base, source, threshold);
  for (const test of current.tests) comparer.add(test);
  return comparer.finish(current.peak);
}

/** What comparing reads of a base report: all that is checked of it, and all that is kept. */
export interface BaseReportData {
  peak: number | null;
  tests: ComparableTest[];
}

/** Bounds a base report must keep: far beyond any real run's, near enough to refuse a hostile one before use. */
export const BASE_LIMITS = { tests: 1_000_000, idLength: 65_536, bytes: 1e15, version: 50 } as const;

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
  const { id, shard, leaked, delta, confirmation } = test;
  if (typeof id !== 'string' || id.length > BASE_LIMITS.idLength) return undefined;
  if (!(shard === undefined || (typeof shard === 'string' && shard.length <= BASE_LIMITS.idLength))) return undefined;
  if (typeof leaked !== 'boolean' || !isSignedSize(delta)) return undefined;
  const inShard = shard === undefined ? {} : { shard };
  if (confirmation === null || confirmation === undefined) return { id, ...inShard, leaked, delta, confirmation: null };
  if (!isRecord(confirmation)) return undefined;
  const { perRun } = confirmation;
  if (!(perRun === null || isSignedSize(perRun))) return undefined;
  return { id, ...inShard, leaked, delta, confirmation: { perRun } };
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

/**
 * The leaks that fail the build, by their keys (see testKey): all of them, only the new ones (none when there was no
 * base), or none.
 */
export function failingLeaks(report: Pick<Report, 'tests' | 'comparison'>, failOn: FailOnLeak): string[] {
  const leaks = report.tests.filter((test) => test.leaked).map(testKey);
  if (failOn === 'any') return leaks;
  if (failOn === 'never') return [];
  const newLeaks = new Set(report.comparison?.new ?? []);
  return leaks.filter((key) => newLeaks.has(key));
}
