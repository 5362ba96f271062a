/**
 * What every Node runner's hook shares: reading what a test keeps, and writing it down as it happens.
 *
 * A test's figure is the JavaScript heap plus external memory (Buffers, ArrayBuffers) it kept, read before its first
 * beforeEach hook and after its last afterEach hook, after garbage collection: a cheap one for every test, a full one
 * where it could change the verdict (see #glance and #settle). Resident memory is recorded beside it where it means
 * something: not in worker threads, which share their process's RSS with each other.
 *
 * Records go to one JSON-lines file per process and thread in LEAKWATCH_DIR (see src/records.ts), one line per event,
 * written at once so that a killed worker loses nothing that finished. Nothing here may change a test's outcome: a
 * failure to measure or to write is recorded once, if it can be, and measuring stops.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';

export interface TestIdentity {
  /** Describe blocks, then the test's title. */
  titles: string[];
  /** Absolute. */
  file: string;
  /** 1-based, or null when the runner does not tell; leakwatch then looks for the title in the file. */
  line: number | null;
}

interface Reading {
  kept: number;
  heap: number;
  external: number;
  rss: number;
}

export interface StartOptions {
  /** The runner runs it alongside others, so its figure would not be its own. */
  concurrent?: boolean;
  /** 0 for the first run; a retry of a failed test counts up, and replaces the earlier attempts in the report. */
  attempt?: number;
}

interface RunningTest {
  identity: TestIdentity;
  attempt: number;
  before: Reading;
  startedAt: number;
  /** Another test ran at the same time in this isolate, so neither figure is the test's own. */
  overlapped: boolean;
  /** For a subtest: the test it runs inside, which is not charged for what its subtests keep. */
  parent: RunningTest | undefined;
  keptBySubtests: Reading;
}

/** V8's `gc`: a full collection by default. */
type CollectGarbage = (options?: { type: 'major' | 'minor' }) => void;

const NOTHING: Reading = { kept: 0, heap: 0, external: 0, rss: 0 };

export class Recorder {
  readonly #running = new Map<object, RunningTest>();
  readonly #collectGarbage: CollectGarbage | undefined;
  readonly #header: Record<string, unknown>;
  readonly #directory = process.env.LEAKWATCH_DIR;
  /** A test keeping more than this (LEAKWATCH_LIMIT) leaks. */
  readonly #limit = Number(process.env.LEAKWATCH_LIMIT) || 10_000_000;
  /**
   * How much the cheap readings grew since the last full collection: an upper bound on the garbage that full
   * collection would free, which a cheap reading before a test counts as memory the test may later seem to free.
   */
  #growthSinceSettled = Number.POSITIVE_INFINITY;
  #testsSinceSettled = 0;
  #fd: number | undefined;
  /** Nothing more is measured: leakwatch is not running this process, or measuring failed. */
  #broken = this.#directory === undefined;

