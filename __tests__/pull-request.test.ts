/**
 * The pull request side, through the bundled action on real pytest runs, against a fake GitHub API on 127.0.0.1:
 * one sticky comment per report, annotations, and a build that never fails because GitHub said no.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';
import { FIXTURES, failure, runAction, type ActionRun } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const PULL = 7;
const TOKEN = 'ghs_secret-token-for-tests';
const LEAKING = 'pytest leaks -k "connection or native_leak"';
const CLEAN = 'pytest clean';

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

function onPullRequest(
  inputs: Record<string, string>,
  eventName = 'pull_request',
  env: NodeJS.ProcessEnv = {},
): Promise<ActionRun> {
  return runAction({
    inputs: { 'github-token': TOKEN, ...inputs },
    workspace,
    eventName,
    event: { number: PULL, pull_request: { number: PULL, head: { sha: HEAD_SHA } } },
    env: { GITHUB_API_URL: github.url, ...env },
  });
}

/** Requests that write: asking GraphQL who the token is does not. */
function writes(): string[] {
  return github.requests
    .filter((request) => request.method !== 'GET' && request.path !== '/graphql')
    .map((request) => request.method);
}

function warnings(run: ActionRun): string[] {
  return run.commands.filter((command) => command.command === 'warning').map((command) => command.message);
}

