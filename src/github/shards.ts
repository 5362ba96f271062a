/**
 * What the merge step reads of GitHub: the shards' artifacts of a workflow run, downloaded and unzipped within
 * bounds, the run's jobs (to name a shard that left no report), and the pull request of a `workflow_run`'s run.
 * Through the REST API with the job's token (`actions: read`); each call is bounded in time.
 */
import type { RunJob } from '../shards.js';
import { formatSize } from '../size.js';
import { MAX_ARTIFACT_BYTES, MAX_UNZIPPED_BYTES, downloadZip, readZipEntry } from './artifacts.js';
import type { createClient } from './client.js';

type Client = ReturnType<typeof createClient>;

export interface RunPlace {
  owner: string;
  repo: string;
  runId: number;
}

export interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  sizeInBytes: number;
}

const PER_PAGE = 100;
/** Pages of a run's artifacts or jobs read at most: 1,000 of each, far past any matrix's 256 jobs. */
const MAX_PAGES = 10;

/** The run's artifacts whose names start with `prefix`, by name. */
export async function listArtifacts(
  client: Client,
  run: RunPlace,
  prefix: string,
  signal: AbortSignal,
): Promise<ListedArtifact[]> {
  const found: ListedArtifact[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await client.rest.actions.listWorkflowRunArtifacts({
      owner: run.owner,
      repo: run.repo,
      run_id: run.runId,
      per_page: PER_PAGE,
      page,
      request: { signal },
    });
    for (const artifact of data.artifacts) {
      if (artifact.name.startsWith(prefix)) {
        found.push({
          id: artifact.id,
          name: artifact.name,
          expired: artifact.expired,
          sizeInBytes: artifact.size_in_bytes,
        });
      }
    }
    if (data.artifacts.length < PER_PAGE) break;
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The text of `file` in the artifact, or why it cannot be had: too large, expired, not in it (`'missing'`). */
export async function readArtifactFile(
  client: Client,
  run: RunPlace,
  artifact: ListedArtifact,
  file: string,
  signal: AbortSignal,
): Promise<{ text: string } | { problem: string } | 'missing'> {
  if (artifact.expired) return { problem: 'it has expired' };
  const tooLarge = {
    problem: `it is more than the ${formatSize(MAX_ARTIFACT_BYTES)} leakwatch downloads of a shard's report`,
  };
  if (!(artifact.sizeInBytes <= MAX_ARTIFACT_BYTES)) return tooLarge;
  const zip = await downloadZip(client, run, artifact.id, signal);
  if (zip === undefined) return tooLarge;
  const entry = await readZipEntry(zip, file, MAX_UNZIPPED_BYTES);
  if (entry === 'too large') return { problem: `it unzips to more than ${formatSize(MAX_UNZIPPED_BYTES)}` };
  return entry;
}

/** The jobs of the run's latest attempt, as the REST API names them. */
export async function listJobs(client: Client, run: RunPlace, signal: AbortSignal): Promise<RunJob[]> {
  const jobs: RunJob[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await client.rest.actions.listJobsForWorkflowRun({
      owner: run.owner,
      repo: run.repo,
      run_id: run.runId,
      filter: 'latest',
      per_page: PER_PAGE,
      page,
      request: { signal },
    });
    jobs.push(...data.jobs.map((job) => ({ name: job.name, status: job.status, conclusion: job.conclusion })));
    if (data.jobs.length < PER_PAGE) break;
  }
  return jobs;
}

/** The run a `workflow_run` event tells of: where its tests ran, and for what. */
export interface TriggeringRun {
  id: number;
  event: string;
  headSha: string;
  headBranch: string;
  /** `owner/repo` of the head: a fork's, for a pull request from a fork. */
  headRepository: string;
  /** The pull requests GitHub links it to: none for a pull request from a fork. */
  pullRequests: { number: number; headSha: string; baseRef: string; baseSha: string }[];
}

export interface FoundPullRequest {
  number: number;
  headSha: string;
  baseRef: string;
  baseSha: string;
}

/**
 * The open pull request whose head is the run's head commit: one GitHub links the run to, else (a fork's, which
 * GitHub does not link) the one from the run's head repository and branch at that commit. Undefined when none is.
 */
export async function findPullRequest(
  client: Client,
  repository: { owner: string; repo: string },
  run: TriggeringRun,
  signal: AbortSignal,
): Promise<FoundPullRequest | undefined> {
  const linked = run.pullRequests.find((pull) => pull.headSha === run.headSha);
  if (linked !== undefined) return linked;
  const headOwner = run.headRepository.split('/')[0] ?? '';
  const { data } = await client.rest.pulls.list({
    owner: repository.owner,
    repo: repository.repo,
    state: 'open',
    head: `${headOwner}:${run.headBranch}`,
    per_page: PER_PAGE,
    request: { signal },
  });
  const pull = data.find(
    (candidate) => candidate.head.sha === run.headSha && candidate.head.repo.full_name === run.headRepository,
  );
  return pull === undefined
    ? undefined
    : { number: pull.number, headSha: pull.head.sha, baseRef: pull.base.ref, baseSha: pull.base.sha };
}
