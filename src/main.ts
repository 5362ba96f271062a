/** The action: read the inputs, measure the tests, report everywhere, and fail last. */
import * as core from '@actions/core';
import { statSync } from 'node:fs';
import { measure } from './measure.js';
import { publish } from './publish.js';
import type { Report } from './report.js';
import { readActionSettings } from './settings.js';
import { formatSize } from './size.js';

export async function run(): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => core.getInput(name), isDirectory, workspace);
    if (settings.githubToken) core.setSecret(settings.githubToken);
    core.info(
      `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`,
    );
    const report = await measure(settings, workspace, (line) => {
      core.info(line);
    });
    await publish(report, settings);
    const failures = verdict(report, settings.failOnLeak);
    if (failures.length > 0) core.setFailed(failures.join(' '));
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** Why the step fails, if it does: the tests failed, or tests leaked and that is to fail the build. */
function verdict(report: Report, failOnLeak: boolean): string[] {
  const failures: string[] = [];
  if (report.exitCode !== 0) failures.push(`The test command exited with ${report.exitCode}.`);
  const leaks = report.tests.filter((test) => test.leaked).length;
  if (leaks > 0 && failOnLeak) {
    failures.push(`${leaks} test${leaks === 1 ? '' : 's'} leaked more than ${formatSize(report.limit)}.`);
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
