/** The parts of a report that every rendering shows, in the order it shows them. */
import { median } from '../confirm.js';
import {
  keptSize,
  measuredNothing,
  testKey,
  type BaseSource,
  type Comparison,
  type IncompleteTest,
  type Report,
  type Site,
  type TestResult,
  type Verdict,
} from '../report.js';
import { formatSize } from '../size.js';

export interface Findings {
  /** Confirmed leaks, and suspects that could not be confirmed; largest first. */
  leaks: TestResult[];
  /** Kept memory the first time they ran alone only: one-time costs, not leaks. Largest first. */
  warmUps: TestResult[];
  /** Over the limit in the suite, next to nothing alone. Largest first. */
  noise: TestResult[];
  /** Runs alone that disagreed (kept, then freed), even after more runs: not leaks, shown with their figures. */
  unstable: TestResult[];
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
    unstable: withVerdict('unstable'),
    ignored: withVerdict('ignored'),
    incomplete: report.incomplete,
  };
}

/**
 * "3 of 27 tests leaked more than 10.0 MB" or "no test leaked more than 10.0 MB", with the counts that matter. A run
 * that measured nothing or only part of what ran says so first: it is never a clean pass. `died` and `missing` name,
 * as the caller shows names, a test whose process died and a merged report's shards that left no report.
 */
export function headline(
  report: Report,
  findings: Findings,
  { died, shards }: { died?: string | undefined; shards?: string | undefined } = {},
): string {
  const limit = formatSize(report.limit);
  const measured = report.coverage.measured;
  const { coverage } = report;
  const cancelled = !report.cancelled
    ? ''
    : report.shards === undefined
      ? 'cancelled; '
      : `${plural(report.shards.filter((shard) => shard.cancelled).length, 'shard')} cancelled; `;
  if (measuredNothing(report)) {
    const why =
      report.exitCode === 0 || report.shards !== undefined ? '' : ` (the test command exited with ${report.exitCode})`;
    return [cancelled + `nothing was measured${why}: no test has a figure, so no leak could be found`, shards]
      .filter(Boolean)
      .join('; ');
  }
  const inShards = report.shards === undefined ? '' : ` in ${plural(report.shards.length, 'shard')}`;
  const partial = coverage.unmeasured > 0 || coverage.unsupported.length > 0;
  // With shards missing, no leak among the tests measured is not "no test leaked".
  const of = partial
    ? `measured ${measured} of ${coverage.collected ?? measured + coverage.unmeasured} tests${inShards}`
    : (report.missingShards?.length ?? 0) > 0 && findings.leaks.length === 0
      ? `measured ${plural(measured, 'test')}${inShards}`
      : '';
  const verdict =
    findings.leaks.length === 0
      ? of
        ? `${of}; none of them leaked more than ${limit}`
        : `no test leaked more than ${limit} (${plural(measured, 'test')} measured${inShards})`
      : `${findings.leaks.length} of ${plural(measured, 'test')}${of ? '' : inShards} leaked more than ${limit}${of ? ` (${of})` : ''}`;
  const withPeak = report.peak === null ? verdict : `${verdict}, peak RSS ${formatSize(report.peak)}`;
  const newLeaks = report.comparison?.new.length;
  // In order of importance: new leaks, a test whose process died, shards missing or failed, the rest.
  const first = [
    newLeaks === undefined ? '' : `${plural(newLeaks, 'new leak')} since the base`,
    died ?? '',
    shards ?? '',
  ];
  return cancelled + [...first.filter(Boolean), withPeak].join('; ');
}

/**
 * A merged report's shards that need a look, each label as `name` shows it: "1 of 3 shards left no report: 3; 1 shard
 * failed: 2 (exit 1)". Undefined when there are none (or the report is not merged).
 */
