#!/usr/bin/env node
/** `leakwatch [options] -- <command...>`: the action's measuring and findings, in a terminal. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareWithBase, readBaseFile } from './baseline.js';
import { failingLeaks } from './compare.js';
import { SUMMARY_MAX_BYTES, renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { measure, toolVersion } from './measure.js';
import { CLI_USAGE, InputError, readCliSettings } from './settings.js';

async function main(args: string[]): Promise<number> {
  let settings;
  try {
    settings = readCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`leakwatch: ${error.message}\n`);
    return 2;
  }
  if (settings === 'help') {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  if (settings === 'version') {
    process.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const measured = await measure(settings, process.cwd(), (line) => process.stderr.write(`${line}\n`));
  const { baseline } = settings;
  const report = await compareWithBase(measured, settings, async () =>
    baseline.kind === 'file' ? readBaseFile(baseline.path, process.cwd()) : undefined,
  );
  process.stdout.write(`\n${renderTerminal(report).join('\n')}\n`);
  for (const warning of report.warnings) process.stderr.write(`leakwatch: warning: ${warning}\n`);
  if (settings.jsonPath !== undefined) await writeText(settings.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  if (settings.summaryPath !== undefined) {
    const markdown = renderMarkdown(report, {
      reportName: 'leakwatch',
      maxBytes: SUMMARY_MAX_BYTES,
      more:
        settings.jsonPath === undefined ? 'in the JSON report (--json)' : `in the JSON report (${settings.jsonPath})`,
    });
    await writeText(settings.summaryPath, markdown);
  }
  if (report.exitCode !== 0) return report.exitCode;
  return failingLeaks(report, settings.failOnLeak).length > 0 ? 1 : 0;
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

process.exitCode = await main(process.argv.slice(2));
