/**
 * The action's merge step (`merge: true`): the reports that a matrix's shards saved as artifacts of a run (this one,
 * or under `workflow_run` the run that triggered it) merged into one, compared with the base's merged report, and
 * published once. Nothing of the shards is run: their reports are JSON, checked against the report's schema before
 * use, and shown with the same escaping as any test id.
 */
import { context } from '@actions/github';
import { readBaseFile, type BaseReport } from './baseline.js';
import { fetchBaseReport, artifactName } from './github/artifacts.js';
import { createClient, withDeadline } from './github/client.js';
import {
  isPullRequestEvent,
  placeOfRun,
  pullRequestBaseOf,
  runLink,
  triggeringRunOf,
  type Place,
} from './github/pull-request.js';
import { findPullRequest, listArtifacts, listJobs, readArtifactFile, type RunPlace } from './github/shards.js';
import { annotate } from './annotate.js';
import { printLine } from './log.js';
import { toolVersion } from './measure.js';
import { ReportMerger } from './merge.js';
import { finishMerge, readShards, startMergedFile, type ShardSource } from './merge-shards.js';
import { publish, reportDirectory, reportPathOf } from './publish.js';
import type { PullRequestBase } from './github/artifacts.js';
import type { MergeActionSettings } from './settings.js';
import { missingShards } from './shards.js';
import { verdict, type Verdict } from './verdict.js';
import { mkdir } from 'node:fs/promises';

type Client = ReturnType<typeof createClient>;

/** Listing a run's artifacts or jobs, or finding its pull request, is given this long; each download as long again. */
const CALL_DEADLINE_SECONDS = 60;
/** Shards read at most: a matrix has at most 256 jobs, and a fork could leave any number of artifacts. */
const MAX_SHARDS = 256;

export async function mergeStep(
  settings: MergeActionSettings,
  workspace: string,
  cancel: AbortSignal,
): Promise<Verdict> {
  for (const message of settings.unused) annotate('warning', message);
  const client = createClient(settings.githubToken);
  const triggering = triggeringRunOf(context);
  const run: RunPlace = { ...context.repo, runId: settings.runId ?? triggering?.id ?? context.runId };
  const { place, base } = await placeOfMerge(client, run);
  printLine(
    `leakwatch: merging the reports of ${settings.reportName}'s shards, saved as artifacts of run ${run.runId}`,
  );

  const found = await findBaseReport(client, settings, base, workspace);
  const merger = new ReportMerger({
    toolVersion: toolVersion(),
    base:
      found === undefined || typeof found === 'string'
        ? undefined
        : { report: found.report, source: found.source, threshold: settings.regression },
    baselineProblem: typeof found === 'string' ? found : null,
  });
  const listed = await shardSources(client, run, settings.reportName);

  const reportPath = reportPathOf(settings.reportName);
  const onWriteFailure = (error: unknown): void => {
    annotate(
      'warning',
      `leakwatch could not write the JSON report: ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  await mkdir(reportDirectory(), { recursive: true }).catch(onWriteFailure);
  const writer = await startMergedFile(reportPath, toolVersion(), onWriteFailure);
  const sources = typeof listed === 'string' ? [] : listed;
  const read = await readShards(sources, merger, writer, {
    expect: { reportName: settings.reportName, commit: await headOf(client, run, place) },
    cancel,
    onWriteFailure,
  });
  const jobs = await withDeadline(CALL_DEADLINE_SECONDS, (signal) => listJobs(client, run, signal)).catch(
    () => undefined,
  );
  const missing = missingShards(read.reported, read.refused, settings.shards, jobs);
  if (typeof listed === 'string') merger.noReports(listed);
  else if (read.reported.length === 0 && read.refused.length === 0) {
    merger.noReports(
      `no artifact named ${settings.reportName}-<shard> in run ${run.runId}: the shards' steps need 'publish: merge-later' ` +
        `and report-name ${settings.reportName}, and this job needs them (needs: with if: always())`,
    );
  }
  const merged = await finishMerge(merger, read.writer, missing, onWriteFailure);
  printLine(
    `leakwatch: merged ${read.reported.length} shard${read.reported.length === 1 ? '' : 's'}` +
      (missing.length === 0 ? '' : `; ${missing.length} missing or refused`),
  );
  await publish(merged.report, settings, place, {
    reportPath: merged.written ? reportPath : undefined,
    memory: merged.memory,
  });
  return verdict(merged.report, settings);
}

/**
 * The shards' reports of the run: its artifacts `<report-name>-<label>` (not `<report-name>-report`, the base's), read
 * each in turn; or why GitHub did not list them.
 */