export function shardsHeadline(report: Report, name: (label: string) => string): string | undefined {
  const missing = report.missingShards ?? [];
  const failed = (report.shards ?? []).filter((shard) => shard.exitCode !== 0 && !shard.cancelled);
  const all = missing.length + (report.shards?.length ?? 0);
  const listed = (labels: string[]): string =>
    labels.slice(0, 5).join(', ') + (labels.length > 5 ? ` and ${labels.length - 5} more` : '');
  const parts = [
    missing.length === 0
      ? ''
      : `${missing.length} of ${plural(all, 'shard')} left no report: ${listed(missing.map((shard) => name(shard.label)))}`,
    failed.length === 0
      ? ''
      : `${plural(failed.length, 'shard')} failed: ${listed(failed.map((shard) => `${name(shard.label)} (exit ${shard.exitCode})`))}`,
  ].filter(Boolean);
  return parts.length === 0 ? undefined : parts.join('; ');
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
  const heap = heapText(test);
  if (heap !== undefined) parts.push(heap);
  return parts.join('; ');
}

/** "JS heap 1.2 MB, external 30.0 MB", for Node runners; undefined for pytest. */
export function heapText(test: TestResult): string | undefined {
  if (test.measures !== 'heap') return undefined;
  const { heap, external } = heapSplit(test);
  return `JS heap ${formatSize(heap)}, external ${formatSize(external)}`;
}

/** Runs alone that agree kept within this share of what a leak keeps per run, each of them. */
const AGREEING_SPREAD = 0.1;

/**
 * How most leaks were confirmed, said once above them: the number of runs alone that every confirmed leak with that
 * many runs agreeing had. Undefined when no leak was confirmed.
 */
