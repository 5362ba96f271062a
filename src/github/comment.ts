/**
 * One comment per report on a pull request, found again by a hidden marker and updated in place, so that several
 * workflows or matrix jobs with different report names keep comments of their own. Only a comment written by the
 * token's own identity is ours: anyone can write the marker, and leakwatch never edits someone else's comment.
 */
import type { getOctokit } from '@actions/github';
import { annotate } from '../annotate.js';
import { withDeadline } from './client.js';
import type { PullRequest } from './pull-request.js';

type Octokit = ReturnType<typeof getOctokit>;

export function commentMarker(reportName: string): string {
  return `<!-- leakwatch report: ${reportName} -->`;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'not needed';

/** The comment's whole work, listing, asking who the token is and writing, is given this long at most. */
const COMMENT_DEADLINE_SECONDS = 60;
const PER_PAGE = 100;
/** Pages of comments read at most: 10,000 comments. GitHub's `next` links are not followed, so none can loop. */
export const MAX_COMMENT_PAGES = 100;

interface ListedComment {
  id: number;
  body?: string | undefined;
  user?: { login: string; type?: string } | null;
}

/**
 * Writes `body` into the report's comment. Without a comment yet, one is made only when there is something to
 * say (`worthPosting`): a pull request with no findings gets no all-clear comment, but a comment that showed leaks is
 * rewritten to the all-clear when they are gone.
 */
export function upsertComment(
  octokit: Octokit,
  pull: PullRequest,
  reportName: string,
  body: string,
  worthPosting: boolean,
): Promise<CommentAction> {
  return withDeadline(COMMENT_DEADLINE_SECONDS, async (signal) => {
    const marker = commentMarker(reportName);
    const markedBody = `${marker}\n${body}`;
    const existing = await findOwnComment(octokit, pull, marker, signal);
    if (existing === undefined) {
      if (!worthPosting) return 'not needed';
      await octokit.rest.issues.createComment({
        owner: pull.owner,
        repo: pull.repo,
        issue_number: pull.number,
        body: markedBody,
        request: { signal },
      });
      return 'created';
    }
    if (existing.body === markedBody) return 'unchanged';
    await octokit.rest.issues.updateComment({
      owner: pull.owner,
      repo: pull.repo,
      comment_id: existing.id,
      body: markedBody,
      request: { signal },
    });
    return 'updated';
  });
}

async function findOwnComment(
  octokit: Octokit,
  pull: PullRequest,
  marker: string,
  signal: AbortSignal,
): Promise<{ id: number; body: string } | undefined> {
  // The marker opens our comments; a reply quoting one starts with '>' and is left alone.
  const marked = (await listComments(octokit, pull, signal)).filter((comment) => comment.body?.startsWith(marker));
  if (marked.length === 0) return undefined;
  const self = await tokenLogin(octokit, signal);
  if (self === undefined) return undefined;
  const own = marked.find((comment) => isAuthor(comment, self));
  return own?.body === undefined ? undefined : { id: own.id, body: own.body };
}

/** Every comment of the pull request, page by page, up to MAX_COMMENT_PAGES. */
async function listComments(octokit: Octokit, pull: PullRequest, signal: AbortSignal): Promise<ListedComment[]> {
  const comments: ListedComment[] = [];
  for (let page = 1; page <= MAX_COMMENT_PAGES; page += 1) {
    const { data, headers } = await octokit.rest.issues.listComments({
      owner: pull.owner,
      repo: pull.repo,
      issue_number: pull.number,
      per_page: PER_PAGE,
      page,
      request: { signal },
    });
    comments.push(...data);
    if (data.length < PER_PAGE || !/rel="next"/.test(headers.link ?? '')) return comments;
  }
  throw new Error(
    `GitHub listed more than ${MAX_COMMENT_PAGES * PER_PAGE} comments on the pull request without an end; ` +
      'leakwatch stopped reading them',
  );
}

/**
 * Who the token is, as comments name their author: GraphQL's viewer, which answers for the job's GITHUB_TOKEN
 * (`github-actions[bot]`) and apps' tokens, where REST's GET /user is refused. Undefined, with a warning, when GitHub
 * does not say: then no comment counts as ours, and a new one is made rather than someone else's edited.
 */
async function tokenLogin(octokit: Octokit, signal: AbortSignal): Promise<string | undefined> {
  try {
    const { viewer } = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }', {
      request: { signal },
    });
    if (typeof viewer?.login === 'string' && viewer.login !== '') return viewer.login;
    annotate(
      'warning',
      'leakwatch could not tell which comment is its own: GitHub did not say who the token is. It posts a new comment rather than edit one it cannot tell is its own.',
    );
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    annotate(
      'warning',
      `leakwatch could not tell which comment is its own: GitHub did not say who the token is (${message}). ` +
        'It posts a new comment rather than edit one it cannot tell is its own.',
    );
  }
  return undefined;
}

/** REST names an app's account `name[bot]`; GraphQL's viewer may name it either way. */
function isAuthor(comment: ListedComment, login: string): boolean {
  const author = comment.user?.login;
  if (author === undefined) return false;
  if (author === login) return true;
  const bare = (name: string): string => name.replace(/\[bot\]$/, '');
  return comment.user?.type === 'Bot' && bare(author) === bare(login);
}
