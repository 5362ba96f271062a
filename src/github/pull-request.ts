/** Which pull request a run is for, what it is based on, and where its links point. */
import type { PullRequestBase } from './artifacts.js';

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
  /** The commit the tests ran on; file links point at it. */
  headSha: string;
}

/** The parts of the Actions context this needs (@actions/github's `context` has them). */
export interface RunContext {
  eventName: string;
  payload: { pull_request?: { number: number; head?: { sha?: string }; base?: { ref?: string; sha?: string } } };
  repo: { owner: string; repo: string };
  serverUrl: string;
  runId: number;
  /** The commit the run is for. */
  sha: string;
}

/** Comments go on pull requests: `pull_request` and `pull_request_target` events. */
export function pullRequestOf(context: RunContext): PullRequest | undefined {
  const pull = context.payload.pull_request;
  if (!['pull_request', 'pull_request_target'].includes(context.eventName) || pull === undefined) return undefined;
  return { ...context.repo, number: pull.number, headSha: pull.head?.sha ?? '' };
}

/** The commit a run's links point at: the pull request's head, else the commit the run is for. */
export function linkedCommit(context: RunContext, pull: PullRequest | undefined): Omit<PullRequest, 'number'> {
  return pull ?? { ...context.repo, headSha: context.sha };
}

/** A link to a file and line at that commit. */
export function fileLink(
  context: RunContext,
  pull: Omit<PullRequest, 'number'>,
  file: string,
  line: number | null,
): string | undefined {
  if (file.startsWith('../') || pull.headSha === '') return undefined;
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${context.serverUrl}/${pull.owner}/${pull.repo}/blob/${pull.headSha}/${path}${line === null ? '' : `#L${line}`}`;
}

export function runLink(context: RunContext): string | undefined {
  return context.runId
    ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`
    : undefined;
}

/** The pull request's base branch and commit, and this run, to find the base's report by. */
export function pullRequestBaseOf(context: RunContext): PullRequestBase | undefined {
  const pull = pullRequestOf(context);
  const base = context.payload.pull_request?.base;
  if (pull === undefined || base?.ref === undefined || base.sha === undefined) return undefined;
  return { owner: pull.owner, repo: pull.repo, runId: context.runId, ref: base.ref, sha: base.sha };
}