export function usualConfirmation(leaks: readonly TestResult[]): number | undefined {
  const counts = new Map<number, number>();
  for (const test of leaks) {
    if (agreeingRuns(test) !== undefined) {
      const runs = test.confirmation?.runs.length ?? 0;
      counts.set(runs, (counts.get(runs) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/** A confirmed leak's runs alone, when each kept about what it keeps per run. */
function agreeingRuns(test: TestResult): number | undefined {
  const perRun = test.confirmation?.perRun;
  if (perRun == null) return undefined;
  const deltas = test.confirmation?.runs.map((run) => run.delta) ?? [];
  const spread = Math.max(...deltas) - Math.min(...deltas);
  return spread <= AGREEING_SPREAD * perRun ? deltas.length : undefined;
}

/**
 * What a leak's own row says of its confirmation, where it is not the usual (`usual` runs alone agreeing): its runs
 * alone when they disagree or were more, why it could not be confirmed. Undefined when it is the usual.
 */
export function unusualConfirmation(test: TestResult, usual: number | undefined): string | undefined {
  const confirmation = test.confirmation;
  if (confirmation === null) return undefined;
  if (confirmation.perRun == null)
    return confirmation.problem === null ? undefined : `not confirmed: ${confirmation.problem}`;
  return agreeingRuns(test) === usual ? undefined : runsAlone(test);
}

/** "src/shop/session.py:41 in open_session (28.7 MB, 2,810 blocks)" */
export function siteText(site: Site, measures: TestResult['measures']): string {
  return `${location(site)} ${siteSummary(site, measures)}`;
}

/** "in open_session (28.7 MB, 2,810 blocks)": pytest counts memory blocks, Node runners objects. */
export function siteSummary(site: Site, measures: TestResult['measures']): string {
  const unit = measures === 'rss' ? 'block' : 'object';
  const count = `${site.count.toLocaleString('en-US')} ${site.count === 1 ? unit : `${unit}s`}`;
  return `in ${site.function} (${formatSize(site.size)}, ${count})`;
}

/**
 * What of a leak no site explains, when it is a tenth of what it keeps or more: "26.0 MB kept outside Python's
 * allocator: a C extension or native library".
 */
export function unattributedText(test: TestResult): string | undefined {
  const { unattributed } = test;
  if (unattributed === null || unattributed.bytes < keptSize(test) / 10) return undefined;
  const where = {
    native: "outside Python's allocator: a C extension or native library",
    external: 'outside the JavaScript heap: Buffers, ArrayBuffers or a native addon',
    unknown: 'that the tracer could not place',
  }[unattributed.kind];
  return `${formatSize(unattributed.bytes)} kept ${where}`;
}

/**
 * Where a Node test's kept memory went: per run alone where confirming told (the median of each part over the runs
 * after the first, as for what it keeps), else in the suite.
 */
function heapSplit(test: TestResult): { heap: number; external: number } {
  const later = test.confirmation?.perRun != null ? test.confirmation.runs.slice(1) : [];
  const heaps = later.flatMap((run) => run.heapDelta ?? []);
  const externals = later.flatMap((run) => run.externalDelta ?? []);
  if (later.length === 0 || heaps.length < later.length || externals.length < later.length) {
    return { heap: test.heapDelta ?? 0, external: test.externalDelta ?? 0 };
  }
  return { heap: median(heaps), external: median(externals) };
}

/**
 * What a warm-up cost: what its first run alone kept, which is what "warmed up" means. Its suite figure can be
 * anything (negative, when an earlier test's memory was freed on its watch), so it is not shown as its size.
 */
export function warmUpSize(test: TestResult): number {
  return test.confirmation?.runs[0]?.delta ?? test.delta;
}

/** "3 runs alone kept 30.1 MB, 30.0 MB, 30.0 MB" */
export function runsAlone(test: TestResult): string {
  const runs = test.confirmation?.runs ?? [];
  return `${plural(runs.length, 'run')} alone kept ${runs.map((run) => formatSize(run.delta)).join(', ')}`;
}

export function location(test: { file: string; line: number | null }): string {
  return test.line === null ? test.file : `${test.file}:${test.line}`;
}

/** The tests of this run that `keys` name (a comparison's lists, see testKey), in their order. */
export function testsNamed(report: Report, keys: readonly string[]): TestResult[] {
  const tests = new Map(report.tests.map((test) => [testKey(test), test]));
  return keys.flatMap((key) => tests.get(key) ?? []);
}

/** "1 new leak, 1 fixed, 2 regressed; 3 tests added, 1 removed" */
export function changeSummary(comparison: Comparison): string {
  const leaks = [
    comparison.new.length === 0 ? 'no new leak' : plural(comparison.new.length, 'new leak'),
    `${comparison.fixed.length} fixed`,
    `${comparison.regressed.length} regressed`,
  ];
  const tests = `${plural(comparison.added.length, 'test')} added, ${comparison.removed.length} removed`;
  return `${leaks.join(', ')}; ${tests}`;
}

/** "commit 1a2b3c4 (run 42)" or "report.json" */
export function baseName(base: BaseSource): string {
  if (base.file !== null) return base.file;
  const run = base.runId === null ? '' : ` (run ${base.runId})`;
  return `commit ${(base.commit ?? 'unknown').slice(0, 7)}${run}`;
}

/** "812.0 MB, 790.0 MB in the base": the run's peak beside the base's, where both are known. */
export function peakChange(comparison: Comparison): string | undefined {
  const { base, current } = comparison.peak;
  if (base === null || current === null) return undefined;
  return `peak RSS ${formatSize(current)}, ${formatSize(base)} in the base`;
}

/**
 * What is known of a test its process died in: the last half-second sample of its process, and when it was taken.
 * The process may have grown after it, so the figure is said to be a sample, never what the test allocated.
 */
export function diedDetail(test: IncompleteTest): string {
  const when = test.lastSeenAt === null ? '' : ` ${test.lastSeenAt.toFixed(1)} s into the run`;
  return (
    `its process's last memory sample${when} read ${formatSize(test.lastSeen)}, ` +
    `${formatSize(test.lastSeen - test.before)} more than at the test's start (sampled every 0.5 s: it may have grown after)`
  );
}

/** Cases of one test: its parametrized ids (pytest's `test_x[...]`), or titles alike but for their numbers. */
export interface CaseGroup {
  /** What the cases share: `tests/t.py::test_x[…]`, or the titles with `…` for their numbers. */
  label: string;
  /** Largest first. */
  tests: TestResult[];
}

/** Fewer titles alike but for their numbers than this stay apart: two may be two tests. */
const LEAST_NUMBERED_CASES = 3;

/**
 * The tests grouped by the test they are cases of, each group where its largest test was in `tests` (largest first);
 * a test with no other case is a group of one.
 */
export function groupCases(tests: readonly TestResult[]): CaseGroup[] {
  const numbered = new Map<string, number>();
  for (const test of tests) {
    const key = numberedKey(test.id);
    if (parametrizedKey(test.id) === undefined && key !== undefined) numbered.set(key, (numbered.get(key) ?? 0) + 1);
  }
  const keyOf = (id: string): string => {
    const numberedCase = numberedKey(id);
    const alike = numberedCase === undefined ? 0 : (numbered.get(numberedCase) ?? 0);
    return parametrizedKey(id) ?? (alike >= LEAST_NUMBERED_CASES && numberedCase !== undefined ? numberedCase : id);
  };
  const groups = new Map<string, CaseGroup>();
  for (const test of tests) {
    const key = keyOf(test.id);
    const group = groups.get(key) ?? { label: key, tests: [] };
    group.tests.push(test);
    groups.set(key, group);
  }
  // A parametrized test with one case leaking is that case.
  return [...groups.values()].map((group) =>
    group.tests.length === 1 ? { label: group.tests[0]?.id ?? group.label, tests: group.tests } : group,
  );
}

/** pytest's `path.py::test_x[params]`: `path.py::test_x[…]` (no name in a node id before its parameters has a `[`). */
function parametrizedKey(id: string): string | undefined {
  const names = id.indexOf('::');
  const bracket = names < 0 ? -1 : id.indexOf('[', names);
  return bracket < 0 || !id.endsWith(']') ? undefined : `${id.slice(0, bracket)}[…]`;
}

/**
 * A Node runner's id (`file > title`) with `…` for each number of its last title: `adds 1 and 2` and `adds 3 and 4`
 * are cases of `adds … and …`. None for pytest's ids, whose tests are functions: `test_1` and `test_2` are two.
 */
function numberedKey(id: string): string | undefined {
  const last = id.lastIndexOf(' > ');
  if (last < 0) return undefined;
  return id.slice(0, last + 3) + id.slice(last + 3).replace(/\d+(?:\.\d+)?/g, '…');
}

/** The leaks of one file past its first few, in one row of their own. */
export interface FileFold {
  file: string;
  /** Largest first. */
  groups: CaseGroup[];
}

/** A file with more rows of leaks than this is crowded: its first rows stay, the rest fold into one. */
const CROWDED_FILE_ROWS = 8;
const FILE_ROWS_SHOWN = 5;

/**
 * Rows of leaks (largest first) with each crowded file's rows past its first few folded into one, where the largest
 * of them would have been: a file of 40 leaks shows its 5 largest and a row for the 35 others.
 */
export function foldCrowdedFiles(groups: readonly CaseGroup[]): (CaseGroup | FileFold)[] {
  const fileOf = (group: CaseGroup): string => group.tests[0]?.file ?? '';
  const rowsOfFile = new Map<string, number>();
  for (const group of groups) rowsOfFile.set(fileOf(group), (rowsOfFile.get(fileOf(group)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const folds = new Map<string, FileFold>();
  const rows: (CaseGroup | FileFold)[] = [];
  for (const group of groups) {
    const file = fileOf(group);
    const index = seen.get(file) ?? 0;
    seen.set(file, index + 1);
    if ((rowsOfFile.get(file) ?? 0) <= CROWDED_FILE_ROWS || index < FILE_ROWS_SHOWN) {
      rows.push(group);
      continue;
    }
    const fold = folds.get(file);
    if (fold !== undefined) {
      fold.groups.push(group);
      continue;
    }
    const created = { file, groups: [group] };
    folds.set(file, created);
    rows.push(created);
  }
  return rows;
}
