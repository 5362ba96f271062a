/** The GitHub API client: @actions/github's, retrying transient failures a bounded number of times. */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

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
    const retrying = retryCount < MAX_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    core.info(
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

/** What to tell the user when GitHub refused: how to get the comment, never a reason to fail the build. */
export function explainCommentFailure(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 && /not accessible by integration/i.test(message)) {
    return (
      'leakwatch could not comment on the pull request: its token may only read ("Resource not accessible by ' +
      'integration"), as on pull requests from forks. The findings are in the job summary. To comment on such pull ' +
      'requests, post the comment from a workflow_run workflow (see "Pull requests from forks" in leakwatch\'s README), ' +
      "or give this job 'permissions: pull-requests: write'."
    );
  }
  const code = typeof status === 'number' ? ` (HTTP ${status})` : '';
  return `leakwatch could not comment on the pull request${code}: ${message}. The findings are in the job summary.`;
}
