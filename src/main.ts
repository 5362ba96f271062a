/** The action: read the inputs, measure the tests, compare with the base, report everywhere, and fail last. */
import * as core from '@actions/core';
import { context } from '@actions/github';
import { statSync } from 'node:fs';
import { compareWithBase, readBaseFile, type FindBase } from './baseline.js';
import { createClient } from './github/client.js';
import { fetchBaseReport } from './github/artifacts.js';
import { pullRequestBaseOf } from './github/pull-request.js';
import { cancelOnSignals } from './command.js';
import { measure } from './measure.js';
import { publish } from './publish.js';
import { readActionSettings, type ActionSettings } from './settings.js';
import { formatSize } from './size.js';
import { annotate, fail } from './annotate.js';
import { printLine } from './log.js';
import { verdict } from './verdict.js';

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
    const { failures, warnings } = verdict(report, settings);
    for (const warning of warnings) annotate('warning', warning);
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

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
