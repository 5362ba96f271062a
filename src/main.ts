/** The action: read the inputs, measure the tests, report everywhere, and fail last. */
import * as core from '@actions/core';
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { measure } from './measure.js';
import type { Report } from './report.js';
import { readActionSettings, type ActionSettings } from './settings.js';
import { formatSize } from './size.js';

/** GitHub keeps at most 1 MiB of a step's summary. */
const SUMMARY_MAX_BYTES = 1024 * 1024 - 1024;

export async function run(): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => core.getInput(name), isDirectory, workspace);
    core.info(
      `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`,
    );
    const report = await measure(settings, workspace);
    const reportPath = await writeReport(report, settings.reportName);
    await publish(report, settings, reportPath);
    const failures = verdict(report, settings);
    if (failures.length > 0) core.setFailed(failures.join(' '));
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function writeReport(report: Report, reportName: string): Promise<string> {
  const directory = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'leakwatch');
  await mkdir(directory, { recursive: true });
  const reportPath = path.join(directory, `${reportName}.json`);
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return reportPath;
}

async function publish(report: Report, settings: ActionSettings, reportPath: string): Promise<void> {
  for (const line of renderTerminal(report)) core.info(line);
  for (const warning of report.warnings) core.warning(warning);
  core.info(`leakwatch: the JSON report is at ${reportPath}`);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const markdown = renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      reportPath,
    });
    await core.summary.addRaw(markdown).write();
  }
  core.setOutput('leaks', report.tests.filter((test) => test.leaked).length);
  core.setOutput('tests', report.tests.length);
  core.setOutput('report', reportPath);
  core.setOutput('exit-code', report.exitCode);
}

/** Why the step fails, if it does: the tests failed, or tests leaked and that is to fail the build. */
function verdict(report: Report, settings: { failOnLeak: boolean }): string[] {
  const failures: string[] = [];
  if (report.exitCode !== 0) failures.push(`The test command exited with ${report.exitCode}.`);
  const leaks = report.tests.filter((test) => test.leaked).length;
  if (leaks > 0 && settings.failOnLeak) {
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
