#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  CLI_USAGE,
  InputError,
  MERGE_USAGE,
  ReportMerger,
  SUMMARY_MAX_BYTES,
  cancelOnSignals,
  compareWithBase,
  failingLeaks,
  finishMerge,
  measure,
  missingShards,
  nothingMeasuredProblem,
  printLine,
  printLines,
  readBaseFile,
  readCliSettings,
  readMergeCliSettings,
  readRegularFile,
  readShards,
  renderMarkdown,
  renderTerminal,
  shardLabel,
  startMergedFile,
  toolVersion,
  verdict
} from "./chunk-FT7L3VHD.js";
import "./chunk-NV5WPINZ.js";

// src/cli.ts
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import path from "node:path";
async function main(args) {
  if (args[0] === "merge") return mergeCommand(args.slice(1));
  let settings;
  try {
    settings = readCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    printLines(`leakwatch: ${error.message}`.split("\n"), "stderr");
    return 2;
  }
  if (settings === "help") {
    printLines(CLI_USAGE.split("\n"));
    return 0;
  }
  if (settings === "version") {
    printLine(toolVersion());
    return 0;
  }
  const cancel = cancelOnSignals((signal) => process.exit(128 + constants.signals[signal]));
  const measured = await measure(
    settings,
    process.cwd(),
    (line) => {
      printLine(line, "stderr");
    },
    cancel
  );
  const { baseline } = settings;
  const report = await compareWithBase(
    measured,
    settings,
    async () => baseline.kind === "file" ? readBaseFile(baseline.path, process.cwd()) : void 0
  );
  printLines(["", ...renderTerminal(report)]);
  printLines(
    report.warnings.map((warning) => `leakwatch: warning: ${warning}`),
    "stderr"
  );
  if (settings.jsonPath !== void 0)
    await writeText("--json", settings.jsonPath, `${JSON.stringify(report, null, 2)}
`);
  if (settings.summaryPath !== void 0) {
    const markdown = renderMarkdown(report, {
      reportName: "leakwatch",
      maxBytes: SUMMARY_MAX_BYTES,
      charts: "shown",
      more: settings.jsonPath === void 0 ? "in the JSON report (--json)" : `in the JSON report (${settings.jsonPath})`
    });
    await writeText("--summary", settings.summaryPath, markdown);
  }
  if (report.exitCode !== 0) return report.exitCode;
  if (report.cancelled) return 128 + constants.signals.SIGINT;
  const unmeasurable = nothingMeasuredProblem(report);
  if (unmeasurable !== void 0) {
    printLine(`leakwatch: ${settings.onNothingMeasured === "fail" ? "error" : "warning"}: ${unmeasurable}`, "stderr");
    if (settings.onNothingMeasured === "fail") return 1;
  }
  return failingLeaks(report, settings.failOnLeak).length > 0 ? 1 : 0;
}
async function mergeCommand(args) {
  let settings;
  try {
    settings = readMergeCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    printLines(`leakwatch merge: ${error.message}`.split("\n"), "stderr");
    return 2;
  }
  if (settings === "help") {
    printLines(MERGE_USAGE.split("\n"));
    return 0;
  }
  for (const file of settings.files) {
    const problem = await unreadable(file);
    if (problem !== void 0) {
      printLine(`leakwatch merge: the report file ${file} ${problem}`, "stderr");
      return 2;
    }
  }
  const { baseline } = settings;
  const base = baseline.kind === "file" ? await readBaseFile(baseline.path, process.cwd()) : void 0;
  const merger = new ReportMerger({
    toolVersion: toolVersion(),
    base: base === void 0 || typeof base === "string" ? void 0 : { ...base, threshold: settings.regression },
    baselineProblem: typeof base === "string" ? base : null
  });
  const onWriteFailure = (error) => {
    const message = error instanceof Error ? error.message : String(error);
    printLine(`leakwatch merge: warning: could not write the file of --json: ${message}`, "stderr");
  };
  const writer = settings.jsonPath === void 0 ? void 0 : await startMergedFile(settings.jsonPath, toolVersion(), onWriteFailure);
  const sources = settings.files.map((file) => ({
    what: file,
    label: shardLabel("", null, path.basename(file, ".json")),
    strict: false,
    read: async () => {
      const read2 = await readRegularFile(file, void 0);
      return read2.problem === void 0 ? { text: read2.text } : { problem: `it ${read2.problem}` };
    }
  }));
  const read = await readShards(sources, merger, writer, { expect: {}, onWriteFailure });
  if (read.refused.length > 0) {
    await read.writer?.abandon();
    if (settings.jsonPath !== void 0) await rm(settings.jsonPath, { force: true });
    for (const shard of read.refused) printLine(`leakwatch merge: ${shard.why}.`, "stderr");
    return 2;
  }
  const missing = missingShards(read.reported, [], settings.shards, void 0);
  const merged = await finishMerge(merger, read.writer, missing, onWriteFailure);
  const report = merged.report;
  printLines(renderTerminal(report));
  printLines(
    report.warnings.map((warning) => `leakwatch: warning: ${warning}`),
    "stderr"
  );
  if (settings.summaryPath !== void 0) {
    const markdown = renderMarkdown(report, {
      reportName: "leakwatch",
      maxBytes: SUMMARY_MAX_BYTES,
      charts: "shown",
      memory: merged.memory,
      more: settings.jsonPath === void 0 || !merged.written ? "in the shards' reports" : `in the JSON report (${settings.jsonPath})`
    });
    await writeText("--summary", settings.summaryPath, markdown);
  }
  const { failures, warnings } = verdict(report, settings);
  for (const warning of warnings) printLine(`leakwatch: warning: ${warning}`, "stderr");
  for (const failure of failures) printLine(`leakwatch: ${failure}`, "stderr");
  return failures.length > 0 ? 1 : 0;
}
async function unreadable(file) {
  try {
    return (await stat(file)).isFile() ? void 0 : "is not a regular file: give JSON reports.";
  } catch (error) {
    return error.code === "ENOENT" ? "does not exist." : "cannot be read.";
  }
}
async function writeText(option, file, text) {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    printLine(`leakwatch: warning: could not write the file of ${option}: ${message}`, "stderr");
  }
}
process.exitCode = await main(process.argv.slice(2));
