/**
 * The records the preloads write while the tests run: one JSON line per event, one file per test process or thread
 * (see python/leakwatch_pytest.py and src/preload/recorder.ts). Parsing is pure and forgiving: a process killed mid-write leaves a cut last line,
 * which is skipped, and everything before it still counts.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { RUNNERS } from './settings.js';
import { ForbiddenKeyError, parseUntrustedJson } from './untrusted-json.js';

interface Located {
  /** pytest's node id; for Node runners, the titles joined. */
  id: string;
  /** Node runners: describe blocks, then the test's title. The id is built from them and the file. */
  titles?: string[];
  /** Relative to the runner's root directory (or absolute), with forward slashes. */
  file: string;
  /** 1-based; null when the runner does not know it. */
  line: number | null;
}

export interface ProcessHeader {
  type: 'process';
  runner: string;
  runnerVersion: string;
  pid: number;
  worker: string | null;
  /** Absolute; test files are relative to it. */
  rootdir: string;
  platform: string;
  trims?: boolean;
  tracksPeak?: boolean;
  /** What `delta` counts: resident memory (pytest) or JavaScript heap plus external memory (Node). */
  measures?: 'rss' | 'heap';
  /** A worker thread, which shares resident memory with the other threads of its process. */
  sharedProcess?: boolean;
  /** Present when the process could not measure memory at all. */
  error?: string;
  /** This runner version cannot be measured: which it is, and which are supported. */
  unsupported?: string;
}

export interface StartRecord extends Located {
  type: 'start';
  before: number;
  /** Node runners: resident memory at the start, as `before` counts the heap. */
  rss?: number;
}

/** A line of code, as a tracer of allocations saw it: relative to the runner's root directory, or absolute. */
export interface RecordFrame {
  file: string;
  line: number;
  function: string;
}

/** Where part of what a run alone kept was allocated: the innermost frame in the project's own code, and its callers. */
export interface RecordSite extends RecordFrame {
  size: number;
  count: number;
  stack: RecordFrame[];
}

export interface TestRecord extends Located {
  type: 'test';
  before: number;
  after: number;
  delta: number;
  peak: number | null;
  allocatedBlocks: number | null;
  /** Node runners: the parts of `delta`, and resident memory's change where it is the test's own. */
  heapDelta?: number;
  externalDelta?: number;
  rssDelta?: number | null;
  duration: number;
  outcome: string;
  /** It ran alongside other tests of its process, so its figures are not its own. */
  overlapped?: boolean;
  /** Much memory was freed while it ran, more than it could have held: its figure may hide what it kept. */
  disturbed?: boolean;
  /** No full collection fitted in the time at its end: garbage may make up part of its figure. */
  unsettled?: boolean;
  /** A retry of a failed test: 1 for the first retry. */
  attempt?: number;
}

/**
 * A suspect's traced run, after its runs alone: the largest places what it kept was allocated, and all the tracer saw
 * it keep; or, with neither, why tracing stopped before it could tell.
 */
export interface TraceRecord extends Located {
  type: 'trace';
  sites?: RecordSite[];
  traced?: number;
  /** Node runners: of what it saw, the Buffers alive (external memory). */
  external?: number;
  /** Tracing ended with this run, and why. */
  stopped?: string;
}

/** Tests that ran without a figure, and why: `count` of them, or the one named. */
export type UnmeasuredRecord = { type: 'unmeasured'; reason: string; count?: number } & Partial<Located>;

type RecordLine =
  | ProcessHeader
  | StartRecord
  | TestRecord
  | TraceRecord
  | { type: 'error'; error: string }
  /** A test announced as started that the runner then skipped. */
  | ({ type: 'not-run' } & Located)
  /** The tests the runner is to run: in the whole session, or in one file. */
  | { type: 'collected'; count: number; file?: string }
  | UnmeasuredRecord
  /**
   * The process's own resident-memory high-water mark, where the platform keeps one; the tests it began; the full
   * collections leakwatch made in it and the seconds they took, of the seconds it measured (for the benchmark).
   */
  | {
      type: 'end';
      maxRss?: number;
      ran?: number;
      fullCollections?: number;
      collectionSeconds?: number;
      elapsed?: number;
    };

