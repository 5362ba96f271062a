/** The action: read the inputs, measure the tests, compare with the base, report everywhere, and fail last. */
import * as core from '@actions/core';
import { context } from '@actions/github';
import { statSync } from 'node:fs';
import { compareWithBase, readBaseFile, type FindBase } from './baseline.js';
import { failingLeaks } from './compare.js';
import { createClient } from './github/client.js';
import { fetchBaseReport } from './github/artifacts.js';
import { pullRequestBaseOf } from './github/pull-request.js';
import { cancelOnSignals } from './command.js';
import { measure } from './measure.js';
import { publish } from './publish.js';
import type { Report } from './report.js';
import { readActionSettings, type ActionSettings } from './settings.js';
import { formatSize } from './size.js';
import { annotate, fail, printLine } from './log.js';
import { nothingMeasuredProblem } from './verdict.js';

export async function run(): Promise<void> {
  // A cancelled job (SIGINT, then SIGTERM, then SIGKILL) stops the command and publishes what was measured.
  const cancel = cancelOnSignals();
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => core.getInput(name), isDirectory, workspace);
    if (settings.githubToken) core.setSecret(settings.githubToken);
    printLine(
      `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`,
    );
    const measured = await measure(
      settings,
      workspace,
      (line) => {
        printLine(line);
      },
      cancel,
    );
    const report = await compareWithBase(measured, settings, baseFinder(settings, workspace));
    await publish(report, settings);
    const failures = verdict(report, settings);
    if (failures.length > 0) fail(failures.join(' '));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

/** A file given, else on a pull request the base branch's report; nothing on other runs, which save theirs. */
function baseFinder(settings: ActionSettings, workspace: string): FindBase {
  const { baseline } = settings;
  return async () => {
    if (baseline.kind === 'off') return undefined;
    if (baseline.kind === 'file') return readBaseFile(baseline.path, workspace, { insideDirectory: true });
    const base = pullRequestBaseOf(context);
    if (base === undefined) return undefined;
    return fetchBaseReport(createClient(settings.githubToken), base, settings.reportName);
  };
}

/**
 * Why the step fails, if it does: the tests failed, tests leaked and that is to fail the build, or nothing could be
 * measured (unless the workflow asked for a warning then), which must never pass for "no leak".
 */
function verdict(report: Report, settings: ActionSettings): string[] {
  const { failOnLeak } = settings;
  const failures: string[] = [];
  if (report.exitCode !== 0) failures.push(`The test command exited with ${report.exitCode}.`);
  if (report.cancelled) failures.push('The job was cancelled: what was measured before it is reported.');
  const unmeasurable = nothingMeasuredProblem(report);
  if (unmeasurable !== undefined) {
    if (settings.onNothingMeasured === 'fail') failures.push(unmeasurable);
    else annotate('warning', unmeasurable);
  }
  const leaks = failingLeaks(report, failOnLeak).length;
  if (leaks > 0) {
    const which = failOnLeak === 'new' ? ' that did not leak in the base' : '';
    failures.push(`${leaks} test${leaks === 1 ? '' : 's'}${which} leaked more than ${formatSize(report.limit)}.`);
  }
  return failures;
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
