#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  CLI_USAGE,
  InputError,
  SUMMARY_MAX_BYTES,
  compareWithBase,
  failingLeaks,
  measure,
  readBaseFile,
  readCliSettings,
  renderMarkdown,
  renderTerminal,
  toolVersion
} from "./chunk-QH2O563N.js";
import "./chunk-NV5WPINZ.js";

// src/cli.ts
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
async function main(args) {
  let settings;
  try {
    settings = readCliSettings(args, process.cwd());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`leakwatch: ${error.message}
`);
    return 2;
  }
  if (settings === "help") {
    process.stdout.write(`${CLI_USAGE}
`);
    return 0;
  }
  if (settings === "version") {
    process.stdout.write(`${toolVersion()}
`);
    return 0;
  }
  const measured = await measure(settings, process.cwd(), (line) => process.stderr.write(`${line}
`));
  const { baseline } = settings;
  const report = await compareWithBase(
    measured,
    settings,
    async () => baseline.kind === "file" ? readBaseFile(baseline.path, process.cwd()) : void 0
  );
  process.stdout.write(`
${renderTerminal(report).join("\n")}
`);
  for (const warning of report.warnings) process.stderr.write(`leakwatch: warning: ${warning}
`);
  if (settings.jsonPath !== void 0) await writeText(settings.jsonPath, `${JSON.stringify(report, null, 2)}
`);
  if (settings.summaryPath !== void 0) {
    const markdown = renderMarkdown(report, {
      reportName: "leakwatch",
      maxBytes: SUMMARY_MAX_BYTES,
      more: settings.jsonPath === void 0 ? "in the JSON report (--json)" : `in the JSON report (${settings.jsonPath})`
    });
    await writeText(settings.summaryPath, markdown);
  }
  if (report.exitCode !== 0) return report.exitCode;
  return failingLeaks(report, settings.failOnLeak).length > 0 ? 1 : 0;
}
async function writeText(file, text) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
process.exitCode = await main(process.argv.slice(2));
