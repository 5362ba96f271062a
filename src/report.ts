/**
 * The JSON report: what leakwatch found, for people and for dashboards. Its shape is versioned; README.md documents
 * every field. Sizes are in bytes, durations in seconds.
 */

export const REPORT_VERSION = 1;

export interface Report {
  version: typeof REPORT_VERSION;
  tool: { name: 'leakwatch'; version: string };
  command: string;
  /** The runner that reported tests, e.g. `pytest`; `auto` when none did. */
  runner: string;
  limit: number;
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
}

export interface TestResult {
  /** The runner's own id, e.g. pytest's node id. */
  id: string;
  /** Relative to the directory leakwatch ran in (the workspace in Actions), with forward slashes. */
  file: string;
  /** 1-based, or null. */
  line: number | null;
  /** The process that ran it: an xdist worker id such as `gw0`, or `main`. */
  worker: string;
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
  /** Change in the number of Python objects' memory blocks: near 0 with a large delta points at native memory. */
  allocatedBlocks: number | null;
  duration: number;
  /** As the runner counts it: passed, failed, error, skipped, xfailed, xpassed. */
  outcome: string;
  /** Kept more than the limit, and was not cleared by a second run or by `ignore`. */
  leaked: boolean;
  /** Matched an `ignore` glob. */
  ignored: boolean;
  /** What a second run of a test over the limit kept; it tells a leak from a one-time cost. */
  repeat: Repeat | null;
}

export type Repeat =
  | { status: 'kept-again'; delta: number; outcome: string }
  | { status: 'kept-once'; delta: number; outcome: string }
  /** Not run again, or its second run ended differently: the first figure stands. */
  | { status: 'inconclusive'; reason: string };

export interface UnmeasuredTest {
  id: string;
  file: string;
  line: number | null;
  worker: string;
  outcome: string;
}

export interface IncompleteTest {
  id: string;
  file: string;
  line: number | null;
  worker: string;
  pid: number;
  /** Resident memory when it started. */
  before: number;
  /** The last resident memory seen of its process, before it died. */
  lastSeen: number;
}
