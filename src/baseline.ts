/**
 * Comparing the run with a base report: a file given, or the pull request base's (src/github/artifacts.ts). A base
 * that cannot be had (missing, expired, damaged, of another report version) is said once, never a failure.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { compareReports, parseBaseReport, type BaseReportData } from './compare.js';
import type { BaseSource, Report } from './report.js';
import type { ReportSettings } from './settings.js';
import { formatSize } from './size.js';

export interface BaseReport {
  report: BaseReportData;
  source: BaseSource;
}

/** The base report, why there is none, or undefined when this run compares with nothing (not a pull request). */
export type FindBase = () => Promise<BaseReport | string | undefined>;

export async function compareWithBase(report: Report, settings: ReportSettings, findBase: FindBase): Promise<Report> {
  const found = await findBase().catch(
    (error: unknown) =>
      `leakwatch could not get the base's report: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (found === undefined) return report;
  if (typeof found === 'string') return { ...report, baselineProblem: found };
  return { ...report, comparison: compareReports(report, found.report, found.source, settings.regression) };
}

/** The most of a baseline file read: far beyond a real report (about 1 KB a test), short of a hostile one. */
export const MAX_BASE_REPORT_BYTES = 250_000_000;

/**
 * A report file given as the baseline, named to people relative to `directory` where it is inside it. With
 * `insideDirectory` (the action's `baseline:`, which the pull request's own files could point elsewhere), a file whose
 * real path, symlinks followed, is outside `directory` is refused. Only a regular file is read: a FIFO or a device
 * would hang or never end.
 */
export async function readBaseFile(
  file: string,
  directory: string,
  { insideDirectory = false }: { insideDirectory?: boolean } = {},
): Promise<BaseReport | string> {
  const relative = path.relative(directory, file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  const read = await readRegularFile(file, insideDirectory ? directory : undefined);
  if (read.problem !== undefined) return `the baseline file ${shown} ${read.problem}`;
  const report = parseBaseReport(read.text, `the baseline file ${shown}`);
  return typeof report === 'string' ? report : { report, source: { commit: null, runId: null, file: shown } };
}

/** A regular file's text, read to at most MAX_BASE_REPORT_BYTES, or what keeps it from being read. */
export async function readRegularFile(
  file: string,
  within: string | undefined,
): Promise<{ text: string; problem?: undefined } | { problem: string }> {
  let handle;
  try {
    if (within !== undefined && !isInside(await realpath(within), await realpath(file))) {
      return { problem: 'is a link to a file outside the workspace: give a report file inside the workspace.' };
    }
    // Without O_NONBLOCK, opening a FIFO waits for a writer that may never come.
    handle = await open(file, constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK));
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: 'is not a regular file: give a JSON report file.' };
    if (stats.size > MAX_BASE_REPORT_BYTES) {
      return {
        problem: `is ${formatSize(stats.size)}, more than the ${formatSize(MAX_BASE_REPORT_BYTES)} leakwatch reads.`,
      };
    }
    const buffer = Buffer.allocUnsafe(stats.size);
    const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
    return { text: buffer.toString('utf8', 0, bytesRead) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { problem: code === 'ENOENT' ? 'does not exist.' : 'cannot be read.' };
  } finally {
    await handle?.close();
  }
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}
