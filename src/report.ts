/**
 * The JSON report: what leakwatch found, for people and for dashboards. Its shape is versioned; docs/report.md
 * documents every field, and docs/report.schema.json describes it (the tests validate real reports against it).
 * Sizes are in bytes, durations in seconds.
 */

export const REPORT_VERSION = 2;

export interface Report {
  version: typeof REPORT_VERSION;
  tool: { name: 'leakwatch'; version: string };
  command: string;
  /** The runner that reported tests, e.g. `pytest`; `auto` when none did. */
  runner: string;
  limit: number;
  /** How many times each suspect (a test over the limit) was run again alone, in a new start of the command; 0: never. */
  confirmRuns: number;
  exitCode: number;
  /** The highest resident memory of the command's whole process tree at once; null when never sampled. */
  peak: number | null;
  /** Every test measured, by id. */
  tests: TestResult[];
  /** Tests that started and never finished: their process died in them. */
  incomplete: IncompleteTest[];
  /** Tests that ran but could not be measured on their own: they ran alongside others (`test.concurrent`). */
  unmeasured: UnmeasuredTest[];
  /** What leakwatch could not do, in words for people. */
  warnings: string[];
  /** How much of the run was measured: a run that measured less than it ran is never a clean pass. */
  coverage: Coverage;
  /** The job was cancelled (or the CLI interrupted): the command was stopped and suspects were not confirmed. */
  cancelled: boolean;
  /** What changed since the base's report (a pull request's base branch, or a file given); null when not compared. */
  comparison: Comparison | null;
  /** Why there is no comparison though one was asked for: no base report found, say. Null otherwise. */
  baselineProblem: string | null;
  /** A shard's report (`publish: merge-later`): which job of the matrix made it. Absent from other reports. */
  shard?: ShardOrigin;
  /** A merged report (`merge: true`, `leakwatch merge`): each shard that reported, in label order. Absent otherwise. */
  shards?: ShardSummary[];
  /** A merged report: each shard expected that left no report, or whose report was refused. Absent otherwise. */
  missingShards?: MissingShard[];
}

/** Where a shard's report was made, for the merge step to tell the shards apart and check them. */
export interface ShardOrigin {
  /** The shard's name among the report's shards: the `shard` input, else the matrix values or the job's id. */
  label: string;
  /** The `report-name` it is a shard of. */
  reportName: string;
  /** The commit its tests ran on: a pull request's head, else the commit the run is for. */
  commit: string;
  /** The workflow run and the job (its id in the workflow, GITHUB_JOB) that made it. */
  runId: number;
  job: string;
  /** The job's matrix values; null outside a matrix. */
  matrix: Record<string, unknown> | null;
  /** The job's place in its matrix, from 0, and the matrix's number of jobs (strategy.job-index, job-total). */
  jobIndex: number | null;
  jobTotal: number | null;
}

/** One shard of a merged report: what its run was, and what it found. */
export interface ShardSummary {
  label: string;
  command: string;
  runner: string;
  limit: number;
  confirmRuns: number;
  exitCode: number;
  cancelled: boolean;
  peak: number | null;
  /** Tests measured, tests that leaked, tests without a figure, tests its processes died in. */
  tests: number;
  leaks: number;
  unmeasured: number;
  incomplete: number;
  /** From its report's `shard`, where it had one (reports of `publish: merge-later`); null otherwise. */
  commit: string | null;
  job: string | null;
}

/** A shard expected that left no report (its job was cancelled or killed), or whose report was refused. */
export interface MissingShard {
  /** Its label where known; else what names it: its job's name, or its place in its matrix. */
  label: string;
  /** Why it is missing, in words for people. */
  why: string;
}

export interface Coverage {
  /** Tests the runner said it would run (pytest's collection, each test file's tests); null when none said. */
  collected: number | null;
  /** Tests with a figure. */
  measured: number;
  /** Tests that ran, or were to run, without a figure: collected less measured, or counted by the preloads. */
  unmeasured: number;
  /** Why tests went unmeasured, in words for people, each once. */
  reasons: string[];
  /** Runner versions that leakwatch cannot measure, in words that say which are supported. */
  unsupported: string[];
}

