/**
 * The report as a workflow artifact: saved on runs that are not a pull request's (pushes, schedules), and found again
 * for a pull request in the base branch's latest successful run of the same workflow. Through the REST API with the
 * job's token (`actions: read`) and @actions/artifact; nothing here fails the build.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { MAX_BASE_REPORT_BYTES, type BaseReport } from '../baseline.js';
import { parseBaseReport } from '../compare.js';
import { formatSize } from '../size.js';
import { withDeadline, type createClient } from './client.js';

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

/** A shard's artifact: `<report-name>-<label>`, which the merge step finds by its `<report-name>-` start. */
export function shardArtifactName(reportName: string, label: string): string {
  return `${reportName}-${label}`;
}

/**
 * Saves the report file as this run's artifact `name`, and gives its id. An artifact of that name saved by an earlier
 * attempt of the job (a re-run) is replaced, as upload-artifact's `overwrite` does: artifact names are unique in a run.
 */
export async function saveReport(reportPath: string, name: string, retentionDays?: number): Promise<number> {
  const client = await artifactClient();
  const upload = async (): Promise<number> => {
    const { id } = await client.uploadArtifact(name, [reportPath], path.dirname(reportPath), {
      ...(retentionDays === undefined ? {} : { retentionDays }),
    });
    return id ?? 0;
  };
  try {
    return await upload();
  } catch (error) {
    if (!/\(409\)/.test(error instanceof Error ? error.message : String(error))) throw error;
    await client.deleteArtifact(name);
    return upload();
  }
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

/** The base's lookup, listing runs and artifacts and downloading one, is given this long at most. */
const BASE_DEADLINE_SECONDS = 60;
/** The most of an artifact downloaded, and of its report unzipped: a real report zips to a tenth of its size. */
export const MAX_ARTIFACT_BYTES = 50_000_000;
export const MAX_UNZIPPED_BYTES = MAX_BASE_REPORT_BYTES;

/**
 * The report of the pull request's base: from the latest successful run of this workflow at the base commit, else on
 * the base branch. Or why there is none, in words for people.
 */
export async function fetchBaseReport(
  client: Client,
  base: PullRequestBase,
  reportName: string,
): Promise<BaseReport | string> {
  try {
    return await withDeadline(BASE_DEADLINE_SECONDS, (signal) => lookUpBaseReport(client, base, reportName, signal));
  } catch (error) {
    return explainFailure(error);
  }
}

async function lookUpBaseReport(
  client: Client,
  base: PullRequestBase,
  reportName: string,
  signal: AbortSignal,
): Promise<BaseReport | string> {
  const name = artifactName(reportName);
  const { owner, repo } = base;
  const request = { signal };
  const { data: thisRun } = await client.rest.actions.getWorkflowRun({ owner, repo, run_id: base.runId, request });
  const successfulRuns = async (headSha?: string) => {
    const { data } = await client.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: thisRun.workflow_id,
      branch: base.ref,
      status: 'success',
      per_page: RUNS_SEARCHED,
      ...(headSha === undefined ? {} : { head_sha: headSha }),
      request,
    });
    // A pull request from a branch of the same name is not the base branch's own run.
    return data.workflow_runs.filter((run) => !run.event.startsWith('pull_request') && run.id !== base.runId);
  };
  const atBase = await successfulRuns(base.sha);
  const runs = atBase.length > 0 ? atBase : await successfulRuns();
  for (const run of runs.slice(0, RUNS_SEARCHED)) {
    const { data } = await client.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id, name, request });
    const artifact = data.artifacts.find((candidate) => candidate.name === name);
    if (artifact === undefined) continue;
    const what = `the base's report (artifact ${name} of run ${run.id}, commit ${run.head_sha.slice(0, 7)})`;
    if (artifact.expired) {
      return `${what} has expired. Keep it longer with the input retention-days.`;
    }
    if (!(artifact.size_in_bytes <= MAX_ARTIFACT_BYTES)) return tooLarge(what, artifact.size_in_bytes);
    const zip = await downloadZip(client, base, artifact.id, signal);
    if (zip === undefined) return tooLarge(what, undefined);
    const entry = await readZipEntry(zip, `${reportName}.json`, MAX_UNZIPPED_BYTES);
    if (entry === 'too large') {
      return `${what} unzips to more than ${formatSize(MAX_UNZIPPED_BYTES)}: leakwatch reads no more of a base's report.`;
    }
    if (entry === 'missing') return `${what} holds no ${reportName}.json.`;
    const report = parseBaseReport(entry.text, what);
    return typeof report === 'string'
      ? report
      : { report, source: { commit: run.head_sha, runId: run.id, file: null } };
  }
  return (
    `no successful run of this workflow on ${base.ref} left an artifact ${name}` +
    ` (${runs.length === 0 ? 'no successful run found' : `${runs.length} runs looked at`}). ` +
    `leakwatch saves one on every run that is not a pull request's: run this workflow on pushes to ${base.ref}.`
  );
}

function tooLarge(what: string, size: number | undefined): string {
  const limit = `the ${formatSize(MAX_ARTIFACT_BYTES)} leakwatch downloads of a base's report`;
  return size === undefined ? `${what} is more than ${limit}.` : `${what} is ${formatSize(size)}, more than ${limit}.`;
}

/**
 * The artifact's zip, read to at most MAX_ARTIFACT_BYTES (undefined beyond that): GitHub answers with a redirect to
 * a signed URL, which is fetched without the token.
 */
export async function downloadZip(
  client: Client,
  repository: { owner: string; repo: string },
  artifactId: number,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  const { headers } = await client.rest.actions.downloadArtifact({
    owner: repository.owner,
    repo: repository.repo,
    artifact_id: artifactId,
    archive_format: 'zip',
    request: { redirect: 'manual', signal },
  });
  if (headers.location === undefined) throw new Error('GitHub gave no address to download the artifact from');
  const response = await fetch(headers.location, { signal });
  if (!response.ok || response.body === null) {
    throw new Error(`the artifact's download failed (HTTP ${response.status})`);
  }
  if (Number(response.headers.get('content-length')) > MAX_ARTIFACT_BYTES) {
    await response.body.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the download.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_ARTIFACT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The text of the zip's entry `name`, unzipped to at most `maxBytes` ('too large' beyond: a zip bomb is stopped
 * there, not inflated), or undefined when the zip holds no such entry. Through unzip-stream, as @actions/artifact
 * unzips, but counting.
 */
export async function readZipEntry(
  zip: Buffer,
  name: string,
  maxBytes: number,
): Promise<{ text: string } | 'missing' | 'too large'> {
  const { default: unzip } = await import('unzip-stream');
  return new Promise((resolve, reject) => {
    const source = Readable.from([zip]);
    const parser = unzip.Parse();
    let pending = false;
    const settle = (result: { text: string } | 'missing' | 'too large' | Error): void => {
      source.destroy();
      parser.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    parser.on('entry', (entry) => {
      if (entry.path !== name || pending) {
        entry.autodrain();
        return;
      }
      pending = true;
      const chunks: Buffer[] = [];
      let size = 0;
      entry.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          entry.destroy();
          settle('too large');
        } else chunks.push(chunk);
      });
      entry.on('end', () => {
        settle({ text: Buffer.concat(chunks).toString('utf8') });
      });
      entry.on('error', settle);
    });
    parser.on('error', settle);
    parser.on('finish', () => {
      if (!pending) settle('missing');
    });
    source.pipe(parser);
  });
}

export function explainFailure(error: unknown): string {
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