async function shardSources(client: Client, run: RunPlace, reportName: string): Promise<ShardSource[] | string> {
  const listed = await withDeadline(CALL_DEADLINE_SECONDS, (signal) =>
    listArtifacts(client, run, `${reportName}-`, signal),
  ).catch((error: unknown) => refusal(error, run, 'artifacts'));
  if (typeof listed === 'string') return listed;
  const artifacts = listed.filter((artifact) => artifact.name !== artifactName(reportName));
  if (artifacts.length > MAX_SHARDS) {
    annotate(
      'warning',
      `leakwatch found ${artifacts.length} artifacts named ${reportName}-*, and merges the first ${MAX_SHARDS} ` +
        '(a matrix has at most 256 jobs).',
    );
  }
  return artifacts.slice(0, MAX_SHARDS).map((artifact) => ({
    what: `artifact ${artifact.name}`,
    label: artifact.name.slice(reportName.length + 1),
    strict: true,
    read: async () => {
      const read = await withDeadline(CALL_DEADLINE_SECONDS, (signal) =>
        readArtifactFile(client, run, artifact, `${reportName}.json`, signal),
      );
      return read === 'missing' ? 'not ours' : read;
    },
  }));
}

/**
 * Where the merge's findings go: under `workflow_run`, the pull request of the run that triggered it (GitHub links a
 * same-repository one; a fork's is found by its head), else this run's own place. And the base to compare with.
 */
async function placeOfMerge(
  client: Client,
  run: RunPlace,
): Promise<{ place: Place; base: PullRequestBase | undefined }> {
  const triggering = triggeringRunOf(context);
  if (triggering === undefined || triggering.id !== run.runId) {
    return { place: placeOfRun(context), base: pullRequestBaseOf(context) };
  }
  const commit = { ...context.repo, headSha: triggering.headSha };
  const place = { pull: undefined, commit, runUrl: runLink(context), savesBase: false };
  if (!isPullRequestEvent(triggering.event)) return { place: { ...place, savesBase: true }, base: undefined };
  const pull = await withDeadline(CALL_DEADLINE_SECONDS, (signal) =>
    findPullRequest(client, context.repo, triggering, signal),
  ).catch((error: unknown) => {
    annotate('warning', `leakwatch could not look up the pull request of run ${run.runId}: ${message(error)}`);
    return undefined;
  });
  if (pull === undefined) {
    annotate(
      'warning',
      `leakwatch found no open pull request whose head is run ${run.runId}'s commit ${triggering.headSha.slice(0, 7)} ` +
        '(closed, or pushed to since): the findings are in the job summary only.',
    );
    return { place, base: undefined };
  }
  return {
    place: { ...place, pull: { ...context.repo, number: pull.number, headSha: triggering.headSha } },
    base: { ...context.repo, runId: context.runId, ref: pull.baseRef, sha: pull.baseSha },
  };
}

/**
 * The commit the shards' tests must have run on: this run's (a pull request's head), the triggering run's, or, for a
 * `run-id` of another run, that run's head as GitHub tells it (undefined, unchecked, when it does not).
 */
async function headOf(client: Client, run: RunPlace, place: Place): Promise<string | undefined> {
  if (run.runId === context.runId || run.runId === triggeringRunOf(context)?.id) return place.commit.headSha;
  return withDeadline(CALL_DEADLINE_SECONDS, async (signal) => {
    const { data } = await client.rest.actions.getWorkflowRun({
      ...context.repo,
      run_id: run.runId,
      request: { signal },
    });
    return data.head_sha;
  }).catch((error: unknown) => {
    annotate(
      'warning',
      `leakwatch could not ask GitHub for run ${run.runId}'s commit (${message(error)}): the shards' commits are not checked.`,
    );
    return undefined;
  });
}

/** A file given, else on a pull request its base's merged report; nothing on other runs, which save theirs. */
async function findBaseReport(
  client: Client,
  settings: MergeActionSettings,
  base: PullRequestBase | undefined,
  workspace: string,
): Promise<BaseReport | string | undefined> {
  const { baseline } = settings;
  if (baseline.kind === 'off') return undefined;
  if (baseline.kind === 'file') return readBaseFile(baseline.path, workspace, { insideDirectory: true });
  if (base === undefined) return undefined;
  return fetchBaseReport(client, base, settings.reportName);
}

function refusal(error: unknown, run: RunPlace, what: string): string {
  const status = (error as { status?: unknown }).status;
  const permission = status === 403 || status === 404 ? " Give the job 'permissions: actions: read'." : '';
  return `GitHub did not list run ${run.runId}'s ${what} (${message(error)}).${permission}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
