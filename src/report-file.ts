/**
 * Writing the JSON report. A merged report may hold millions of tests, more than memory does: its tests are written as
 * each shard is read, a line each, and the rest of the report after them.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Report, TestResult } from './report.js';

/** Tests stringified and written at once: a few megabytes. */
const TESTS_A_WRITE = 10_000;

export class ReportWriter {
  private tests = 0;
  /** The write under way: the next piece is made meanwhile, and written after it. */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly handle: FileHandle) {}

  /** Starts the report at `file`: its version and tool, then its tests as they are added. */
  static async create(file: string, start: Pick<Report, 'version' | 'tool'>): Promise<ReportWriter> {
    const handle = await open(file, 'w');
    const head = JSON.stringify({ version: start.version, tool: start.tool }, null, 2);
    try {
      await handle.write(`${head.slice(0, -2)},\n  "tests": [`);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new ReportWriter(handle);
  }

  async addTests(tests: readonly TestResult[]): Promise<void> {
    // In pieces, each one stringify (twice as fast as one a test), none of them a copy of a whole shard.
    for (let start = 0; start < tests.length; start += TESTS_A_WRITE) {
      // A test a line: `},{"id":` cannot be inside a JSON string, whose quotes are escaped, so it is always where one
      // test ends and the next begins.
      const text = JSON.stringify(tests.slice(start, start + TESTS_A_WRITE))
        .slice(1, -1)
        .replaceAll('},{"id":', '},\n    {"id":');
      const separator = this.tests === 0 ? '\n    ' : ',\n    ';
      this.tests += Math.min(TESTS_A_WRITE, tests.length - start);
      await this.writing;
      this.writing = this.handle.write(separator).then(() => this.handle.write(text));
      // A failed write fails the next addTests or finish; meanwhile it is handled.
      this.writing.catch(() => undefined);
    }
  }

  /** Ends the report with the rest of it (its `tests` are those added), and closes the file. */
  async finish(rest: Omit<Report, 'version' | 'tool' | 'tests'>): Promise<void> {
    try {
      await this.writing;
      const tail = JSON.stringify(rest, null, 2);
      await this.handle.write(`${this.tests === 0 ? '' : '\n  '}],\n${tail.slice(2)}\n`);
    } finally {
      await this.handle.close();
    }
  }

  /** Closes the file, unfinished: a write failed. */
  async abandon(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}
