/**
 * The records the preloads write while the tests run: one JSON line per event, one file per test process or thread
 * (see python/leakwatch_pytest.py and src/preload/recorder.ts). Parsing is pure and forgiving: a process killed mid-write leaves a cut last line,
 * which is skipped, and everything before it still counts.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

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
}

export interface StartRecord extends Located {
  type: 'start';
  before: number;
  /** Node runners: resident memory at the start, as `before` counts the heap. */
  rss?: number;
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
  /** A retry of a failed test: 1 for the first retry. */
  attempt?: number;
}

type RecordLine =
  | ProcessHeader
  | StartRecord
  | TestRecord
  | { type: 'error'; error: string }
  /** A test announced as started that the runner then skipped. */
  | ({ type: 'not-run' } & Located)
  | { type: 'end' };

/** Everything one test process recorded. */
export interface ProcessRun {
  header: ProcessHeader;
  tests: TestRecord[];
  /** Tests started and not finished, outermost first: the process died in the last. */
  unfinished: StartRecord[];
  /** Measuring stopped half-way for this reason. */
  error: string | undefined;
  ended: boolean;
}

/** Parses one records file; it holds one process or, when a pid was reused, several one after another. */
export function parseRecords(text: string): ProcessRun[] {
  const runs: ProcessRun[] = [];
  let run: ProcessRun | undefined;
  for (const line of text.split('\n')) {
    const record = parseLine(line);
    if (record === undefined) continue;
    if (record.type === 'process') {
      run = {
        header: record,
        tests: [],
        unfinished: [],
        error: record.error,
        ended: false,
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
      case 'error':
        run.error = record.error;
        run.unfinished = [];
        break;
      case 'not-run':
        finish(run, record);
        break;
      case 'end':
        run.ended = true;
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

const RECORD_TYPES = new Set(['process', 'start', 'test', 'error', 'not-run', 'end']);

function parseLine(line: string): RecordLine | undefined {
  if (!line.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined; // cut short by a crash
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && RECORD_TYPES.has(type) ? (value as RecordLine) : undefined;
}

/** Reads every records file in `directory`; none at all (the preload never loaded) is an empty list. */
export async function readRecordsDirectory(directory: string): Promise<ProcessRun[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  const texts = await Promise.all(names.map((name) => readFile(path.join(directory, name), 'utf8')));
  return texts.flatMap(parseRecords);
}
