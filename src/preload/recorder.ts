/**
 * What every Node runner's hook shares: reading what a test keeps, and writing it down as it happens.
 *
 * A test's figure is the JavaScript heap plus external memory (Buffers, ArrayBuffers) it kept, read before its first
 * beforeEach hook and after its last afterEach hook. Most readings collect nothing (microseconds); a young collection
 * comes only where young garbage could matter, and a full one where garbage could change the verdict (see finish,
 * #glance and #settle). A figure that garbage from before the test could have hidden (V8's own collections while it
 * ran tell how much) is marked disturbed, and leakwatch runs that test again alone. Resident memory is recorded
 * beside it where it means something: not in worker threads, which share their process's RSS with each other.
 *
 * Records go to one JSON-lines file per process and thread in LEAKWATCH_DIR (see src/records.ts), one line per event,
 * written at once so that a killed worker loses nothing that finished. Nothing here may change a test's outcome: a
 * failure to measure or to write is recorded once, if it can be, and measuring stops.
 */
import { openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
import { onExit } from 'signal-exit';
import { measuredRuns, tracing } from './confirm.js';
import { isWithin } from './nesting.js';
import { RecordsFile } from './records-file.js';
import { Tracer } from './tracer.js';

/** As the preload found it: a test's fake timers must not hold leakwatch's own turn of the event loop. */
const realSetImmediate = setImmediate;

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
  /** The young generation's part of `heap`: at most this much of the reading can be young garbage. */
  young: number;
}

export interface StartOptions {
  /** The runner runs it alongside others, so its figure would not be its own. */
  concurrent?: boolean;
  /** 0 for the first run; a retry of a failed test counts up, and replaces the earlier attempts in the report. */
  attempt?: number;
  /**
   * Finds the test's line where `identity.line` is null and finding it costs (Jest formats a stack): called only for
   * a test that kept enough to be reported. Other tests' lines are found in their file's source afterwards.
   */
  locate?: () => number | null;
}

interface RunningTest {
  identity: TestIdentity;
  attempt: number;
  locate: (() => number | null) | undefined;
  before: Reading;
  startedAt: number;
  /** Another test ran at the same time in this isolate, so neither figure is the test's own. */
  overlapped: boolean;
  /** For a subtest: the test it runs inside, which is not charged for what its subtests keep. */
  parent: RunningTest | undefined;
  keptBySubtests: Reading;
  /** Garbage from before the test's start may be this much at most: it counts as kept at the start. */
  garbageAtStart: number;
  /** Sees the collections V8 runs by itself while the test runs: they may free garbage from before it. */
  collections: GCProfiler | undefined;
}

interface GCProfiler {
  start(): void;
  stop(): { statistics: GCStatistics[] } | undefined;
}

interface GCStatistics {
  gcType: string;
  beforeGC: HeapFigures;
  afterGC: HeapFigures;
}

interface HeapFigures {
  heapStatistics: { usedHeapSize: number; externalMemory?: number };
}

/** V8's `gc`: a full collection by default. */
type CollectGarbage = (options?: { type: 'major' | 'minor' }) => void;

/** leakwatch is running one test again alone, to confirm it. */
const confirming = process.env.LEAKWATCH_CONFIRM !== undefined;
const NOTHING: Reading = { kept: 0, heap: 0, external: 0, rss: 0, young: 0 };
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);
/**
 * A full collection walks the whole heap (tens of milliseconds on a large one): leakwatch's own are kept to this share
 * of the time the process has run, and this many milliseconds more, whatever the heap, the limit and the number of
 * tests near it (see #canSettle).
 */
