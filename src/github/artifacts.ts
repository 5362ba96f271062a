/**
 * The report as a workflow artifact: saved on runs that are not a pull request's (pushes, schedules), and found again
 * for a pull request in the base branch's latest successful run of the same workflow. Through the REST API with the
 * job's token (`actions: read`) and @actions/artifact; nothing here fails the build.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseBaseReport } from '../compare.js';
import type { BaseReport } from '../baseline.js';
import type { createClient } from './client.js';

type Client = ReturnType<typeof createClient>;

/** @actions/artifact is loaded only when a run saves or fetches a report: it doubles the action's start-up time. */
async function artifactClient() {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  return new DefaultArtifactClient();
}

/** Runs of the base branch looked at for a report, newest first, when none is at the base commit. */
const RUNS_SEARCHED = 10;

/** The artifact's name: one per report name, as a workflow may have several leakwatch steps. */
export function artifactName(reportName: string): string {
  return `${reportName}-report`;
}

/** Saves the report file as this run's artifact; says what it did. */
export async function saveReport(reportPath: string, reportName: string, retentionDays?: number): Promise<string> {
  const name = artifactName(reportName);
  const { id } = await (
    await artifactClient()
  ).uploadArtifact(name, [reportPath], path.dirname(reportPath), {
    ...(retentionDays === undefined ? {} : { retentionDays }),
  });
  return `leakwatch: saved the report as artifact ${name} (id ${id}), for pull requests to compare with.`;
}

export interface PullRequestBase {
  owner: string;
  repo: string;
  /** This workflow run: its workflow is the one whose runs on the base branch are searched. */
  runId: number;
  /** The base branch and the commit the pull request is based on. */
  ref: string;
  sha: string;
}

/**
 * The report of the pull request's base: from the latest successful run of this workflow at the base commit, else on
 * the base branch. Or why there is none, in words for people.
 */
export async function fetchBaseReport(
  client: Client,
  token: string,
  base: PullRequestBase,
  reportName: string,
): Promise<BaseReport | string> {
  const name = artifactName(reportName);
  try {
    const { owner, repo } = base;
    const { data: thisRun } = await client.rest.actions.getWorkflowRun({ owner, repo, run_id: base.runId });
    const successfulRuns = async (headSha?: string) => {
      const { data } = await client.rest.actions.listWorkflowRuns({
        owner,
        repo,
        workflow_id: thisRun.workflow_id,
        branch: base.ref,
        status: 'success',
        per_page: RUNS_SEARCHED,
        ...(headSha === undefined ? {} : { head_sha: headSha }),
      });
      // A pull request from a branch of the same name is not the base branch's own run.
      return data.workflow_runs.filter((run) => !run.event.startsWith('pull_request') && run.id !== base.runId);
    };
    const atBase = await successfulRuns(base.sha);
    const runs = atBase.length > 0 ? atBase : await successfulRuns();
    for (const run of runs) {
      const { data } = await client.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id, name });
      const artifact = data.artifacts.find((candidate) => candidate.name === name);
      if (artifact === undefined) continue;
      const what = `the base's report (artifact ${name} of run ${run.id}, commit ${run.head_sha.slice(0, 7)})`;
      if (artifact.expired) {
        return `${what} has expired. Keep it longer with the input retention-days.`;
      }
      const text = await download(token, base, run.id, artifact.id, `${reportName}.json`);
      if (text === undefined) return `${what} holds no ${reportName}.json.`;
      const report = parseBaseReport(text, what);
      return typeof report === 'string'
        ? report
        : { report, source: { commit: run.head_sha, runId: run.id, file: null } };
    }
    return (
      `no successful run of this workflow on ${base.ref} left an artifact ${name}` +
      ` (${runs.length === 0 ? 'no successful run found' : `${runs.length} runs looked at`}). ` +
      `leakwatch saves one on every run that is not a pull request's: run this workflow on pushes to ${base.ref}.`
    );
  } catch (error) {
    return explainFailure(error);
  }
}

async function download(
  token: string,
  base: PullRequestBase,
  runId: number,
  artifactId: number,
  file: string,
): Promise<string | undefined> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-base-'));
  try {
    await (
      await artifactClient()
    ).downloadArtifact(artifactId, {
      path: directory,
      findBy: { token, workflowRunId: runId, repositoryOwner: base.owner, repositoryName: base.repo },
    });
    return await readFile(path.join(directory, file), 'utf8').catch(() => undefined);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function explainFailure(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 || status === 404) {
    return (
      `GitHub refused to list this workflow's runs or artifacts (HTTP ${status}: ${message}). ` +
      "Give the job 'permissions: actions: read' to compare with the base branch."
    );
  }
  return `leakwatch could not get the base's report: ${message}`;
}
