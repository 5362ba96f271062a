/**
 * One process's (or thread's) JSON-lines records file in LEAKWATCH_DIR, written a line at a time so that a killed
 * process loses nothing that finished, and kept trustworthy when the tests get in the way:
 *
 * - A test (or a library it uses) may close file descriptors it does not own, as daemon and subprocess code does,
 *   and the number may then name a file of the test's own. Before each write, the descriptor is checked to be still
 *   this file (one fstat), and the file is opened again by its path when it is not; leakwatch never writes into, or
 *   closes, a descriptor that is no longer its own. A file deleted meanwhile is started anew, and the tests it held
 *   are said to be unmeasured.
 * - A write that fails (a full disk) keeps its lines, up to a bound, and they are tried again at each later write and
 *   at exit, when a small reserve file made beside the records is deleted to make room for the last lines. A line is
 *   never left half-written. Tests whose lines were lost are written down as `unmeasured`, by name when their start
 *   was written (so that they do not pass for tests their process died in), else counted.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';

type RecordLine = Record<string, unknown>;

interface Pending {
  record: RecordLine;
  line: string;
}

/** Lines kept while writing fails: beyond these, the newest tests' lines are dropped, and counted. */
const MAX_PENDING_LINES = 10_000;
const MAX_PENDING_BYTES = 8_000_000;
/** Room for the last lines at exit (unmeasured, end) once the disk is full: a page of most file systems. */
const RESERVE_BYTES = 4096;

export class RecordsFile {
  readonly #path: string;
  readonly #reservePath: string;
  readonly #header: () => RecordLine;
  #fd: number | undefined;
  #identity: { dev: number; ino: number } | undefined;
  /** Bytes written to the file: a line written in part is cut off again. */
  #size = 0;
  readonly #pending: Pending[] = [];
  #pendingBytes = 0;
  /** Tests whose start is in the file and whose end is not yet: by key, their identity. */
  readonly #startedInFile = new Map<string, RecordLine>();
  /** Tests written into this file, for a file deleted from under it. */
  #testsInFile = 0;
  /** Lost tests not yet written down: counted per reason, and named ones. */
  readonly #lost = new Map<string, number>();
  readonly #lostNamed: RecordLine[] = [];
  /** Starts dropped with their tests: their end is dropped too. */
  readonly #dropped = new Set<string>();
  #lastFailure = 'leakwatch could not write its records';

  constructor(path: string, header: () => RecordLine) {
    this.#path = path;
    this.#reservePath = path.replace(/([^/\\]+)\.jsonl$/, '.$1.reserve');
    this.#header = header;
  }

  /** Writes the record, or keeps it to write later. Never throws. */
  write(record: RecordLine): void {
    const key = testKey(record);
    if (key !== undefined && record.type !== 'start' && this.#dropped.delete(key)) {
      if (record.type === 'test') this.#lose(this.#lastFailure, 1);
      return;
    }
    const line = JSON.stringify(record) + '\n';
    if (this.#pending.length >= MAX_PENDING_LINES || this.#pendingBytes + line.length > MAX_PENDING_BYTES) {
      if (record.type === 'start' && key !== undefined) this.#dropped.add(key);
      else if (record.type === 'test') this.#lose(this.#lastFailure, 1);
      return;
    }
    this.#pending.push({ record, line });
    this.#pendingBytes += line.length;
    this.#flush();
  }