/** Everything one test process recorded. */
export interface ProcessRun {
  header: ProcessHeader;
  tests: TestRecord[];
  /** Tests started and not finished, outermost first: the process died in the last. */
  unfinished: StartRecord[];
  /** Suspects' traced runs, in runs alone. */
  traces: TraceRecord[];
  /** Measuring stopped half-way for this reason. */
  error: string | undefined;
  ended: boolean;
  /** The tests its runner said it would run in the whole session; null when it did not say. */
  collected: number | null;
  /** The tests its runner said each file holds, by file as the runner names it. */
  collectedByFile: Map<string, number>;
  /** Tests it ran without a figure, with why. */
  unmeasured: { reason: string; count: number }[];
  /** Tests announced that the runner then did not run (skipped before they started). */
  notRun: number;
  maxRss: number | null;
  /** The tests it began, as its end record says: fewer than collected when the runner stopped early (-x, Ctrl-C). */
  ran: number | null;
}

/**
 * Parses one records file; it holds one process or, when a pid was reused, several one after another. A line that is
 * not what the preloads write (a test can write into the records directory too) is left out, and why goes into
 * `rejected`; a cut last line (a process killed mid-write) is left out silently.
 */
export function parseRecords(text: string, rejected: string[] = []): ProcessRun[] {
  const runs: ProcessRun[] = [];
  let run: ProcessRun | undefined;
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && !lines[last]?.trim()) last -= 1;
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const record = parseLine(line, index === last);
    if (typeof record === 'string') {
      rejected.push(record);
      continue;
    }
    if (record === undefined) continue;
    if (record.type === 'process') {
      run = {
        header: record,
        tests: [],
        unfinished: [],
        traces: [],
        error: record.error,
        ended: false,
        collected: null,
        collectedByFile: new Map(),
        unmeasured: [],
        notRun: 0,
        maxRss: null,
        ran: null,
      };
      runs.push(run);
      continue;
    }
    if (run === undefined) continue;
    switch (record.type) {
      case 'start':
        run.unfinished.push(record);
        break;
      case 'test':
        // A retried test is reported by its last attempt.
        if ((record.attempt ?? 0) > 0) run.tests = run.tests.filter((earlier) => !sameTest(earlier, record));
        run.tests.push(record);
        finish(run, record);
        break;
      case 'trace':
        run.traces.push(record);
        break;
      case 'error':
        run.error = record.error;
        run.unfinished = [];
        break;
      case 'not-run':
        run.notRun += 1;
        finish(run, record);
        break;
      case 'collected':
        if (record.file === undefined) run.collected = Math.max(run.collected ?? 0, record.count);
        else run.collectedByFile.set(record.file, Math.max(run.collectedByFile.get(record.file) ?? 0, record.count));
        break;
      case 'unmeasured':
        run.unmeasured.push({ reason: record.reason, count: record.count ?? 1 });
        // A test named here started, and ended without a figure: its process did not die in it.
        if (record.id !== undefined && record.file !== undefined)
          finish(run, { ...record, id: record.id, file: record.file, line: record.line ?? null });
        break;
      case 'end':
        run.ended = true;
        run.maxRss = record.maxRss ?? null;
        run.ran = record.ran ?? null;
        break;
    }
  }
  return runs;
}

/** The last start of this test (a subtest finishes before the test it runs in) is over. */
function finish(run: ProcessRun, record: Located): void {
  for (let index = run.unfinished.length - 1; index >= 0; index--) {
    const start = run.unfinished[index];
    if (start !== undefined && sameTest(start, record)) {
      run.unfinished.splice(index, 1);
      return;
    }
  }
}

function sameTest(a: Located, b: Located): boolean {
  return a.id === b.id && a.file === b.file;
}

/** Sizes and counts beyond this (a pebibyte) are no process's: 1e308 would print as "Infinity TB". */
const MAX_NUMBER = 2 ** 50;
const MAX_TEXT = 100_000;

/** The record on the line; a reason when it is not one the preloads write; undefined for a cut last line. */
function parseLine(line: string, last: boolean): RecordLine | string | undefined {
  let value: unknown;
  try {
    value = parseUntrustedJson(line);
  } catch (error) {
    if (error instanceof ForbiddenKeyError) return error.message;
    return last ? undefined : 'a line that is not JSON';
  }
  return checkRecord(value);
}