const COLLECTION_SHARE = 0.025;
const COLLECTION_ALLOWANCE_MS = 50;
/** About how much heap a full collection gets through in a millisecond: 0.7 to 1.6 MB measured on Node 20 and 24. */
const HEAP_COLLECTED_PER_MS = 1_000_000;
/** GCProfiler's names for V8's collections (Node's GetGCTypeName). */
const FULL_COLLECTIONS = new Set(['MarkSweepCompact', 'Unknown']); // Unknown: a combination, counted as the worst
const YOUNG_COLLECTIONS = new Set(['Scavenge', 'MinorMarkSweep', 'MinorMarkCompact']);

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
  /**
   * What the last reading at a test's end (or a full collection) showed. What the runner allocates between tests (Jest
   * transforms and caches files) shows in no test's change, yet may be garbage by the next test: it counts as growth.
   */
  #lastReading: number | undefined;
  #testsSinceSettled = 0;
  /** When the last full collection was, how long it took (ms), and the heap it walked (see #expectedSettleCost). */
  #settledAt = 0;
  #settleCost = 0;
  #heapAtSettle = 0;
  #fullCollections = 0;
  #collectionMs = 0;
  /** With no runs alone to come, the suite's figures are the verdict: every one near the limit is settled. */
  readonly #figuresAreVerdicts = process.env.LEAKWATCH_CONFIRM_RUNS === '0';
  /**
   * Runners free a finished test file's state when the next file starts (Jest its module registry, a Mocha --parallel
   * worker its suite): the first test of each file starts settled. Mocha in one process loads every file at once and
   * frees nothing between them.
   */
  readonly #freesStateBetweenFiles: boolean;
  #glanceAtNextStart = false;
  /** The file of the last test started: a runner frees a finished file's module state as the next file starts. */
  #lastFile: string | undefined;
  #file: RecordsFile | undefined;
  /** When tracing, how many runs of each test were measured, by file and titles: the run after them is traced. */
  readonly #runsMeasured = new Map<string, number>();
  /** The traced run under way, by the runner's object for it. */
  readonly #traced = new Map<object, { identity: TestIdentity; traced: boolean }>();
  #tracer: Tracer | undefined;
  /** Why tracing stopped, when it failed. */
  #tracingFailed: string | undefined;
  /** Nothing more is measured: leakwatch is not running this process, or measuring failed. */
  #broken = this.#directory === undefined;

  constructor(runner: string, runnerVersion: string, worker: string | null) {
    this.#freesStateBetweenFiles = runner !== 'mocha' || worker !== 'main';
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
    const collector = threadCollector ?? reachGarbageCollector();
    if (typeof collector === 'function') this.#collectGarbage = collector;
    else this.#header.error = collector;
    // V8 releases the memory of the ArrayBuffers (Buffers) a collection found dead on another thread, when it is done:
    // often while the next test runs, with no collection for it to see, which takes it from that test's figure (a
    // 30 MB Buffer kept read as 4 MB). Released within the collection instead, it is where the readings see it.
    v8.setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  }

  /** Call before the test's first beforeEach hook. `key` is the runner's own object for the test. */
  start(key: object, identity: TestIdentity, options: StartOptions = {}): void {
    if (this.#broken) return;
    // A test runner that a test starts (a tool's own test suite, say) is not leakwatch's to measure.
    delete process.env.LEAKWATCH_DIR;
    if (tracing && (this.#runsMeasured.get(runKey(identity)) ?? 0) >= measuredRuns) {
      this.#beginTraced(key, identity);
      return;
    }
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
      const firstOfFile =
        this.#lastFile === undefined || (this.#freesStateBetweenFiles && identity.file !== this.#lastFile);
      this.#lastFile = identity.file;
      const settle = firstOfFile ? this.#canSettle(true) : this.#settleIsDue() && this.#canSettle();
      // The last file's state, garbage now, is more than any reading since shows: what the file's tests see freed may
      // all be from before them, until the next full collection. A young collection at least has V8 finish releasing
      // what its last full collection found dead (Buffers' memory), which would otherwise go while the test runs.
      if (firstOfFile && !settle) this.#growthSinceSettled = Number.POSITIVE_INFINITY;
      const before = settle ? this.#settle() : firstOfFile ? this.#glance() : this.#startReading();
      if (!settle && this.#lastReading !== undefined) {
        this.#growthSinceSettled += Math.max(0, before.kept - this.#lastReading);
      }
      this.#glanceAtNextStart = false;
      const collections = watchCollections();
      this.#running.set(key, {
        identity,
        attempt: options.attempt ?? 0,
        locate: options.locate,
        before,
        startedAt: performance.now(),
        overlapped: options.concurrent === true || others.length > 0,
        parent: running.reverse().find((test) => isWithin(identity, test.identity)),
        keptBySubtests: NOTHING,
        garbageAtStart: this.#growthSinceSettled,
        collections,
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

  /**
   * The number of tests the runner will run in a test file (`file` absolute), or in the whole process, told as soon as
   * the runner knows. Runs alone, which run one test, tell nothing.
   */
  collected(count: number, file?: string): void {
    // Told even when measuring stopped: the report then says how many tests went unmeasured.
    if (this.#directory === undefined || confirming) return;
    this.#guard(() => {
      this.#write({ type: 'collected', count, ...(file === undefined ? {} : { file }) });
    });
  }

  /** This runner version cannot be measured: says so, in words that name it and what is supported, and stops. */
  unsupported(message: string): void {
    if (this.#broken) return;
    this.#header.unsupported = message;
    this.#header.error = message;
    this.#guard(() => {
      this.#write({ type: 'not-run' }); // writes the header
    });
    this.#broken = true;
  }

  /**
   * Call after the test's last afterEach hook. A promise when the test's figure waits for the event loop to turn: the
   * runner's hook returns it, and the runner waits for it.
   */
  finish(key: object, outcome: string): Promise<void> | undefined {
    const traced = this.#traced.get(key);
    if (traced !== undefined) return this.#endTraced(key, traced);
    const test = this.#running.get(key);
    if (test === undefined || this.#broken) return undefined;
    this.#running.delete(key);
    let settling: Promise<void> | undefined;
    this.#guard(() => {
      // Garbage from before the test that a collection freed while it ran hides part of what it kept: what V8's full
      // collections freed, and what young collections freed, up to what the young generation held at the start and
      // the external memory (Buffers) that garbage from before may hold: what the readings grew since the last full
      // collection.
      const collections = test.collections?.stop()?.statistics ?? [];
      const freedByFull = freedBy(collections, FULL_COLLECTIONS);
      const youngGarbageAtStart = test.before.young + test.garbageAtStart;
      let freedByYoung = freedBy(collections, YOUNG_COLLECTIONS);
      let hidden = freedByFull + Math.min(youngGarbageAtStart, freedByYoung);
      let after = this.#readUsage();
      let change = subtract(after, test.before);
      if (change.kept + hidden > this.#limit / 4) {
        // Perhaps it kept much, perhaps young garbage: a young collection tells, for a millisecond at most. It may
        // free young garbage from before the test too.
        const unglanced = after.kept;
        after = this.#glance();
        change = subtract(after, test.before);
        freedByYoung += Math.max(0, unglanced - after.kept);
        hidden = freedByFull + Math.min(youngGarbageAtStart, freedByYoung);
      }
      const high = change.kept > this.#limit / 4;
      let unsettled = high && !this.#canSettle(true);
      if (high && !unsettled) {
        // Perhaps a leak, perhaps garbage that a full collection frees: only this tells. Where no full collection fits
        // in the time, the figure stands as the young collection left it: more than the test kept, if anything, so
        // under the limit it is no leak, and over it a suspect that its runs alone settle.
        const glanced = after.kept;
        after = this.#settle();
        hidden += Math.min(glanced - after.kept, test.garbageAtStart);
        const stillHigh = subtract(after, test.before).kept > this.#limit / 4;
        unsettled = stillHigh && !this.#canSettle(true);
        if (stillHigh && !unsettled) {
          // V8 keeps what the test made WeakRefs to (`{ signal }` listeners use them) until the task it runs in ends,
          // and what a FinalizationRegistry holds for an object found dead until its cleanup task has run: only a
          // turn of the event loop, then another full collection, tells them from a leak.
          settling = turnEventLoop().then(() => {
            this.#guard(() => {
              this.#conclude(test, this.#settle(), hidden, outcome);
              // The runner's own work for this test's end, deferred by the turn, leaves young garbage that the next
              // test's start would count: that start collects the young generation.
              this.#glanceAtNextStart = true;
            });
          });
          return;
        }
      } else {
        this.#growthSinceSettled += Math.max(0, change.kept);
        this.#testsSinceSettled += 1;
      }
      this.#conclude(test, after, hidden, outcome, unsettled);
    });
    return settling;
  }

  /**
   * Writes the test's figure: what it kept from `before` to `after`, and how much garbage could have hidden;
   * `unsettled`: no full collection fitted in the time, so garbage may make up part of it.
   */
  #conclude(test: RunningTest, after: Reading, hidden: number, outcome: string, unsettled = false): void {
    const change = subtract(after, test.before);
    const kept = subtract(change, test.keptBySubtests);
    this.#lastReading = after.kept;
    // Its figure may hide a leak: garbage from before it that a collection freed (`hidden`: another file's module
    // state, which Jest frees when it likes, say) could make up the difference; or much more memory went while it
    // ran than the collections seen can tell. leakwatch runs such a test again alone.
    const limit = this.#limit;
    const disturbed = kept.kept + hidden < -limit / 4 || (kept.kept <= limit && kept.kept + hidden > limit);
    const notable = disturbed || kept.kept > limit / 4;
    let line = test.identity.line;
    if (line === null && notable && test.locate !== undefined) line = test.locate();
    // All of it, its own subtests' too, happened inside the test it runs in.
    if (test.parent) test.parent.keptBySubtests = add(test.parent.keptBySubtests, change);
    if (tracing) {
      const key = runKey(test.identity);
      this.#runsMeasured.set(key, (this.#runsMeasured.get(key) ?? 0) + 1);
    }
    this.#write({
      type: 'test',
      id: test.identity.titles.join(' > '),
      ...test.identity,
      line,
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
      ...(disturbed ? { disturbed: true } : {}),
      ...(unsettled ? { unsettled: true } : {}),
      ...(test.attempt > 0 ? { attempt: test.attempt } : {}),
    });
  }

  /** Forgets a test that was started but will not run (a runner that announces skipped tests too). */
  forget(key: object): void {
    const test = this.#running.get(key);
    if (test === undefined) return;
    this.#running.delete(key);
    test.collections?.stop();
    this.#guard(() => {
      this.#write({ type: 'not-run', id: test.identity.titles.join(' > '), ...test.identity });
    });
  }

  /**
   * Memory freed between tests (an afterAll hook, a cache a test clears) stays as garbage that no cheap reading shows,
   * and a full collection at a later test's end would credit it to that test. Starts are settled now and then to keep
   * such garbage from piling up: after 50 tests at least, and no more than a twentieth of the time. A test whose
   * figure garbage could still have hidden is marked disturbed, and run again alone.
   */
  #settleIsDue(): boolean {
    return this.#testsSinceSettled >= 50 && performance.now() - this.#settledAt > 20 * this.#settleCost;
  }

  /**
   * Whether a full collection, at what it is expected to cost, keeps them all within COLLECTION_SHARE of the time so
   * far. Runs alone always settle; so do a suspect's figure and a file's first start when no run alone is to come
   * after them, as then those figures are the verdicts.
   */
  #canSettle(forVerdict = false): boolean {
    if (confirming || (forVerdict && this.#figuresAreVerdicts)) return true;
    const expected = this.#collectionMs + this.#expectedSettleCost();
    return expected <= COLLECTION_ALLOWANCE_MS + COLLECTION_SHARE * performance.now();
  }

  /**
   * What the next full collection should cost (ms): the last one's, grown with the heap since; before any, what the
   * heap's size says. The first one is budgeted too: on a large heap it alone is a tenth of a one-second run.
   */
  #expectedSettleCost(): number {
    const heap = v8.getHeapStatistics().used_heap_size;
    if (this.#heapAtSettle === 0) return heap / HEAP_COLLECTED_PER_MS;
    return this.#settleCost * Math.max(1, heap / this.#heapAtSettle);
  }

  /**
   * A cheap reading, after a young-generation collection (a tenth of a millisecond): it frees a test's short-lived
   * objects and Buffers, and counts old-generation garbage as kept. So it shows less than a test kept only by garbage
   * from before the test that a collection freed meanwhile, which is bounded and checked (see `disturbed`): a test it
   * shows under a quarter of the limit did not leak, and its figure stands; any other is read again after a full
   * collection.
   */
  #glance(): Reading {
    this.#collectGarbage?.({ type: 'minor' });
    return this.#readUsage();
  }

  /**
   * A test's start, read with no collection at all (microseconds). V8 may free young garbage from before the test while
   * it runs, which makes its figure smaller by as much: that is bounded (see finish), and a figure it could matter to
   * is run again alone. Runs alone, whose figures are the verdict, collect the young generation first.
   */
  #startReading(): Reading {
    return confirming || this.#glanceAtNextStart ? this.#glance() : this.#readUsage();
  }

  /** A settled reading, after a full collection: milliseconds, and more on a large heap. */
  #settle(): Reading {
    const started = performance.now();
    // A full collection finds dead ArrayBuffers, but releases their memory (Buffers') only once the sweeping it
    // started is done, which the next collection, even a cheap young-generation one, waits for.
    this.#collectGarbage?.();
    this.#collectGarbage?.({ type: 'minor' });
    this.#growthSinceSettled = 0;
    this.#testsSinceSettled = 0;
    this.#settledAt = performance.now();
    this.#settleCost = this.#settledAt - started;
    this.#collectionMs += this.#settleCost;
    this.#fullCollections += 1;
    const reading = this.#readUsage();
    this.#heapAtSettle = Math.max(1, reading.heap);
    this.#lastReading = reading.kept;
    return reading;
  }

  /** The heap's figures cost microseconds; resident memory ten (it is read from the system). */
  #readUsage(): Reading {
    const { used_heap_size: heap, external_memory: external } = v8.getHeapStatistics();
    let young = 0;
    for (const space of v8.getHeapSpaceStatistics()) {
      if (YOUNG_SPACES.has(space.space_name)) young += space.space_used_size;
    }
    // Worker threads share their process's resident memory: it is not read there.
    const rss = isMainThread ? residentMemory() : 0;
    return { kept: heap + external, heap, external, rss, young };
  }

  #write(record: Record<string, unknown>): void {
    if (this.#file === undefined) {
      const file = new RecordsFile(
        `${this.#directory ?? ''}/node-${process.pid}-${threadId}-${Date.now()}.jsonl`,
        () => this.#header,
      );
      this.#file = file;
      // A runner may end its worker processes with a signal (Vitest's forks get SIGTERM once their file is done):
      // signal-exit writes the end then too, and lets the signal end the process as it would have.
      const atExit = isMainThread ? onExit : (close: () => void) => process.on('exit', close);
      atExit(() => {
        // The process's own high-water mark; worker threads share it, and leave it to the main thread.
        file.close({
          type: 'end',
          ...(isMainThread ? { maxRss: process.resourceUsage().maxRSS * 1024 } : {}),
          fullCollections: this.#fullCollections,
          collectionSeconds: this.#collectionMs / 1000,
          elapsed: performance.now() / 1000,
        });
      });
    }
    this.#file.write(record);
  }

  /** A confirmed leak's traced run, after the run that warms it up: it writes no figure, only where its memory went. */
  #beginTraced(key: object, identity: TestIdentity): void {
    const traced = this.#tracingFailed === undefined;
    this.#traced.set(key, { identity, traced });
    if (!traced) return;
    this.#traceSafely(identity, () => {
      this.#settle();
      this.#tracer ??= new Tracer(process.cwd(), this.#limit);
      this.#tracer.begin();
    });
  }

  /** After the traced run: what it still holds once WeakRefs may go (a turn of the event loop) and all is collected. */
  #endTraced(key: object, { identity, traced }: { identity: TestIdentity; traced: boolean }): Promise<void> {
    this.#traced.delete(key);
    return turnEventLoop().then(() => {
      this.#traceSafely(identity, () => {
        this.#settle();
        if (!traced || this.#tracer === undefined) return;
        const found = this.#tracer.end();
        this.#write({ type: 'trace', id: identity.titles.join(' > '), ...identity, ...found });
        // The profile read is garbage now.
        this.#settle();
      });
    });
  }

  /** Tracing is an extra: its failure ends tracing, says why, and never ends measuring. */
  #traceSafely(identity: TestIdentity, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#tracingFailed = `tracing allocations failed: ${String(error)}`;
      try {
        this.#tracer?.end();
      } catch {
        // Already stopped.
      }
      this.#guard(() => {
        this.#write({ type: 'trace', id: identity.titles.join(' > '), ...identity, stopped: this.#tracingFailed });
      });
    }
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

