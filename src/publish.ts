/**
 * Everywhere the action reports: the JSON report (saved as an artifact on runs that are not a pull request's, for
 * pull requests to compare with), the job log, annotations, the job summary, the pull request. A shard of a matrix
 * (`publish: merge-later`) saves its report for the merge step instead, and writes a short summary of its own.
 */
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { failingLeaks, type FailOnLeak } from './compare.js';
import { annotationsFor } from './format/annotations.js';
import type { MemorySeries } from './format/charts.js';
import { findingsOf } from './format/findings.js';
import { COMMENT_MAX_BYTES, SUMMARY_MAX_BYTES, renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { artifactName, saveReport, shardArtifactName } from './github/artifacts.js';
import { createClient, explainCommentFailure } from './github/client.js';
import { commentMarker, upsertComment } from './github/comment.js';
import { context } from '@actions/github';
import { fileLink, type Place } from './github/pull-request.js';
import type { Report } from './report.js';
import type { PublishSettings } from './settings.js';
import { annotate } from './annotate.js';
import { printLine, printLines } from './log.js';

/** The shard's short summary: its findings, the largest first, cut short of the whole report that the merge has. */
const SHARD_SUMMARY_MAX_BYTES = 16_384;

/** The directory of the report files: RUNNER_TEMP/leakwatch. */
export function reportDirectory(): string {
  return path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'leakwatch');
}

export function reportPathOf(reportName: string): string {
  return path.join(reportDirectory(), `${reportName}.json`);
}