/** Nothing was measured: never to be shown as a clean pass. */
export function measuredNothing(report: Pick<Report, 'coverage'>): boolean {
  return report.coverage.measured === 0;
}

export interface Comparison {
  /** Where the base report came from: a workflow run's artifact on the base branch, or a file. */
  base: BaseSource;
  /** Ids of tests that leak now and did not leak in the base (or were not in it). */
  new: string[];
  /** Ids of tests that leaked in the base and do not now. */
  fixed: string[];
  /** Ids of tests, not new leaks, that keep more than in the base by more than the `regression` threshold. */
  regressed: string[];
  /** Ids of tests that are not in the base. */
  added: string[];
  /** Ids of tests of the base that did not run now. */
  removed: string[];
  /** The highest resident memory of each run's process tree. */
  peak: { base: number | null; current: number | null };
  /** What the base's test kept (per run alone where confirmed), for each test of `new`, `fixed` and `regressed`. */
  baseKept: Record<string, number>;
}

export interface BaseSource {
  /** The base commit the report was made on, and the workflow run that made it; null for a file. */
  commit: string | null;
  runId: number | null;
  /** The report file given as `baseline`; null for a workflow run's. */
  file: string | null;
}

/**
 * How a comparison's lists name a test: its id, and in a merged report the shard that ran it too, since the same id
 * may run in several (an OS matrix): `tests/t.py::test_x [shard ubuntu-latest]`.
 */
export function testKey(test: { id: string; shard?: string | undefined }): string {
  return test.shard === undefined ? test.id : `${test.id} [shard ${test.shard}]`;
}

/** What a test keeps: per run alone where confirming told, else what it kept in the suite. */
export function keptSize(test: { delta: number; confirmation: Pick<Confirmation, 'perRun'> | null }): number {
  return test.confirmation?.perRun ?? test.delta;
}

export interface TestResult {
  /** The runner's own id, e.g. pytest's node id; for Node runners, the file, describe blocks and title. */
  id: string;
  /** Node runners: the describe blocks, then the test's title; null for pytest. */
  titles: string[] | null;
  /** Relative to the directory leakwatch ran in (the workspace in Actions), with forward slashes. */
  file: string;
  /** 1-based, or null. */
  line: number | null;
  /** The process that ran it: an xdist worker id such as `gw0`, or `main`. */
  worker: string;
  /** Its place among the tests its process ran, from 0 (absent in reports before leakwatch wrote it). */
  order?: number;
  /** In a merged report: the label of the shard that ran it. The same id may run in several (an OS matrix). */
  shard?: string;
  /**
   * What `before`, `after` and `delta` count. `rss`: resident memory, settled (garbage collected, heap trimmed), as
   * for pytest. `heap`: the JavaScript heap plus external memory (Buffers, ArrayBuffers) after a full garbage
   * collection, as for Node runners.
   */
  measures: 'rss' | 'heap';
  /** Memory before the test's setup and after its teardown. */
  before: number;
  after: number;
  /** Memory the test kept: after − before, less what fixtures of wider scope (or subtests) took on its watch. */
  delta: number;
  /** Node runners: the JavaScript heap's and external memory's parts of `delta`; null for pytest. */
  heapDelta: number | null;
  externalDelta: number | null;
  /**
   * The change in resident memory, a footprint rather than what was kept (V8 keeps freed pages); null where it is
   * not the test's own, as in worker threads, which share their process's.
   */
  rssDelta: number | null;
  /** The highest resident memory while it ran, where the platform tells (Linux). */
  peak: number | null;
  /** Not counted in the suite (it costs a walk of Python's heap per test): see `confirmation.runs`. Always null. */
  allocatedBlocks: number | null;
  duration: number;
  /** As the runner counts it: passed, failed, error, skipped, xfailed, xpassed; unknown when it ended uncounted. */
  outcome: string;
  /**
   * `leak`: kept more than the limit, and kept it again on each run alone (or was not confirmed, see `verdict`).
   * `warm-up`: kept memory the first time it ran alone only (a cache filled once, a lazy import): not a leak.
   * `noise`: over the limit in the suite, but kept next to nothing when run alone.
   * `unconfirmed`: over the limit, and could not be run again alone; its figure stands, as a leak.
   * `unstable`: its runs alone disagreed (in sign, or spread wider than the limit) even after more runs: not a leak,
   * shown apart with its figures, never failing the build.
   * `ignored`: over the limit, but matched by `ignore`. `ok`: within the limit.
   */
  verdict: Verdict;
  /** The verdict is `leak` or `unconfirmed`: it fails the build when `fail-on-leak` says so. */
  leaked: boolean;
  /** Matched an `ignore` glob. */
  ignored: boolean;
  /**
   * Garbage from before it could have hidden part of what it kept (pytest: Python collected while it ran after
   * unsettled figures; Node runners: V8 collected, or far more memory was freed than it could have held, such as the
   * last test file's module state), so it is run again alone, like a suspect.
   */
  disturbed: boolean;
  /**
   * Its figure is near or over the limit, and no full garbage collection fitted in the time at its end (leakwatch
   * keeps its own to a small share of the run): garbage may make up part of it. Over the limit, it is a suspect like
   * any other, and its runs alone tell.
   */
  unsettled: boolean;
  /** How the test did when run again alone; null when it was not a suspect or confirming was off. */
  confirmation: Confirmation | null;
  /**
   * A leak confirmed alone, with its allocations traced there: where what it keeps per run was allocated, largest
   * first (the median of the runs after the first), at most MAX_REPORTED_SITES. Empty for every other test.
   */
  sites: Site[];
  /** Of what it keeps per run, what no site explains, and what kind of memory that is; null when not traced. */
  unattributed: Unattributed | null;
}