let statm: { fd: number; buffer: Buffer; pageSize: number } | null | undefined;

/**
 * This process's resident memory. On Linux, from a file kept open (one system call, where Node's own reading opens
 * /proc/self/stat anew each time: 0.01 ms, twice a test).
 */
function residentMemory(): number {
  if (statm === undefined) {
    try {
      // The page size, which Node does not tell, from its own reading of the same figure.
      const pages = Number(/^\s*\d+\s+(\d+)/.exec(readFileSync('/proc/self/statm', 'latin1'))?.[1]);
      const pageSize = 2 ** Math.round(Math.log2(process.memoryUsage.rss() / pages));
      const usable = Number.isFinite(pageSize) && pageSize >= 1024;
      statm = usable ? { fd: openSync('/proc/self/statm', 'r'), buffer: Buffer.alloc(128), pageSize } : null;
    } catch {
      statm = null;
    }
  }
  if (statm === null) return process.memoryUsage.rss();
  try {
    // A test may have closed the descriptor, and its number may now name another file: that reads otherwise.
    const length = readSync(statm.fd, statm.buffer, 0, statm.buffer.length, 0);
    const pages = /^\d+ (\d+) \d+ \d+ \d+ \d+ \d+\n$/.exec(statm.buffer.toString('latin1', 0, length))?.[1];
    if (pages !== undefined) return Number(pages) * statm.pageSize;
  } catch {
    // As below.
  }
  statm = undefined; // opened again at the next reading
  return process.memoryUsage.rss();
}

