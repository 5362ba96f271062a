/**
 * One comment per report on a pull request, found again by a hidden marker and updated in place, so that several
 * workflows or matrix jobs with different report names keep comments of their own.
 */
import type { getOctokit } from '@actions/github';
import type { PullRequest } from './pull-request.js';

type Octokit = ReturnType<typeof getOctokit>;

export function commentMarker(reportName: string): string {
  return `<!-- leakwatch report: ${reportName} -->`;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'not needed';

/**
 * Writes `body` into the report's comment. Without a comment yet, one is made only when there is something to
 * say (`worthPosting`): a pull request with no findings gets no all-clear comment, but a comment that showed leaks is
 * rewritten to the all-clear when they are gone.
 */
export async function upsertComment(
  octokit: Octokit,
  pull: PullRequest,
  reportName: string,
  body: string,
  worthPosting: boolean,
): Promise<CommentAction> {
  const marker = commentMarker(reportName);
  const markedBody = `${marker}\n${body}`;
  const existing = await findComment(octokit, pull, marker);
  if (existing === undefined) {
    if (!worthPosting) return 'not needed';
    await octokit.rest.issues.createComment({
      owner: pull.owner,
      repo: pull.repo,
      issue_number: pull.number,
      body: markedBody,
    });
    return 'created';
  }
  if (existing.body === markedBody) return 'unchanged';
  await octokit.rest.issues.updateComment({
    owner: pull.owner,
    repo: pull.repo,
    comment_id: existing.id,
    body: markedBody,
  });
  return 'updated';
}

async function findComment(
  octokit: Octokit,
  pull: PullRequest,
  marker: string,
): Promise<{ id: number; body: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: pull.owner,
    repo: pull.repo,
    issue_number: pull.number,
    per_page: 100,
  });
  for await (const page of pages) {
    // The marker opens our own comments; a reply quoting one starts with '>' and is left alone.
    const found = page.data.find((comment) => comment.body?.startsWith(marker));
    if (found?.body !== undefined) return { id: found.id, body: found.body };
  }
  return undefined;
}
