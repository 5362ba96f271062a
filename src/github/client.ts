/** The GitHub API client: @actions/github's, retrying transient failures a bounded number of times. */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { printLine } from '../log.js';

const MAX_RETRIES = 2;
/** A rate limit that lifts later than this is not waited for: the comment is not worth holding the job. */
const MAX_WAIT_SECONDS = 60;

export function createClient(token: string): ReturnType<typeof getOctokit> {
  // Return true to retry (Octokit's throttling plugin's contract).
  const retryRateLimit = (
    retryAfter: number,
    request: { method: string; url: string },
    _octokit: unknown,
    retryCount: number,
  ): boolean => {
    const aborted = (request as { request?: { signal?: AbortSignal } }).request?.signal?.aborted === true;
    const retrying = !aborted && retryCount < MAX_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    printLine(
      `leakwatch: GitHub's rate limit stopped ${request.method} ${request.url}; ` +
        (retrying ? `retrying in ${retryAfter} s.` : 'giving up.'),
    );
    return retrying;
  };
  return getOctokit(
    token,
    {
      // 5xx and other transient failures are retried after 1, then 4 seconds; a 403 or 404 is an answer, not a hiccup.
      retry: { retries: MAX_RETRIES },
      throttle: { onRateLimit: retryRateLimit, onSecondaryRateLimit: retryRateLimit },
    },
    retry,
    throttling,
  );
}

/**
 * Runs `work` with a signal that aborts its requests after `seconds`, and gives up on it then even if some retry or
 * rate-limit wait would hold it longer: a GitHub that never answers, or answers forever, never holds the job.
 * LEAKWATCH_GITHUB_DEADLINE (seconds) shortens it, for tests.
 */
export async function withDeadline<T>(seconds: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const override = Number(process.env.LEAKWATCH_GITHUB_DEADLINE);
  const limit = override > 0 ? Math.min(override, seconds) : seconds;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A plain AbortError: the retry plugin retries errors of other kinds.
      controller.abort();
      reject(new Error(`GitHub did not answer within ${limit} s`));
    }, limit * 1000);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** What to tell the user when GitHub refused: how to get the comment, never a reason to fail the build. */
export function explainCommentFailure(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 && /not accessible by integration/i.test(message)) {
    return (
      'leakwatch could not comment on the pull request: its token may only read ("Resource not accessible by ' +
      'integration"), as on pull requests from forks. The findings are in the job summary. To comment on such pull ' +
      "requests, post the comment from a workflow_run workflow (see leakwatch's docs/pull-requests.md), " +
      "or give this job 'permissions: pull-requests: write'."
    );
  }
  const code = typeof status === 'number' ? ` (HTTP ${status})` : '';
  return `leakwatch could not comment on the pull request${code}: ${message}. The findings are in the job summary.`;
}
