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
import { fileLink, pullRequestOf, runLink } from './github/pull-request.js';
import type { Report } from './report.js';
import type { ActionSettings } from './settings.js';

export async function publish(report: Report, settings: ActionSettings): Promise<void> {
  const directory = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'leakwatch');
  await mkdir(directory, { recursive: true });
  const reportPath = path.join(directory, `${settings.reportName}.json`);
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  core.setOutput('leaks', report.tests.filter((test) => test.leaked).length);
  core.setOutput('tests', report.tests.length);
  core.setOutput('report', reportPath);
  core.setOutput('exit-code', report.exitCode);

  for (const line of renderTerminal(report)) core.info(line);
  core.info(`leakwatch: the JSON report is at ${reportPath}`);
  for (const warning of report.warnings) core.warning(warning);
  if (report.baselineProblem !== null)
    core.warning(`leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (settings.failOnLeak === 'new' && report.baselineProblem !== null && report.tests.some((test) => test.leaked)) {
    core.warning("leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.");
  }
  annotate(report, settings.failOnLeak);

  if (process.env.GITHUB_STEP_SUMMARY) {
    const summary = renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      more: `in the JSON report (${reportPath}, the step's \`report\` output)`,
    });
    await core.summary.addRaw(summary).write();
  }

  const pull = pullRequestOf(context);
  if (pull === undefined) {
    await saveForPullRequests(reportPath, settings);
    return;
  }
  const body = renderMarkdown(report, {
    reportName: settings.reportName,
    maxBytes: COMMENT_MAX_BYTES,
    linkTo: (file, line) => fileLink(context, pull, file, line),
    runUrl: runLink(context),
    more: "in the workflow run's job summary and JSON report",
  });
  // Kept beside the report for a workflow_run workflow to post, where this job's token may not (forks).
  await writeFile(
    path.join(directory, `${settings.reportName}.comment.md`),
    `${commentMarker(settings.reportName)}\n${body}`,
  );
  if (!settings.comment) return;
  const findings = findingsOf(report);
  try {
    const done = await upsertComment(
      createClient(settings.githubToken),
      pull,
      settings.reportName,
      body,
      findings.leaks.length + findings.incomplete.length > 0,
    );
    core.info(`leakwatch: pull request comment ${done}.`);
  } catch (error) {
    core.warning(explainCommentFailure(error));
  }
}

/** Runs that are not a pull request's leave their report for pull requests to compare with, where Actions can keep it. */
async function saveForPullRequests(reportPath: string, settings: ActionSettings): Promise<void> {
  if (settings.baseline.kind === 'off' || process.env.ACTIONS_RUNTIME_TOKEN === undefined) return;
  try {
    core.info(await saveReport(reportPath, settings.reportName, settings.retentionDays));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.warning(`leakwatch could not save the report as an artifact, for pull requests to compare with: ${message}`);
  }
}

function annotate(report: Report, failOnLeak: FailOnLeak): void {
  const { annotations, left } = annotationsFor(report, new Set(failingLeaks(report, failOnLeak)));
  for (const { level, message, title, file, line } of annotations) {
    const properties = {
      title,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { startLine: line }),
    };
    if (level === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
  if (left > 0)
    core.info(`leakwatch: ${left} more findings are not annotated (GitHub shows 10 a step); see the summary.`);
}
