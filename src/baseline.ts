/**
 * Comparing the run with a base report: a file given, or the pull request base's (src/github/artifacts.ts). A base
 * that cannot be had (missing, expired, damaged, of another report version) is said once, never a failure.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareReports, parseBaseReport } from './compare.js';
import type { BaseSource, Report } from './report.js';
import type { ReportSettings } from './settings.js';

export interface BaseReport {
  report: Report;
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

/** A report file given as the baseline, named to people relative to `directory` where it is inside it. */
export async function readBaseFile(file: string, directory: string): Promise<BaseReport | string> {
  const relative = path.relative(directory, file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT'
      ? `the baseline file ${shown} does not exist.`
      : `the baseline file ${shown} cannot be read.`;
  }
  const report = parseBaseReport(text, `the baseline file ${shown}`);
  return typeof report === 'string' ? report : { report, source: { commit: null, runId: null, file: shown } };
}