  constructor(runner: string, runnerVersion: string, worker: string | null) {
    this.#header = {
      type: 'process',
      runner,
      runnerVersion,
      pid: process.pid,
      worker,
      rootdir: process.cwd(),
      platform: process.platform,
      measures: 'heap',
      sharedProcess: !isMainThread,
    };
    try {
      this.#collectGarbage = garbageCollector();
    } catch (error) {
      this.#header.error = String(error);
    }
  }

  /** Call before the test's first beforeEach hook. `key` is the runner's own object for the test. */
  start(key: object, identity: TestIdentity, options: StartOptions = {}): void {
    if (this.#broken) return;
    // A test runner that a test starts (a tool's own test suite, say) is not leakwatch's to measure.
    delete process.env.LEAKWATCH_DIR;
    this.#guard(() => {
      if (this.#collectGarbage === undefined) {
        this.#broken = true;
        this.#write({ type: 'not-run' }); // writes the header, which says why nothing is measured
        return;
      }
      // A running test that this one is not a subtest of runs at the same time as it.
      const running = [...this.#running.values()];
      const others = running.filter((test) => !isWithin(identity, test.identity));
      for (const test of others) test.overlapped = true;
      const before = this.#mayHoldGarbage() ? this.#settle() : this.#glance();
      this.#running.set(key, {
        identity,
        attempt: options.attempt ?? 0,
        before,
        startedAt: performance.now(),
        overlapped: options.concurrent === true || others.length > 0,
        parent: running.reverse().find((test) => isWithin(identity, test.identity)),
        keptBySubtests: NOTHING,
      });
      this.#write({
        type: 'start',
        id: identity.titles.join(' > '),
        ...identity,
        before: before.kept,
        rss: before.rss,
      });
    });
  }

  /** Call after the test's last afterEach hook. */
  finish(key: object, outcome: string): void {
    const test = this.#running.get(key);
    if (test === undefined || this.#broken) return;
    this.#running.delete(key);
    this.#guard(() => {
      let after = this.#glance();
      let change = subtract(after, test.before);
      if (change.kept > this.#limit / 4) {
        // Perhaps a leak, perhaps garbage that a full collection frees: only this tells.
        after = this.#settle();
        change = subtract(after, test.before);
      } else {
        this.#growthSinceSettled += Math.max(0, change.kept);
        this.#testsSinceSettled += 1;
      }
      const kept = subtract(change, test.keptBySubtests);
      // All of it, its own subtests' too, happened inside the test it runs in.
      if (test.parent) test.parent.keptBySubtests = add(test.parent.keptBySubtests, change);
      this.#write({
        type: 'test',
        id: test.identity.titles.join(' > '),
        ...test.identity,
        before: test.before.kept,
        after: after.kept,
        delta: kept.kept,
        heapDelta: kept.heap,
        externalDelta: kept.external,
        rssDelta: isMainThread ? kept.rss : null,
        peak: null,
        allocatedBlocks: null,
        duration: (performance.now() - test.startedAt) / 1000,
        outcome,
        ...(test.overlapped ? { overlapped: true } : {}),
        ...(test.attempt > 0 ? { attempt: test.attempt } : {}),
      });
    });
  }

  /** Forgets a test that was started but will not run (a runner that announces skipped tests too). */
  forget(key: object): void {
    const test = this.#running.get(key);
    if (test === undefined) return;
    this.#running.delete(key);
    this.#guard(() => {
      this.#write({ type: 'not-run', id: test.identity.titles.join(' > '), ...test.identity });
    });
  }

  /**
   * Garbage that a test's start reading counts could hide what the test keeps: the start is settled first when the
   * cheap readings grew by more than a twentieth of the limit since the last full collection, and every 50 tests
   * for garbage that no reading shows (memory freed between tests stays in old-generation garbage).
   */
  #mayHoldGarbage(): boolean {
    return this.#growthSinceSettled > this.#limit / 20 || this.#testsSinceSettled >= 50;
  }

  /**
   * A cheap reading, after a young-generation collection (a tenth of a millisecond): it frees a test's short-lived
   * objects and Buffers, and counts old-generation garbage as kept. So it never shows less than a test kept (give or
   * take the little garbage a settled start allows): a test it shows under a quarter of the limit did not leak, and
   * its figure stands; any other is read again after a full collection.
   */
  #glance(): Reading {
    this.#collectGarbage?.({ type: 'minor' });
    return this.#readUsage();
  }

  /** A settled reading, after a full collection: milliseconds, and more on a large heap. */
  #settle(): Reading {
    // A full collection finds dead ArrayBuffers, but releases their memory (Buffers') only once the sweeping it
    // started is done, which the next collection, even a cheap young-generation one, waits for.
    this.#collectGarbage?.();
    this.#collectGarbage?.({ type: 'minor' });
    this.#growthSinceSettled = 0;
    this.#testsSinceSettled = 0;
    return this.#readUsage();
  }

  #readUsage(): Reading {
    const usage = process.memoryUsage();
    return { kept: usage.heapUsed + usage.external, heap: usage.heapUsed, external: usage.external, rss: usage.rss };
  }

  #write(record: Record<string, unknown>): void {
    if (this.#fd === undefined) {
      this.#fd = openSync(`${this.#directory ?? ''}/node-${process.pid}-${threadId}-${Date.now()}.jsonl`, 'a');
      this.#append(this.#header);
      process.on('exit', () => {
        this.#guard(() => {
          this.#append({ type: 'end' });
        });
        if (this.#fd !== undefined) closeSync(this.#fd);
      });
    }
    this.#append(record);
  }

  #append(record: Record<string, unknown>): void {
    if (this.#fd !== undefined) writeSync(this.#fd, JSON.stringify(record) + '\n');
  }

  /** Measuring must never break the run: the first failure is written down, if it can be, and measuring stops. */
  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#broken = true;
      try {
        this.#write({ type: 'error', error: String(error) });
      } catch {
        // Nowhere left to say it; the report will show this process's tests as missing.
      }
    }
  }
}

/** `inner` is a subtest of `outer`: same file, and its titles continue outer's. */
function isWithin(inner: TestIdentity, outer: TestIdentity): boolean {
  return (
    inner.file === outer.file &&
    inner.titles.length > outer.titles.length &&
    outer.titles.every((title, index) => inner.titles[index] === title)
  );
}

function subtract(a: Reading, b: Reading): Reading {
  return { kept: a.kept - b.kept, heap: a.heap - b.heap, external: a.external - b.external, rss: a.rss - b.rss };
}

function add(a: Reading, b: Reading): Reading {
  return { kept: a.kept + b.kept, heap: a.heap + b.heap, external: a.external + b.external, rss: a.rss + b.rss };
}

/**
 * A full garbage collection, without exposing `gc` to the tests: the flag is on only while a fresh context picks the
 * function up. Threads share V8's flags, so another thread may switch it off in between; that is tried again.
 */
function garbageCollector(): CollectGarbage {
  // Started with --expose-gc: the tests have it anyway, and the flag stays on.
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as CollectGarbage;
  for (let attempt = 0; attempt < 5; attempt++) {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
    v8.setFlagsFromString('--no-expose-gc');
    if (typeof gc === 'function') return gc as CollectGarbage;
  }
  throw new Error('leakwatch could not reach V8 garbage collection in this process');
}

/** The version in a package's package.json, for the report. */
export function packageVersion(packageDirectory: string): string {
  try {
    const { version } = JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