/** A test's file and titles, for counting its runs. */
function runKey(identity: TestIdentity): string {
  return [identity.file, ...identity.titles].join('\0');
}

/** Resolves once the event loop has turned: after the current task, and the tasks V8 queued meanwhile. */
function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    realSetImmediate(() => {
      realSetImmediate(resolve);
    });
  });
}

/** A profiler of V8's collections where this Node has one (20.0 has not). */
function watchCollections(): GCProfiler | undefined {
  const Profiler = (v8 as { GCProfiler?: new () => GCProfiler }).GCProfiler;
  if (Profiler === undefined) return undefined;
  const profiler = new Profiler();
  profiler.start();
  return profiler;
}

/** What the collections of the given kinds freed while the profiler watched. */
function freedBy(collections: readonly GCStatistics[], kinds: ReadonlySet<string>): number {
  let freed = 0;
  for (const { gcType, beforeGC, afterGC } of collections) {
    if (kinds.has(gcType)) freed += Math.max(0, figure(beforeGC) - figure(afterGC));
  }
  return freed;
}

function figure({ heapStatistics }: HeapFigures): number {
  return heapStatistics.usedHeapSize + (heapStatistics.externalMemory ?? 0);
}

function subtract(a: Reading, b: Reading): Reading {
  return {
    kept: a.kept - b.kept,
    heap: a.heap - b.heap,
    external: a.external - b.external,
    rss: a.rss - b.rss,
    young: a.young - b.young,
  };
}

function add(a: Reading, b: Reading): Reading {
  return {
    kept: a.kept + b.kept,
    heap: a.heap + b.heap,
    external: a.external + b.external,
    rss: a.rss + b.rss,
    young: a.young + b.young,
  };
}

/** V8's `gc`, or why it cannot be had. */
function reachGarbageCollector(): CollectGarbage | string {
  try {
    return garbageCollector();
  } catch (error) {
    return String(error);
  }
}

/**
 * Worker threads share V8's flags: a test context another thread creates while the flag is on would get `gc`. So a
 * thread reaches it as it starts, before any thread has a test context, not when its first test file runs.
 */
const threadCollector = isMainThread || process.env.LEAKWATCH_DIR === undefined ? undefined : reachGarbageCollector();

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