/** A line of code: relative to the directory leakwatch ran in, or absolute outside it. */
export interface Frame {
  file: string;
  line: number;
  /** The function (or class) around the line, as `Class.method`; `<module>` at a file's top level. */
  function: string;
}

/** Where memory a leak keeps was allocated: the innermost frame in the project's own code, and the stack from it. */
export interface Site extends Frame {
  /** Bytes it keeps per run, and the blocks (pytest) or objects (Node) they are in. */
  size: number;
  count: number;
  /** From the site outwards, up to 8 frames. */
  stack: Frame[];
}

export interface Unattributed {
  bytes: number;
  /**
   * `native`: resident memory outside Python's allocator (a C extension or native library); `external`: Node's memory
   * outside the JavaScript heap (Buffers, ArrayBuffers); `unknown`: the tracer saw it but could not place it.
   */
  kind: 'native' | 'external' | 'unknown';
}

export const MAX_REPORTED_SITES = 5;

export type Verdict = 'leak' | 'warm-up' | 'noise' | 'unstable' | 'unconfirmed' | 'ignored' | 'ok';

export interface Confirmation {
  /**
   * Each run alone, in order (all of them in one process, after the runs of the suspects before it): what it kept, how it ended, and for pytest the change in Python's
   * allocated memory blocks (near 0 with a large delta points at native memory; null for Node runners), and for Node
   * runners the JavaScript heap's and external memory's parts of what it kept (null for pytest; absent in reports
   * before leakwatch wrote them).
   */
  runs: {
    delta: number;
    outcome: string;
    allocatedBlocks: number | null;
    heapDelta?: number | null;
    externalDelta?: number | null;
  }[];
  /** What it keeps per run: the median of the runs after the first (the first may warm up); null if it never got that far. */
  perRun: number | null;
  /** Why it could not be told (verdict `unconfirmed`); null otherwise. */
  problem: string | null;
}

export interface UnmeasuredTest {
  id: string;
  file: string;
  line: number | null;
  worker: string;
  outcome: string;
  /** In a merged report: the shard that ran it. */
  shard?: string;
}

export interface IncompleteTest {
  id: string;
  file: string;
  line: number | null;
  worker: string;
  /** In a merged report: the shard that ran it. */
  shard?: string;
  pid: number;
  /** Resident memory when it started. */
  before: number;
  /**
   * The last resident memory seen of its process before it died: leakwatch samples every half second, so the process
   * may have grown more after it.
   */
  lastSeen: number;
  /** When that sample was taken, in seconds since the command started; null when it was never sampled. */
  lastSeenAt: number | null;
}