describe('the pull request comment', () => {
  it('lists the leaks with links to their lines at the head commit and a link to the run', async () => {
    const run = await onPullRequest({ command: LEAKING });
    const [comment, ...others] = github.comments.get(PULL) ?? [];
    expect(others).toEqual([]);
    const body = comment?.body ?? '';
    expect(
      body.startsWith('<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 2 of 2 tests leaked more than 10.0 MB'),
    ).toBe(true);
    expect(body).toContain(
      `| 40.0 MB | <a href="https://github.com/octo-org/octo-repo/blob/${HEAD_SHA}/leaks/test_leaks.py#L58">` +
        '<code>leaks/<wbr>test_leaks.py::<wbr>TestRemoteService::<wbr>test_connection</code></a><br><sub>allocated at ' +
        `<a href="https://github.com/octo-org/octo-repo/blob/${HEAD_SHA}/leaks/conftest.py#L11"><code>leaks/conftest.py:11</code></a>`,
    );
    expect(body).toContain('<a href="https://github.com/octo-org/octo-repo/actions/runs/1658821493">workflow run</a>');
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    // Only in the command that tells the runner to mask it in the log.
    expect((run.stdout + run.stderr).replace(`::add-mask::${TOKEN}\n`, '')).not.toContain(TOKEN);
    expect(run.exitCode).toBe(1);
  });

  it('is updated in place on later runs, and rewritten to an all-clear when the leaks are gone', async () => {
    await onPullRequest({ command: LEAKING });
    await onPullRequest({ command: 'pytest leaks -k connection' });
    await onPullRequest({ command: CLEAN });
    expect(writes()).toEqual(['POST', 'PATCH', 'PATCH']);
    const comments = github.comments.get(PULL) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(
      /^<!-- leakwatch report: leakwatch -->\n### ✅ leakwatch: no test leaked more than 10\.0 MB \(7 tests measured\)/,
    );
    expect(comments[0]?.body).not.toContain('test_connection');
  });

  it('is one per report name, so that several jobs keep comments of their own', async () => {
    await onPullRequest({ command: LEAKING, 'report-name': 'py-3.9' });
    await onPullRequest({ command: LEAKING, 'report-name': 'py-3.12' });
    await onPullRequest({ command: 'pytest leaks -k connection', 'report-name': 'py-3.9' });
    const headings = (github.comments.get(PULL) ?? []).map((comment) =>
      comment.body.split('\n').slice(0, 2).join('\n'),
    );
    expect(headings).toEqual([
      expect.stringMatching(
        /^<!-- leakwatch report: py-3\.9 -->\n### 🔴 leakwatch · <code>py-3\.9<\/code>: 1 of 1 test leaked/,
      ),
      expect.stringMatching(
        /^<!-- leakwatch report: py-3\.12 -->\n### 🔴 leakwatch · <code>py-3\.12<\/code>: 2 of 2 tests/,
      ),
    ]);
  });

  it('finds its comment among hundreds, page after page, and leaves quotes of it alone', async () => {
    const others = Array.from({ length: 250 }, (_, index) => ({
      id: index + 1,
      body: index === 40 ? '> <!-- leakwatch report: leakwatch -->\n> quoted' : `comment ${index}`,
      user: { login: 'someone', type: 'User' },
    }));
    others[180] = {
      id: 181,
      body: '<!-- leakwatch report: leakwatch -->\nold findings',
      user: { login: 'github-actions[bot]', type: 'Bot' },
    };
    github.comments.set(PULL, others);
    await onPullRequest({ command: LEAKING });
    expect(writes()).toEqual(['PATCH']);
    expect(github.requests.at(-1)?.path).toBe('/repos/octo-org/octo-repo/issues/comments/181');
    expect(github.comments.get(PULL)?.[40]?.body).toContain('quoted');
  });

  it('is never someone else’s: a marked comment by another user is left alone, and ours is updated', async () => {
    const marker = '<!-- leakwatch report: leakwatch -->';
    const foreign = { id: 1, body: `${marker}\nplanted`, user: { login: 'mallory', type: 'User' } };
    const ours = { id: 2, body: `${marker}\nold findings`, user: { login: 'github-actions[bot]', type: 'Bot' } };
    github.comments.set(PULL, [foreign, ours]);
    await onPullRequest({ command: LEAKING });
    expect(writes()).toEqual(['PATCH']);
    expect(github.requests.at(-1)?.path).toBe('/repos/octo-org/octo-repo/issues/comments/2');
    expect(foreign.body).toBe(`${marker}\nplanted`);
    expect(ours.body).toMatch(/^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 2 of 2 tests leaked/);

    // Only someone else's: a comment of our own is made beside it.
    github.comments.set(PULL, [{ ...foreign }]);
    github.requests.length = 0;
    await onPullRequest({ command: LEAKING });
    expect(writes()).toEqual(['POST']);
    expect(github.comments.get(PULL)?.map((comment) => [comment.user.login, comment.body.split('\n')[1]])).toEqual([
      ['mallory', 'planted'],
      ['github-actions[bot]', expect.stringMatching(/^### 🔴 leakwatch: 2 of 2 tests leaked/)],
    ]);
  });

  it('is whoever the token is: a personal token’s comments are its user’s, not github-actions[bot]’s', async () => {
    github.viewer = 'octocat';
    const marker = '<!-- leakwatch report: leakwatch -->';
    const bots = { id: 1, body: `${marker}\nby the job token`, user: { login: 'github-actions[bot]', type: 'Bot' } };
    const mine = { id: 2, body: `${marker}\nold`, user: { login: 'octocat', type: 'User' } };
    github.comments.set(PULL, [bots, mine]);
    await onPullRequest({ command: LEAKING });
    expect(writes()).toEqual(['PATCH']);
    expect(github.requests.at(-1)?.path).toBe('/repos/octo-org/octo-repo/issues/comments/2');
    expect(bots.body).toBe(`${marker}\nby the job token`);
  });

  it('edits nothing when GitHub does not say who the token is: it posts a new comment, and says why', async () => {
    const marker = '<!-- leakwatch report: leakwatch -->';
    const ours = { id: 2, body: `${marker}\nold findings`, user: { login: 'github-actions[bot]', type: 'Bot' } };
    github.comments.set(PULL, [ours]);
    github.fail({ path: '/graphql', times: 10, status: 502, body: { message: 'Bad Gateway' } });
    const run = await onPullRequest({ command: LEAKING });
    expect(writes()).toEqual(['POST']);
    expect(ours.body).toBe(`${marker}\nold findings`);
    expect(github.comments.get(PULL)).toHaveLength(2);
    expect(warnings(run)).toContainEqual(
      expect.stringMatching(/^leakwatch could not tell which comment is its own: GitHub did not say who the token is/),
    );
    expect(failure(run)).toBe('2 tests leaked more than 10.0 MB.');
  });

  it('is not posted on a pull request with nothing to report', async () => {
    const run = await onPullRequest({ command: CLEAN });
    expect(writes()).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it('is posted on pull_request_target too, but not on a push, nor with comment: false; the summary is written', async () => {
    await onPullRequest({ command: 'pytest leaks -k connection' }, 'pull_request_target');
    expect(writes()).toEqual(['POST']);
    github.requests.length = 0;
    const push = await runAction({ inputs: { command: LEAKING }, workspace, env: { GITHUB_API_URL: github.url } });
    const off = await onPullRequest({ command: LEAKING, comment: 'false' });
    expect(github.requests).toEqual([]);
    for (const run of [push, off]) expect(run.summary).toContain('2 of 2 tests leaked more than 10.0 MB');
  });

  it('gives 300 leaking cases of one test, with long, hostile ids, one row, within 65,536 characters', async () => {
    const run = await onPullRequest({ command: 'pytest many', limit: '1MB' });
    const body = github.comments.get(PULL)?.[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    for (const markdown of [body, run.summary]) {
      const rows = markdown.split('\n').filter((line) => /^\| 1\.\d MB each \|/.test(line));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(
        '<code>many/<wbr>test_many.py::<wbr>test_leaks_a_little&#91;<wbr>&#8230;&#93;</code> — 300 cases',
      );
      // The largest 50 cases, folded under it; the JSON report has them all.
      expect(
        rows[0]?.match(/<code>many\/<wbr>test_many\.py::<wbr>test_leaks_a_little&#91;<wbr>(?!&#8230;)/g),
      ).toHaveLength(50);
      expect(rows[0]).toContain('&#8230;and 250 more');
      expect(markdown).not.toMatch(/<b>|@team/);
    }
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('annotations', () => {
  it('mark each leaking test’s line: errors when leaks fail the build, warnings when they do not', async () => {
    const failing = await onPullRequest({ command: LEAKING });
    const errors = failing.commands.filter((command) => command.command === 'error');
    expect(errors[0]?.properties).toMatchObject({ file: 'leaks/test_leaks.py', line: '58' });
    expect(errors[0]?.properties.title).toMatch(/^leakwatch: test_connection leaked 40\.\d MB$/);
    expect(errors[0]?.message).toMatch(
      /^leaks\/test_leaks\.py::TestRemoteService::test_connection kept 40\.\d MB, more than the limit of 10\.0 MB: keeps 40\.\d MB per run \(3 runs alone kept 40\.\d MB, 40\.\d MB, 40\.\d MB\)\.$/,
    );
    // After the test's line, the line that allocated what it keeps; the native leak has none.
    expect(errors.map((error) => [error.properties.file, error.properties.line])).toEqual([
      ['leaks/test_leaks.py', '58'],
      ['leaks/conftest.py', '11'],
      ['leaks/test_leaks.py', '16'],
      [undefined, undefined], // the step's failure
    ]);
    expect(errors[1]?.properties.title).toBe('leakwatch: memory test_connection leaks is allocated here');
    expect(errors[1]?.message).toMatch(
      /^leaks\/test_leaks\.py::TestRemoteService::test_connection keeps 40\.\d MB per run, 40\.\d MB of it allocated here, in allocate\.$/,
    );
    const passing = await onPullRequest({ command: LEAKING, 'fail-on-leak': 'false' });
    expect(passing.commands.filter((command) => command.command === 'warning')).toHaveLength(3);
    expect(passing.commands.filter((command) => command.command === 'error')).toEqual([]);
  });

  it('are at most 10 a level, the largest leaks first (and the lines that allocated them)', async () => {
    const run = await onPullRequest({ command: 'pytest many', limit: '1MB', comment: 'false' });
    const errors = run.commands.filter((command) => command.command === 'error' && command.properties.file);
    expect(errors).toHaveLength(10);
    expect(run.stdout).toContain(
      // 300 leaks, and the allocation lines of the 50 confirmed alone.
      'leakwatch: 340 more findings are not annotated (GitHub shows 10 a step); see the summary.',
    );
  });
});

describe('when GitHub says no', () => {
  it("a fork's read-only token: one warning saying how to get the comment; the step's result is the tests'", async () => {
    github.fail({
      times: 10,
      status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' },
    });
    const clean = await onPullRequest({ command: 'pytest leaks -k connection', 'fail-on-leak': 'false' });
    const said = warnings(clean).filter((warning) => warning.includes('comment'));
    expect(said).toEqual([expect.stringContaining('Resource not accessible by integration')]);
    expect(said[0]).toContain('workflow_run');
    expect(clean.exitCode).toBe(0);
    expect(clean.summary).toContain('1 of 1 test leaked more than 10.0 MB');
    expect(github.requests).toHaveLength(1); // refused, not retried
    const leaking = await onPullRequest({ command: 'pytest leaks -k connection' });
    expect(failure(leaking)).toBe('1 test leaked more than 10.0 MB.');
  });

  it('retries server errors, and comments once they pass', async () => {
    github.fail({ method: 'GET', times: 2, status: 502, body: { message: 'Bad Gateway' } });
    await onPullRequest({ command: 'pytest leaks -k connection' });
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
    expect(github.comments.get(PULL)).toHaveLength(1);
  });

  it('waits out a short rate limit and comments', async () => {
    github.fail({
      method: 'POST',
      times: 1,
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      headers: { 'retry-after': '1' },
    });
    const run = await onPullRequest({ command: 'pytest leaks -k connection' });
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'POST']);
    expect(github.comments.get(PULL)).toHaveLength(1);
    expect(run.stdout).toContain("leakwatch: GitHub's rate limit stopped POST");
  });

  it('reads at most 100 pages of comments when GitHub’s `next` link never ends, warns, and posts nothing', async () => {
    const comments = `/repos/octo-org/octo-repo/issues/${PULL}/comments`;
    const fullPage = Array.from({ length: 100 }, (_, index) => ({
      id: index + 1,
      body: `comment ${index}`,
      user: { login: 'someone', type: 'User' },
    }));
    github.fail({
      method: 'GET',
      path: comments,
      times: 100_000,
      status: 200,
      body: fullPage,
      headers: { link: `<${github.url}${comments}?per_page=100&page=2>; rel="next"` },
    });
    const started = Date.now();
    const run = await onPullRequest({ command: 'pytest leaks -k connection', 'fail-on-leak': 'false' });
    expect(github.requests.filter((request) => request.path.startsWith(comments))).toHaveLength(100);
    expect(writes()).toEqual([]);
    expect(warnings(run).filter((warning) => warning.includes('comment'))).toEqual([
      'leakwatch could not comment on the pull request: GitHub listed more than 10000 comments on the pull request ' +
        'without an end; leakwatch stopped reading them. The findings are in the job summary.',
    ]);
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('gives up on a GitHub that never answers at the deadline, warns, and the step ends with the tests’ result', async () => {
    github.fail({ times: 100, status: 200, body: {}, hang: true });
    const started = Date.now();
    const run = await onPullRequest({ command: 'pytest leaks -k connection' }, 'pull_request', {
      LEAKWATCH_GITHUB_DEADLINE: '3',
    });
    const seconds = (Date.now() - started) / 1000;
    expect(warnings(run)).toEqual([
      'leakwatch could not comment on the pull request: GitHub did not answer within 3 s. The findings are in the job summary.',
    ]);
    expect(failure(run)).toBe('1 test leaked more than 10.0 MB.');
    expect(github.comments.get(PULL) ?? []).toEqual([]);
    // The run itself takes a few seconds; the comment adds its deadline, and nothing holds the step after it.
    expect(seconds).toBeLessThan(30);
  });

  it('gives up after a few tries, warns, and never fails the build for it', async () => {
    github.fail({ times: 100, status: 503, body: { message: 'Service Unavailable' } });
    const run = await onPullRequest({ command: CLEAN });
    expect(github.requests).toHaveLength(3);
    expect(warnings(run)).toEqual([
      'leakwatch could not comment on the pull request (HTTP 503): Service Unavailable. The findings are in the job summary.',
    ]);
    expect(run.exitCode).toBe(0);
  });
});

it('keeps the comment beside the JSON report, for a workflow_run workflow to post, and names it in `markdown`', async () => {
  const run = await onPullRequest({ command: 'pytest leaks -k connection', comment: 'false' });
  const commentFile = path.join(path.dirname(run.outputs.report ?? ''), 'leakwatch.comment.md');
  expect(run.outputs.markdown).toBe(commentFile);
  expect(readFileSync(commentFile, 'utf8')).toMatch(
    /^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 1 of 1 test leaked/,
  );
  // Its links point at the pull request's head commit.
  expect(readFileSync(commentFile, 'utf8')).toContain(`/blob/${HEAD_SHA}/leaks/test_leaks.py#L`);
});

it('writes the comment’s Markdown on a push too, its links at the pushed commit', async () => {
  const run = await runAction({ inputs: { command: 'pytest leaks -k connection', baseline: 'off' }, workspace });
  const markdown = readFileSync(run.outputs.markdown ?? '', 'utf8');
  expect(markdown).toMatch(/^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 1 of 1 test leaked/);
  expect(markdown).toContain('/blob/ffac537e6cbbf934b08745a378932722df287a53/leaks/test_leaks.py#L');
});
