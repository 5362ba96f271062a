/** The action: read the inputs, then measure the tests or merge the shards' reports, report, and fail last. */
import * as core from '@actions/core';
import { statSync } from 'node:fs';
import { annotate, fail } from './annotate.js';
import { cancelOnSignals } from './command.js';
import { measureStep } from './measure-step.js';
import { mergeStep } from './merge-step.js';
import { readActionSettings } from './settings.js';

export async function run(): Promise<void> {
  // A cancelled job (SIGINT, then SIGTERM, then SIGKILL) stops the command and publishes what was measured.
  const cancel = cancelOnSignals();
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => core.getInput(name), isDirectory, workspace, process.env.GITHUB_JOB);
    if (settings.githubToken) core.setSecret(settings.githubToken);
    const { failures, warnings } =
      settings.mode === 'merge'
        ? await mergeStep(settings, workspace, cancel)
        : await measureStep(settings, workspace, cancel);
    for (const warning of warnings) annotate('warning', warning);
    if (failures.length > 0) fail(failures.join(' '));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