/** Writes the JSON report where the `report` output points; undefined, with a warning, when it cannot be written. */
export async function writeReport(report: Report, reportName: string): Promise<string | undefined> {
  const reportPath = reportPathOf(reportName);
  const written = await attempt('the JSON report', async () => {
    await mkdir(reportDirectory(), { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    return true;
  });
  return written === true ? reportPath : undefined;
}

/**
 * Publishes a report whose JSON is at `reportPath` (undefined: it could not be written). `memory` is the process to
 * draw where the report's tests are not all at hand (a merged report's).
 */
export async function publish(
  report: Report,
  settings: PublishSettings,
  place: Place,
  { reportPath, memory }: { reportPath: string | undefined; memory?: MemorySeries | undefined },
): Promise<void> {
  const linkTo = (file: string, line: number | null) => fileLink(context, place.commit, file, line);
  const body = renderMarkdown(report, {
    reportName: settings.reportName,
    maxBytes: COMMENT_MAX_BYTES,
    linkTo,
    charts: 'folded',
    memory,
    runUrl: place.runUrl,
    more: "in the workflow run's job summary and JSON report",
  });
  // The comment's Markdown, kept beside the report for users who post it their own way.
  const markdownPath = path.join(reportDirectory(), `${settings.reportName}.comment.md`);
  const markdownWritten = await attempt('the comment file', async () => {
    await mkdir(reportDirectory(), { recursive: true });
    await writeFile(markdownPath, `${commentMarker(settings.reportName)}\n${body}`);
    return true;
  });
  await setOutputs(report, reportPath, markdownWritten === true ? markdownPath : undefined);
  logFindings(report, reportPath);
  if (report.baselineProblem !== null)
    annotate('warning', `leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (settings.failOnLeak === 'new' && report.baselineProblem !== null && report.tests.some((test) => test.leaked)) {
    annotate('warning', "leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.");
  }
  annotateFindings(report, settings.failOnLeak);

  await writeSummary(
    renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      linkTo,
      charts: 'shown',
      memory,
      more:
        reportPath === undefined
          ? 'in the job log'
          : `in the JSON report (${reportPath}, the step's \`report\` output)`,
    }),
  );

  if (place.savesBase) {
    if (reportPath !== undefined && settings.baseline.kind !== 'off') {
      await saveArtifact(
        reportPath,
        artifactName(settings.reportName),
        settings.retentionDays,
        'for pull requests to compare with',
      );
    }
    return;
  }
  if (place.pull === undefined || !settings.comment) return;
  const findings = findingsOf(report);
  try {
    const done = await upsertComment(
      createClient(settings.githubToken),
      place.pull,
      settings.reportName,
      body,
      findings.leaks.length + findings.incomplete.length > 0 ||
        report.coverage.unmeasured > 0 ||
        hasMissingShards(report),
    );
    printLine(`leakwatch: pull request comment ${done}.`);
  } catch (error) {
    annotate('warning', explainCommentFailure(error));
  }
}

/**
 * Publishes a shard's report (`publish: merge-later`): saved as the artifact `<report-name>-<label>` for the merge step,
 * its findings in the log and a short summary; no comment and no annotation on tests, which the merge step makes once.
 */
export async function publishShard(
  report: Report,
  settings: PublishSettings & { shard: { label: string } },
): Promise<void> {
  const reportPath = await writeReport(report, settings.reportName);
  await setOutputs(report, reportPath, undefined);
  logFindings(report, reportPath);
  const name = shardArtifactName(settings.reportName, settings.shard.label);
  await writeSummary(
    renderMarkdown(report, {
      reportName: `${settings.reportName === 'leakwatch' ? '' : `${settings.reportName} `}shard ${settings.shard.label}`,
      maxBytes: SHARD_SUMMARY_MAX_BYTES,
      more: `in this shard's artifact ${name}, and merged with the other shards by the step with merge: true`,
    }),
  );
  if (reportPath === undefined) return;
  if (process.env.ACTIONS_RUNTIME_TOKEN === undefined) {
    annotate('warning', `leakwatch could not save shard ${settings.shard.label}'s report: this is not an Actions job.`);
    return;
  }
  await saveArtifact(reportPath, name, settings.retentionDays, 'for the merge step');
}

function hasMissingShards(report: Report): boolean {
  return (report.missingShards?.length ?? 0) > 0;
}

async function setOutputs(
  report: Report,
  reportPath: string | undefined,
  markdownPath: string | undefined,
): Promise<void> {
  await attempt("the step's outputs", () => {
    core.setOutput('leaks', report.tests.filter((test) => test.leaked).length);
    // Empty with no base to compare with: then no leak is known to be new.
    core.setOutput('new-leaks', report.comparison === null ? '' : report.comparison.new.length);
    core.setOutput('crashed', report.incomplete.length);
    core.setOutput('tests', report.coverage.measured);
    core.setOutput('unmeasured', report.coverage.unmeasured);
    core.setOutput('missing-shards', report.missingShards?.length ?? '');
    core.setOutput('report', reportPath ?? '');
    core.setOutput('markdown', markdownPath ?? '');
    core.setOutput('exit-code', report.exitCode);
  });
}

function logFindings(report: Report, reportPath: string | undefined): void {
  printLines([
    ...renderTerminal(report),
    ...(reportPath === undefined ? [] : [`leakwatch: the JSON report is at ${reportPath}`]),
  ]);
  for (const warning of report.warnings) annotate('warning', warning);
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await attempt('the job summary', () => core.summary.addRaw(markdown).write());
}

/** Runs one output's writing; a failure is a warning naming the output, and never stops the others. */
async function attempt<T>(what: string, write: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    annotate('warning', `leakwatch could not write ${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Saves the report file as the artifact `name`, where Actions can keep it; a failure is a warning. */
async function saveArtifact(
  reportPath: string,
  name: string,
  retentionDays: number | undefined,
  why: string,
): Promise<void> {
  if (process.env.ACTIONS_RUNTIME_TOKEN === undefined) return;
  try {
    const id = await saveReport(reportPath, name, retentionDays);
    printLine(`leakwatch: saved the report as artifact ${name} (id ${id}), ${why}.`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    annotate('warning', `leakwatch could not save the report as an artifact, ${why}: ${message}`);
  }
}

function annotateFindings(report: Report, failOnLeak: FailOnLeak): void {
  const { annotations, left } = annotationsFor(report, new Set(failingLeaks(report, failOnLeak)));
  for (const { level, message, title, file, line } of annotations) {
    const properties = {
      title,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { startLine: line }),
    };
    annotate(level, message, properties);
  }
  if (left > 0)
    printLine(`leakwatch: ${left} more findings are not annotated (GitHub shows 10 a step); see the summary.`);
}