/** The record if every field has the type the preloads write; else what is wrong with it. */
function checkRecord(value: unknown): RecordLine | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a line that is not an object';
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const field = (name: string, check: (field: unknown) => boolean, optional = false): void => {
    const present = Object.hasOwn(record, name) && record[name] !== undefined;
    if (present ? !check(record[name]) : !optional) problems.push(name);
  };
  const located = (): void => {
    field('id', isText);
    field('file', isText);
    field('titles', (titles) => Array.isArray(titles) && titles.length < 1000 && titles.every(isText), true);
    field('line', (line) => line === null || isCount(line), true);
  };
  switch (record.type) {
    case 'process':
      // The runner's name reaches the report and its headline: only a name leakwatch knows.
      field('runner', (runner) => RUNNERS.some((known) => known !== 'auto' && known === runner));
      for (const name of ['runnerVersion', 'rootdir', 'platform']) field(name, isText);
      field('pid', isCount);
      field('worker', (worker) => worker === null || isText(worker), true);
      for (const name of ['trims', 'tracksPeak', 'sharedProcess']) field(name, isBoolean, true);
      field('measures', (measures) => measures === 'rss' || measures === 'heap', true);
      field('error', isText, true);
      field('unsupported', isText, true);
      break;
    case 'start':
      located();
      field('before', isSize);
      field('rss', isSize, true);
      break;
    case 'test':
      located();
      for (const name of ['before', 'after', 'delta']) field(name, isSize);
      for (const name of ['peak', 'allocatedBlocks']) field(name, isSizeOrNull);
      for (const name of ['heapDelta', 'externalDelta']) field(name, isSize, true);
      field('rssDelta', isSizeOrNull, true);
      field('duration', (duration) => isSize(duration) && (duration as number) >= 0);
      field('outcome', isText);
      for (const name of ['overlapped', 'disturbed', 'unsettled']) field(name, isBoolean, true);
      field('attempt', isCount, true);
      break;
    case 'trace':
      located();
      field('sites', (sites) => isListOf(sites, MAX_SITES, isSite), true);
      field('traced', isSize, true);
      field('external', isSize, true);
      field('stopped', isText, true);
      break;
    case 'not-run':
      located();
      break;
    case 'error':
      field('error', isText);
      break;
    case 'collected':
      field('count', isCount);
      field('file', isText, true);
      break;
    case 'unmeasured':
      field('reason', isText);
      field('count', isCount, true);
      if (record.id !== undefined) located();
      break;
    case 'end':
      field('maxRss', isSize, true);
      field('ran', isCount, true);
      field('fullCollections', isCount, true);
      field('collectionSeconds', isSize, true);
      field('elapsed', isSize, true);
      break;
    default:
      return 'a line of no known record type';
  }
  // Cast: every field read later was just checked.
  return problems.length === 0
    ? (record as unknown as RecordLine)
    : `a ${record.type} record with a bad ${problems.join(', ')}`;
}

const MAX_SITES = 20;
const MAX_STACK = 20;

function isListOf(value: unknown, most: number, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.length <= most && value.every(check);
}

function isFrame(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const frame = value as Record<string, unknown>;
  return isText(frame.file) && isCount(frame.line) && isText(frame.function);
}

function isSite(value: unknown): boolean {
  if (!isFrame(value)) return false;
  const site = value as Record<string, unknown>;
  return isSize(site.size) && isCount(site.count) && isListOf(site.stack, MAX_STACK, isFrame);
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_TEXT;
}

function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

/** A finite number of bytes (or seconds) that a real process could have: negative for memory freed. */
function isSize(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER;
}

function isSizeOrNull(value: unknown): boolean {
  return value === null || isSize(value);
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_NUMBER;
}

export interface RecordsRead {
  runs: ProcessRun[];
  /** Lines left out, each as "file: why". */
  rejected: string[];
}

/** Reads every records file in `directory`; none at all (the preload never loaded) is an empty list. */
export async function readRecordsDirectory(directory: string): Promise<RecordsRead> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.jsonl')).sort();
  } catch {
    return { runs: [], rejected: [] };
  }
  const rejected: string[] = [];
  const runs: ProcessRun[] = [];
  for (const name of names) {
    // Only regular files: a FIFO a test made there would hang the read forever.
    const file = path.join(directory, name);
    const stats = await lstat(file).catch(() => undefined);
    if (!stats?.isFile()) {
      rejected.push(`${name}: not a regular file`);
      continue;
    }
    const found: string[] = [];
    runs.push(...parseRecords(await readFile(file, 'utf8'), found));
    rejected.push(...found.map((why) => `${name}: ${why}`));
  }
  return { runs, rejected };
}