  /** At exit: the last lines, in the room the reserve kept if the disk is full; then the file is closed. */
  close(end: RecordLine): void {
    this.#flush();
    if (this.#pending.length > 0) {
      // The disk is still full: the reserve's room goes to what says what was lost. The tests' own lines are given
      // up: a test that ran is named (or counted) as unmeasured, never left as one that died.
      const kept: Pending[] = [];
      for (const pending of this.#pending.splice(0)) {
        const { record } = pending;
        const key = testKey(record);
        if (key === undefined) kept.push(pending);
        else if (record.type === 'test') {
          const started = this.#startedInFile.get(key);
          if (started === undefined) this.#lose(this.#lastFailure, 1);
          else this.#lostNamed.push({ ...started, reason: this.#lastFailure });
        }
      }
      this.#pending.push(...kept);
    }
    rmSync(this.#reservePath, { force: true });
    this.#writeLost();
    this.#pending.push({ record: end, line: JSON.stringify(end) + '\n' });
    this.#flush();
    if (this.#fd !== undefined && this.#isOwn(this.#fd)) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #lose(reason: string, count: number): void {
    this.#lost.set(reason, (this.#lost.get(reason) ?? 0) + count);
  }

  /** Writes the pending lines in order, as far as it can. */
  #flush(): void {
    while (this.#pending.length > 0) {
      const fd = this.#open();
      if (fd === undefined) return;
      const next = this.#pending[0];
      if (next === undefined) return;
      if (!this.#writeLine(fd, next.line)) return;
      this.#pending.shift();
      this.#pendingBytes -= next.line.length;
      this.#written(next.record);
      // Writing works again: what was lost meanwhile is said at once, before the next line.
      if (this.#lost.size > 0 || this.#lostNamed.length > 0) this.#writeLost();
    }
  }

  #writeLost(): void {
    const fd = this.#open();
    if (fd === undefined) return;
    for (const named of this.#lostNamed) {
      const { reason, ...identity } = named;
      if (!this.#writeLine(fd, JSON.stringify({ type: 'unmeasured', reason, ...identity }) + '\n')) return;
    }
    this.#lostNamed.length = 0;
    for (const [reason, count] of [...this.#lost]) {
      if (!this.#writeLine(fd, JSON.stringify({ type: 'unmeasured', reason, count }) + '\n')) return;
      this.#lost.delete(reason);
    }
  }

  #written(record: RecordLine): void {
    const key = testKey(record);
    if (key === undefined) return;
    if (record.type === 'start') {
      const { id, file, titles, line } = record;
      this.#startedInFile.set(key, { id, file, titles, line });
    } else {
      this.#startedInFile.delete(key);
      if (record.type === 'test') this.#testsInFile += 1;
    }
  }

  /** The whole line, or nothing of it. */
  #writeLine(fd: number, line: string): boolean {
    try {
      const length = Buffer.byteLength(line);
      const written = writeSync(fd, line);
      if (written === length) {
        this.#size += written;
        return true;
      }
      this.#lastFailure = 'leakwatch could not write its records: no space left on the disk';
      ftruncateSync(fd, this.#size);
    } catch (error) {
      this.#lastFailure = `leakwatch could not write its records (${(error as Error).message})`;
    }
    return false;
  }

  /** This file's descriptor, opened (again) if it is not open or no longer this file. */
  #open(): number | undefined {
    if (this.#fd !== undefined && this.#isOwn(this.#fd)) return this.#fd;
    // Closed, or now another file's: that descriptor is not leakwatch's to write into or close.
    const reopening = this.#fd !== undefined;
    this.#fd = undefined;
    try {
      let existing: { dev: number; ino: number; size: number } | undefined;
      try {
        existing = statSync(this.#path);
      } catch {
        existing = undefined;
      }
      const fd = openSync(this.#path, 'a');
      const { dev, ino, size } = fstatSync(fd);
      this.#fd = fd;
      this.#identity = { dev, ino };
      this.#size = size;
      const sameFile = existing !== undefined && existing.dev === dev && existing.ino === ino;
      if (!sameFile || !reopening) {
        if (reopening && this.#testsInFile > 0) {
          this.#lose("leakwatch's records file was deleted while the tests ran", this.#testsInFile);
        }
        this.#testsInFile = 0;
        this.#startedInFile.clear();
        if (!this.#writeLine(fd, JSON.stringify(this.#header()) + '\n')) {
          // No header, no file: the next write starts it again.
          closeSync(fd);
          this.#fd = undefined;
          rmSync(this.#path, { force: true });
          return undefined;
        }
        if (!reopening) this.#makeReserve();
      }
      return fd;
    } catch (error) {
      this.#lastFailure = `leakwatch could not open its records file (${(error as Error).message})`;
      return undefined;
    }
  }

  /** One fstat: the descriptor is open, on this file, and the file is not deleted. */
  #isOwn(fd: number): boolean {
    try {
      const { dev, ino, nlink } = fstatSync(fd);
      const own = dev === this.#identity?.dev && ino === this.#identity.ino;
      // Still leakwatch's descriptor, of a deleted file: closed, and the file started anew.
      if (own && nlink === 0) closeSync(fd);
      return own && nlink > 0;
    } catch {
      return false;
    }
  }

  #makeReserve(): void {
    try {
      writeFileSync(this.#reservePath, Buffer.alloc(RESERVE_BYTES));
    } catch {
      rmSync(this.#reservePath, { force: true });
    }
  }
}

/** A test's start and its end share this. */
function testKey(record: RecordLine): string | undefined {
  if (record.type !== 'start' && record.type !== 'test' && record.type !== 'not-run') return undefined;
  if (typeof record.id !== 'string') return undefined;
  return `${String(record.file)}\0${record.id}`;
}
