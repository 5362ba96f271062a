#!/usr/bin/env node
/** `leakwatch [options] -- <command...>`: the action's measuring and findings, in a terminal. */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { compareWithBase, readBaseFile, readRegularFile } from './baseline.js';
import { cancelOnSignals } from './command.js';
import { failingLeaks } from './compare.js';
import { SUMMARY_MAX_BYTES, renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { measure, toolVersion } from './measure.js';
import { printLine, printLines } from './log.js';
import { ReportMerger } from './merge.js';
import { finishMerge, readShards, startMergedFile, type ShardSource } from './merge-shards.js';
import { missingShards, shardLabel } from './shards.js';
import { nothingMeasuredProblem, verdict } from './verdict.js';
import { CLI_USAGE, InputError, MERGE_USAGE, readCliSettings, readMergeCliSettings } from './settings.js';

async function main(args: string[]): Promise<number> {
  if (args[0] === 'merge') return mergeCommand(args.slice(1));
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

/** `leakwatch merge`: shards' reports merged, printed and written like a run's; exit codes as a run's. */
async function mergeCommand(args: string[]): Promise<number> {
  let settings;
  try {
    settings = readMergeCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    printLines(`leakwatch merge: ${error.message}`.split('\n'), 'stderr');
    return 2;
  }
  if (settings === 'help') {
    printLines(MERGE_USAGE.split('\n'));
    return 0;
  }
  // Every file is there and readable before any is merged: a typo is told at once, not after minutes of merging.
  for (const file of settings.files) {
    const problem = await unreadable(file);
    if (problem !== undefined) {
      printLine(`leakwatch merge: the report file ${file} ${problem}`, 'stderr');
      return 2;
    }
  }
  const { baseline } = settings;
  const base = baseline.kind === 'file' ? await readBaseFile(baseline.path, process.cwd()) : undefined;
  const merger = new ReportMerger({
    toolVersion: toolVersion(),
    base: base === undefined || typeof base === 'string' ? undefined : { ...base, threshold: settings.regression },
    baselineProblem: typeof base === 'string' ? base : null,
  });
  const onWriteFailure = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    printLine(`leakwatch merge: warning: could not write the file of --json: ${message}`, 'stderr');
  };
  const writer =
    settings.jsonPath === undefined
      ? undefined
      : await startMergedFile(settings.jsonPath, toolVersion(), onWriteFailure);
  const sources = settings.files.map((file): ShardSource => ({
    what: file,
    label: shardLabel('', null, path.basename(file, '.json')),
    strict: false,
    read: async () => {
      const read = await readRegularFile(file, undefined);
      return read.problem === undefined ? { text: read.text } : { problem: `it ${read.problem}` };
    },
  }));
  const read = await readShards(sources, merger, writer, { expect: {}, onWriteFailure });
  if (read.refused.length > 0) {
    // Half a merged report is none: it is not left behind.
    await read.writer?.abandon();
    if (settings.jsonPath !== undefined) await rm(settings.jsonPath, { force: true });
    for (const shard of read.refused) printLine(`leakwatch merge: ${shard.why}.`, 'stderr');
    return 2;
  }
  const missing = missingShards(read.reported, [], settings.shards, undefined);
  const merged = await finishMerge(merger, read.writer, missing, onWriteFailure);
  const report = merged.report;
  printLines(renderTerminal(report));
  printLines(
    report.warnings.map((warning) => `leakwatch: warning: ${warning}`),
    'stderr',
  );
  if (settings.summaryPath !== undefined) {
    const markdown = renderMarkdown(report, {
      reportName: 'leakwatch',
      maxBytes: SUMMARY_MAX_BYTES,
      charts: 'shown',
      memory: merged.memory,
      more:
        settings.jsonPath === undefined || !merged.written
          ? "in the shards' reports"
          : `in the JSON report (${settings.jsonPath})`,
    });
    await writeText('--summary', settings.summaryPath, markdown);
  }
  const { failures, warnings } = verdict(report, settings);
  for (const warning of warnings) printLine(`leakwatch: warning: ${warning}`, 'stderr');
  for (const failure of failures) printLine(`leakwatch: ${failure}`, 'stderr');
  return failures.length > 0 ? 1 : 0;
}

async function unreadable(file: string): Promise<string | undefined> {
  try {
    return (await stat(file)).isFile() ? undefined : 'is not a regular file: give JSON reports.';
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT' ? 'does not exist.' : 'cannot be read.';
  }
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
