#!/usr/bin/env node
/** `leakwatch [options] -- <command...>`: the action's measuring and findings, in a terminal. */
import { mkdir, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { compareWithBase, readBaseFile } from './baseline.js';
import { cancelOnSignals } from './command.js';
import { failingLeaks } from './compare.js';
import { SUMMARY_MAX_BYTES, renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { measure, toolVersion } from './measure.js';
import { printLine, printLines } from './log.js';
import { nothingMeasuredProblem } from './verdict.js';
import { CLI_USAGE, InputError, readCliSettings } from './settings.js';

async function main(args: string[]): Promise<number> {
  let settings;
  try {
    settings = readCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    printLines(`leakwatch: ${error.message}`.split('\n'), 'stderr');
    return 2;
  }
  if (settings === 'help') {
    printLines(CLI_USAGE.split('\n'));
    return 0;
  }
  if (settings === 'version') {
    printLine(toolVersion());
    return 0;
  }
  // Ctrl-C stops the command and prints what was measured; a second Ctrl-C quits at once.
  const cancel = cancelOnSignals((signal) => process.exit(128 + constants.signals[signal]));
  const measured = await measure(
    settings,
    process.cwd(),
    (line) => {
      printLine(line, 'stderr');
    },
    cancel,
  );
  const { baseline } = settings;
  const report = await compareWithBase(measured, settings, async () =>
    baseline.kind === 'file' ? readBaseFile(baseline.path, process.cwd()) : undefined,
  );
  printLines(['', ...renderTerminal(report)]);
  printLines(
    report.warnings.map((warning) => `leakwatch: warning: ${warning}`),
    'stderr',
  );
  // Each file stands alone: one that cannot be written is a warning, and the exit code stays the run's.
  if (settings.jsonPath !== undefined)
    await writeText('--json', settings.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  if (settings.summaryPath !== undefined) {
    const markdown = renderMarkdown(report, {
      reportName: 'leakwatch',
      maxBytes: SUMMARY_MAX_BYTES,
      charts: 'shown',
      more:
        settings.jsonPath === undefined ? 'in the JSON report (--json)' : `in the JSON report (${settings.jsonPath})`,
    });
    await writeText('--summary', settings.summaryPath, markdown);
  }
  if (report.exitCode !== 0) return report.exitCode;
  // Interrupted while confirming: the run did not finish, and never passes.
  if (report.cancelled) return 128 + constants.signals.SIGINT;
  const unmeasurable = nothingMeasuredProblem(report);
  if (unmeasurable !== undefined) {
    printLine(`leakwatch: ${settings.onNothingMeasured === 'fail' ? 'error' : 'warning'}: ${unmeasurable}`, 'stderr');
    if (settings.onNothingMeasured === 'fail') return 1;
  }
  return failingLeaks(report, settings.failOnLeak).length > 0 ? 1 : 0;
}

async function writeText(option: string, file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    printLine(`leakwatch: warning: could not write the file of ${option}: ${message}`, 'stderr');
  }
}

process.exitCode = await main(process.argv.slice(2));
