#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  CLI_USAGE,
  InputError,
  SUMMARY_MAX_BYTES,
  cancelOnSignals,
  compareWithBase,
  failingLeaks,
  measure,
  nothingMeasuredProblem,
  printLine,
  printLines,
  readBaseFile,
  readCliSettings,
  renderMarkdown,
  renderTerminal,
  toolVersion
} from "./chunk-2JUS5JM3.js";
import "./chunk-NV5WPINZ.js";

// src/cli.ts
import { mkdir, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import path from "node:path";
async function main(args) {
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
