/**
 * Everywhere the action reports: the JSON report (saved as an artifact on runs that are not a pull request's, for
 * pull requests to compare with), the job log, annotations, the job summary, the pull request.
 */
import * as core from '@actions/core';
import { context } from '@actions/github';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { failingLeaks, type FailOnLeak } from './compare.js';
import { annotationsFor } from './format/annotations.js';
import { findingsOf } from './format/findings.js';
import { COMMENT_MAX_BYTES, SUMMARY_MAX_BYTES, renderMarkdown } from './format/markdown.js';
import { renderTerminal } from './format/terminal.js';
import { saveReport } from './github/artifacts.js';
import { createClient, explainCommentFailure } from './github/client.js';
import { commentMarker, upsertComment } from './github/comment.js';
import { fileLink, linkedCommit, pullRequestOf, runLink } from './github/pull-request.js';
import type { Report } from './report.js';
import type { ActionSettings } from './settings.js';
import { annotate } from './annotate.js';
import { printLine, printLines } from './log.js';

export async function publish(report: Report, settings: ActionSettings): Promise<void> {
  const directory = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'leakwatch');
  const reportPath = path.join(directory, `${settings.reportName}.json`);
  // Each output stands alone: one that cannot be written is a warning, and the others still go out.
  const written = await attempt('the JSON report', async () => {
    await mkdir(directory, { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    return true;
  });
  const pull = pullRequestOf(context);
  const commit = linkedCommit(context, pull);
  const linkTo = (file: string, line: number | null) => fileLink(context, commit, file, line);
  const body = renderMarkdown(report, {
    reportName: settings.reportName,
    maxBytes: COMMENT_MAX_BYTES,
    linkTo,
    charts: 'folded',
    runUrl: runLink(context),
    more: "in the workflow run's job summary and JSON report",
  });
  // The comment's Markdown, kept beside the report for users who post it their own way (a workflow_run workflow,
  // where this job's token may not: forks).
  const markdownPath = path.join(directory, `${settings.reportName}.comment.md`);
  const markdownWritten = await attempt('the comment file', async () => {
    await mkdir(directory, { recursive: true });
    await writeFile(markdownPath, `${commentMarker(settings.reportName)}\n${body}`);
    return true;
  });
  await attempt("the step's outputs", () => {
    core.setOutput('leaks', report.tests.filter((test) => test.leaked).length);
    // Empty with no base to compare with: then no leak is known to be new.
    core.setOutput('new-leaks', report.comparison === null ? '' : report.comparison.new.length);
    core.setOutput('crashed', report.incomplete.length);
    core.setOutput('tests', report.tests.length);
    core.setOutput('unmeasured', report.coverage.unmeasured);
    core.setOutput('report', written === true ? reportPath : '');
    core.setOutput('markdown', markdownWritten === true ? markdownPath : '');
    core.setOutput('exit-code', report.exitCode);
  });

  printLines([
    ...renderTerminal(report),
    ...(written === true ? [`leakwatch: the JSON report is at ${reportPath}`] : []),
  ]);
  for (const warning of report.warnings) annotate('warning', warning);
  if (report.baselineProblem !== null)
    annotate('warning', `leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (settings.failOnLeak === 'new' && report.baselineProblem !== null && report.tests.some((test) => test.leaked)) {
    annotate('warning', "leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.");
  }
  annotateFindings(report, settings.failOnLeak);

  if (process.env.GITHUB_STEP_SUMMARY) {
    const summary = renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      linkTo,
      charts: 'shown',
      more: written === true ? `in the JSON report (${reportPath}, the step's \`report\` output)` : 'in the job log',
    });
    await attempt('the job summary', () => core.summary.addRaw(summary).write());
  }

  if (pull === undefined) {
    if (written === true) await saveForPullRequests(reportPath, settings);
    return;
  }
  if (!settings.comment) return;
  const findings = findingsOf(report);
  try {
    const done = await upsertComment(
      createClient(settings.githubToken),
      pull,
      settings.reportName,
      body,
      findings.leaks.length + findings.incomplete.length > 0 || report.coverage.unmeasured > 0,
    );
    printLine(`leakwatch: pull request comment ${done}.`);
  } catch (error) {
    annotate('warning', explainCommentFailure(error));
  }
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

/** Runs that are not a pull request's leave their report for pull requests to compare with, where Actions can keep it. */
async function saveForPullRequests(reportPath: string, settings: ActionSettings): Promise<void> {
  if (settings.baseline.kind === 'off' || process.env.ACTIONS_RUNTIME_TOKEN === undefined) return;
  try {
    printLine(await saveReport(reportPath, settings.reportName, settings.retentionDays));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    annotate(
      'warning',
      `leakwatch could not save the report as an artifact, for pull requests to compare with: ${message}`,
    );
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
