/** Which pull request a run is for, what it is based on, and where its links point. */
import type { PullRequestBase } from './artifacts.js';
import type { TriggeringRun } from './shards.js';

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
  /** The commit the tests ran on; file links point at it. */
  headSha: string;
}

/** Where a run's findings go, and what their links point at. */
export interface Place {
  /** The pull request to comment on; undefined on other runs, and where none was found. */
  pull: PullRequest | undefined;
  /** The commit that tests ran on: links to files point at it. */
  commit: Omit<PullRequest, 'number'>;
  runUrl: string | undefined;
  /** Runs that are not a pull request's (pushes, schedules) leave their report for pull requests to compare with. */
  savesBase: boolean;
}

/** The parts of the Actions context this needs (@actions/github's `context` has them). */
export interface RunContext {
  eventName: string;
  payload: {
    pull_request?: { number: number; head?: { sha?: string }; base?: { ref?: string; sha?: string } };
    workflow_run?: unknown;
  };
  repo: { owner: string; repo: string };
  serverUrl: string;
  runId: number;
  /** The commit the run is for. */
  sha: string;
}

/** Comments go on pull requests: `pull_request` and `pull_request_target` events. */
export function pullRequestOf(context: RunContext): PullRequest | undefined {
  const pull = context.payload.pull_request;
  if (!isPullRequestEvent(context.eventName) || pull === undefined) return undefined;
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

/** Where this run's findings go: its pull request on pull request events, else its commit, whose report is the base. */
export function placeOfRun(context: RunContext): Place {
  const pull = pullRequestOf(context);
  return { pull, commit: linkedCommit(context, pull), runUrl: runLink(context), savesBase: pull === undefined };
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

export function isPullRequestEvent(event: string): boolean {
  return PULL_REQUEST_EVENTS.includes(event);
}

/** The run a `workflow_run` event tells of, read from its payload; undefined on other events or a payload unlike it. */
export function triggeringRunOf(context: RunContext): TriggeringRun | undefined {
  if (context.eventName !== 'workflow_run') return undefined;
  const run = context.payload.workflow_run as
    | {
        id?: unknown;
        event?: unknown;
        head_sha?: unknown;
        head_branch?: unknown;
        head_repository?: { full_name?: unknown } | null;
        pull_requests?: { number?: unknown; head?: { sha?: unknown }; base?: { ref?: unknown; sha?: unknown } }[];
      }
    | undefined;
  if (typeof run?.id !== 'number' || typeof run.head_sha !== 'string' || typeof run.event !== 'string')
    return undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    id: run.id,
    event: run.event,
    headSha: run.head_sha,
    headBranch: text(run.head_branch),
    headRepository: text(run.head_repository?.full_name),
    pullRequests: (run.pull_requests ?? []).flatMap((pull) =>
      typeof pull.number === 'number'
        ? [
            {
              number: pull.number,
              headSha: text(pull.head?.sha),
              baseRef: text(pull.base?.ref),
              baseSha: text(pull.base?.sha),
            },
          ]
        : [],
    ),
  };
}
