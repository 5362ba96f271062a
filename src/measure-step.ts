/**
 * The action's usual step: run the test command measured, compare with the base, and publish here; or, for a shard of
 * a matrix (`publish: merge-later`), save the shard's report for the merge step.
 */
import { context } from '@actions/github';
import { compareWithBase, readBaseFile, type FindBase } from './baseline.js';
import { fetchBaseReport } from './github/artifacts.js';
import { createClient } from './github/client.js';
import { placeOfRun, pullRequestBaseOf } from './github/pull-request.js';
import { printLine } from './log.js';
import { measure } from './measure.js';
import { publish, publishShard, writeReport } from './publish.js';
import type { Report } from './report.js';
import type { MeasureActionSettings } from './settings.js';
import { formatSize } from './size.js';
import { verdict, type Verdict } from './verdict.js';

export async function measureStep(
  settings: MeasureActionSettings,
  workspace: string,
  cancel: AbortSignal,
): Promise<Verdict> {
  printLine(
    `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`,
  );
  const measured = await measure(
    settings,
    workspace,
    (line) => {
      printLine(line);
    },
    cancel,
  );
  const place = placeOfRun(context);
  if (settings.publish === 'merge-later') {
    const report: Report = {
      ...measured,
      shard: {
        label: settings.shard.label,
        reportName: settings.reportName,
        commit: place.commit.headSha,
        runId: context.runId,
        job: process.env.GITHUB_JOB ?? '',
        matrix: settings.shard.matrix,
        jobIndex: settings.shard.jobIndex,
        jobTotal: settings.shard.jobTotal,
      },
    };
    await publishShard(report, settings);
    // Leaks fail the merge step, once; a failing command, a cancel or nothing measured fail this job.
    return verdict(report, { ...settings, failOnLeak: 'never' });
  }
  const report = await compareWithBase(measured, settings, baseFinder(settings, workspace));
  await publish(report, settings, place, { reportPath: await writeReport(report, settings.reportName) });
  return verdict(report, settings);
}

/** A file given, else on a pull request the base branch's report; nothing on other runs, which save theirs. */
function baseFinder(settings: MeasureActionSettings, workspace: string): FindBase {
  const { baseline } = settings;
  return async () => {
    if (baseline.kind === 'off') return undefined;
    if (baseline.kind === 'file') return readBaseFile(baseline.path, workspace, { insideDirectory: true });
    const base = pullRequestBaseOf(context);
    if (base === undefined) return undefined;
    return fetchBaseReport(createClient(settings.githubToken), base, settings.reportName);
  };
}
