/**
 * A matrix's shards merged into one report, through the bundled action run as the Actions runner runs it, against a
 * fake GitHub on 127.0.0.1: real pytest and Jest shards (`publish: merge-later`) save their reports as artifacts of
 * the run, and a merge step (`merge: true`) publishes once what one unsharded run would. An OS-style matrix keeps the
 * same ids apart, a shard that left no report is named, a push's merged report is the base of a pull request's
 * merge, and a fork's pull request is merged and commented on from a `workflow_run` run, whose token alone may write.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report, TestResult } from '../src/report.js';
import {
  RUNTIME_TOKEN,
  startFakeGitHub,
  zipBombOf,
  zipOf,
  type FakeGitHub,
  type FakeJob,
} from './helpers/fake-github.js';
import { FIXTURES, RUNNER_CANCEL, failure, runAction, type ActionRun } from './helpers/run.js';

const pytest = path.join(FIXTURES, 'pytest');
const node = path.join(FIXTURES, 'node');
const MB = 1_000_000;
const WORKFLOW = 161335;
const PULL = 7;
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const BASE_SHA = 'b4ea1e5c0ffee0b4ea1e5c0ffee0b4ea1e5c0ff1';
const WRITE_TOKEN = 'ghs_write-token-of-the-base-repository';
const FORK_TOKEN = 'ghs_read-only-token-of-a-fork';
/** The pull request's run, where the shards ran; a push's run; the workflow_run run that merges a fork's. */
const PR_RUN = 1658821493;
const PUSH_RUN = 1658800001;
const MERGE_RUN = 1658829999;

const PULL_EVENT = {
  number: PULL,
  pull_request: { number: PULL, head: { sha: HEAD_SHA }, base: { ref: 'main', sha: BASE_SHA } },
};

/** The three pytest shards: the planted suite split by -k, as a pytest-split group each. */
const PYTEST_SHARDS = [
  'pytest -p no:cacheprovider leaks/test_leaks.py -k "not odd_ids"',
  'pytest -p no:cacheprovider leaks/test_leaks.py -k odd_ids',
  'pytest -p no:cacheprovider leaks/test_lookalikes.py',
];

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

interface ShardOptions {
  command: string;
  workspace?: string;
  inputs?: Record<string, string>;
  matrix: Record<string, unknown>;
  index: number;
  total: number;
  runId?: number;
  eventName?: string;
  event?: object;
  token?: string;
}

/** One matrix job's leakwatch step with `publish: merge-later`, its artifact going to its run. */
function shard(options: ShardOptions): Promise<ActionRun> {
  const runId = options.runId ?? PR_RUN;
  github.uploadsTo = runId;
  return runAction({
    inputs: {
      command: options.command,
      publish: 'merge-later',
      matrix: JSON.stringify(options.matrix),
      strategy: JSON.stringify({ 'fail-fast': false, 'job-index': options.index, 'job-total': options.total }),
      'github-token': options.token ?? WRITE_TOKEN,
      ...options.inputs,
    },
    workspace: options.workspace ?? pytest,
    eventName: options.eventName ?? 'pull_request',
    event: options.event ?? PULL_EVENT,
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: String(runId),
      GITHUB_JOB: 'test',
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      ACTIONS_RESULTS_URL: `${github.url}/`,
    },
  });
}

/** The merge job's step (`merge: true`), in the run `runId`. */
function merge(
  inputs: Record<string, string> = {},
  {
    runId = PR_RUN,
    eventName = 'pull_request',
    event = PULL_EVENT,
    workspace = pytest,
  }: { runId?: number; eventName?: string; event?: object; workspace?: string } = {},
): Promise<ActionRun> {
  github.uploadsTo = runId;
  return runAction({
    inputs: { merge: 'true', 'github-token': WRITE_TOKEN, ...inputs },
    workspace,
    eventName,
    event,
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: String(runId),
      GITHUB_JOB: 'leakwatch',
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      ACTIONS_RESULTS_URL: `${github.url}/`,
    },
  });
}

function addRun(id: number, options: { event?: string; branch?: string; sha?: string; jobs?: FakeJob[] } = {}): void {
  github.runs.unshift({
    id,
    workflowId: WORKFLOW,
    branch: options.branch ?? 'feature',
    sha: options.sha ?? HEAD_SHA,
    event: options.event ?? 'pull_request',
    conclusion: 'success',
    artifacts: [],
    jobs: options.jobs ?? [],
  });
}

function comments(): string[] {
  return (github.comments.get(PULL) ?? []).map((comment) => comment.body);
}

/** Warnings of the step, not annotations on tests' lines. */
function warnings(run: ActionRun): string[] {
  return run.commands
    .filter((command) => command.command === 'warning' && command.properties.file === undefined)
    .map((command) => command.message);
}

/** What a report's leaks keep, by id (and shard where there is one). */
function leaksOf(report: Report | undefined): Map<string, number> {
  const kept = (test: TestResult): number => test.confirmation?.perRun ?? test.delta;
  return new Map(
    (report?.tests ?? [])
      .filter((test) => test.leaked)
      .map((test) => [test.shard === undefined ? test.id : `${test.id} @ ${test.shard}`, kept(test)]),
  );
}

function expectSameLeaks(merged: Map<string, number>, unsharded: Map<string, number>, shardOf: (id: string) => string) {
  expect([...merged.keys()].sort()).toEqual([...unsharded.keys()].map((id) => `${id} @ ${shardOf(id)}`).sort());
  for (const [id, size] of unsharded) {
    expect(Math.abs((merged.get(`${id} @ ${shardOf(id)}`) ?? 0) - size), id).toBeLessThan(MB);
  }
}

describe('pytest shards merged', () => {
  let unsharded: ActionRun;
  beforeAll(async () => {
    unsharded = await runAction({
      inputs: { command: 'pytest -p no:cacheprovider leaks', baseline: 'off', 'fail-on-leak': 'false' },
      workspace: pytest,
    });
  });

  it('publish once, in one comment and one summary, what one unsharded run finds', async () => {
    addRun(PR_RUN);
    const shards = [];
    for (const [index, command] of PYTEST_SHARDS.entries()) {
      shards.push(await shard({ command, matrix: { group: index + 1 }, index, total: 3 }));
    }
    // Each shard: its report saved, no comment; leaks fail the merge, not the shard, but a failing test still does.
    expect(github.uploads.map((upload) => upload.name)).toEqual(['leakwatch-1', 'leakwatch-2', 'leakwatch-3']);
    expect(comments()).toEqual([]);
    expect(shards.map((run) => run.exitCode)).toEqual([1, 0, 0]);
    expect(failure(shards[0] as ActionRun)).toBe('The test command exited with 1.');
    expect(shards[1]?.outputs.leaks).toBe('6');
    expect(shards[1]?.summary).toMatch(/^### 🔴 leakwatch · <code>shard 2<\/code>: 6 of 6 tests leaked/);
    expect(shards[1]?.report?.shard).toEqual({
      label: '2',
      reportName: 'leakwatch',
      commit: HEAD_SHA,
      runId: PR_RUN,
      job: 'test',
      matrix: { group: 2 },
      jobIndex: 1,
      jobTotal: 3,
    });
    // Shards annotate no test: the merge does, once.
    expect(shards.flatMap((run) => run.commands).filter((command) => command.properties.file !== undefined)).toEqual(
      [],
    );

    const merged = await merge({ baseline: 'off' });
    const shardOf = (id: string): string => (id.includes('odd_ids') ? '2' : id.includes('lookalikes') ? '3' : '1');
    expectSameLeaks(leaksOf(merged.report), leaksOf(unsharded.report), shardOf);
    expect(merged.report?.tests).toHaveLength(unsharded.report?.tests.length ?? -1);
    expect(merged.report?.shards?.map((part) => [part.label, part.tests, part.leaks, part.exitCode])).toEqual([
      ['1', 7, 6, 1],
      ['2', 6, 6, 0],
      ['3', 12, 0, 0],
    ]);
    expect(merged.report?.missingShards).toEqual([]);
    expect(merged.outputs).toMatchObject({ leaks: '12', tests: '25', 'missing-shards': '0' });

    const [comment, ...more] = comments();
    expect(more).toEqual([]);
    expect(comment).toMatch(
      /^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 1 shard failed: <code>1<\/code> \(exit 1\); 12 of 25 tests in 3 shards leaked more than 10\.0 MB/,
    );
    expect(comment).toContain('test_connection &#91;<wbr>shard 1&#93;');
    expect(comment).toContain('<summary>3 shards merged</summary>');
    expect(merged.summary).toMatch(
      /^### 🔴 leakwatch: 1 shard failed: <code>1<\/code> \(exit 1\); 12 of 25 tests in 3 shards/,
    );
    // The shards' failing test does not fail the merge again; its leaks do, once.
    expect(merged.exitCode).toBe(1);
    expect(failure(merged)).toBe('12 tests leaked more than 10.0 MB.');
    const annotated = merged.commands.filter((command) => command.command === 'error' && command.properties.file);
    expect(annotated.length).toBeGreaterThan(0);
    expect(annotated[0]?.message).toMatch(
      /^leaks\/test_leaks\.py::TestRemoteService::test_connection \[shard 1\] kept/,
    );
  });

  it('keep the same ids of an OS matrix apart, a test each job', async () => {
    addRun(PR_RUN);
    const command = 'pytest -p no:cacheprovider leaks/test_leaks.py -k "connection or small_leak"';
    for (const [index, os_] of ['ubuntu-latest', 'windows-latest'].entries()) {
      await shard({ command, matrix: { os: os_, python: '3.13' }, index, total: 2 });
    }
    const merged = await merge({ baseline: 'off', 'fail-on-leak': 'false' });
    const tests = merged.report?.tests.map((test) => [test.id, test.shard, test.leaked]);
    const connection = 'leaks/test_leaks.py::TestRemoteService::test_connection';
    const smallLeak = 'leaks/test_leaks.py::TestRemoteService::test_small_leak';
    expect(tests).toEqual([
      [connection, 'ubuntu-latest-3.13', true],
      [smallLeak, 'ubuntu-latest-3.13', false],
      [connection, 'windows-latest-3.13', true],
      [smallLeak, 'windows-latest-3.13', false],
    ]);
    expect(merged.report?.coverage.measured).toBe(4);
    // One row for the test, its two jobs' cases folded under it.
    const comment = (comments()[0] ?? '').replaceAll('<wbr>', '');
    expect(comment).toMatch(/2 of 4 tests in 2 shards leaked/);
    expect(comment).toMatch(/<code>leaks\/test_leaks\.py::TestRemoteService::test_connection<\/code> — 2 cases/);
    expect(comment).toContain('test_connection &#91;shard ubuntu-latest-3.13&#93;');
    expect(comment).toContain('test_connection &#91;shard windows-latest-3.13&#93;');
    expect(merged.exitCode).toBe(0);
  });

  it('name a shard that left no report, and still publish', async () => {
    addRun(PR_RUN, {
      jobs: [
        { name: 'test (1)', status: 'completed', conclusion: 'failure' },
        { name: 'test (2)', status: 'completed', conclusion: 'success' },
        { name: 'test (3)', status: 'completed', conclusion: 'cancelled' },
        { name: 'leakwatch', status: 'in_progress', conclusion: null },
      ],
    });
    for (const index of [0, 1]) {
      await shard({ command: PYTEST_SHARDS[index] ?? '', matrix: { group: index + 1 }, index, total: 3 });
    }
    const merged = await merge({ baseline: 'off', 'fail-on-leak': 'false' });
    expect(merged.report?.missingShards).toEqual([
      { label: '3', why: 'its job test (3) was cancelled before leakwatch saved its report' },
    ]);
    expect(merged.outputs['missing-shards']).toBe('1');
    expect(comments()[0]).toMatch(
      /^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 1 of 3 shards left no report: <code>3<\/code>; 1 shard failed: <code>1<\/code> \(exit 1\); 12 of 13 tests in 2 shards leaked/,
    );
    expect(warnings(merged)).toContain('shard 3: its job test (3) was cancelled before leakwatch saved its report.');
    expect(merged.exitCode).toBe(0);
  });

  it('count the shards from the input shards, and fail a merge with no report at all', async () => {
    addRun(PR_RUN);
    await shard({ command: PYTEST_SHARDS[1] ?? '', matrix: { group: 2 }, index: 1, total: 3 });
    const some = await merge({ baseline: 'off', 'fail-on-leak': 'false', shards: '3' });
    expect(some.report?.missingShards?.map((missing) => missing.label)).toEqual(['1', '3']);

    github.runs.length = 0;
    addRun(PR_RUN);
    const none = await merge({ baseline: 'off' });
    expect(none.exitCode).toBe(1);
    expect(failure(none)).toMatch(
      /^Nothing was measured, so no leak could be found: no artifact named leakwatch-<shard> in run 1658821493/,
    );
    expect(comments().at(-1)).toMatch(/nothing was measured/);
  });

  it('take a re-run job’s report in place of its first attempt’s, as artifact names are unique in a run', async () => {
    addRun(PR_RUN);
    await shard({ command: PYTEST_SHARDS[2] ?? '', matrix: { group: 1 }, index: 0, total: 1 });
    const rerun = await shard({ command: PYTEST_SHARDS[1] ?? '', matrix: { group: 1 }, index: 0, total: 1 });
    expect(warnings(rerun)).toEqual([]);
    expect(rerun.stdout).toMatch(
      /leakwatch: saved the report as artifact leakwatch-1 \(id \d+\), for the merge step\./,
    );
    expect(github.runs.find((run) => run.id === PR_RUN)?.artifacts.map((artifact) => artifact.name)).toEqual([
      'leakwatch-1',
    ]);
    const merged = await merge({ baseline: 'off', 'fail-on-leak': 'false' });
    expect(merged.report?.shards?.map((part) => part.command)).toEqual([PYTEST_SHARDS[1]]);
  });

  it('say why when GitHub will not list the run’s artifacts, and refuse a shard that unzips without end', async () => {
    addRun(PR_RUN);
    github.fail({
      path: `/repos/octo-org/octo-repo/actions/runs/${PR_RUN}/artifacts`,
      status: 403,
      times: 1,
      body: { message: 'Resource not accessible by integration' },
    });
    const refused = await merge({ baseline: 'off' });
    expect(refused.exitCode).toBe(1);
    expect(failure(refused)).toMatch(
      /^Nothing was measured, so no leak could be found: GitHub did not list run 1658821493's artifacts \(Resource not accessible by integration.*\)\. Give the job 'permissions: actions: read'\./,
    );

    await shard({ command: PYTEST_SHARDS[1] ?? '', matrix: { group: 1 }, index: 0, total: 2 });
    github.runs
      .find((run) => run.id === PR_RUN)
      ?.artifacts.push({
        id: 9998,
        name: 'leakwatch-2',
        expired: false,
        zip: await zipBombOf('leakwatch.json', 300_000_000),
      });
    const bombed = await merge({ baseline: 'off', 'fail-on-leak': 'false' });
    expect(bombed.report?.missingShards).toEqual([
      { label: '2', why: 'artifact leakwatch-2 was refused: it unzips to more than 250.0 MB' },
    ]);
    expect(bombed.report?.shards?.map((part) => part.label)).toEqual(['1']);
  });

  it('merge what a cancelled shard measured, and name it as cancelled', async () => {
    addRun(PR_RUN);
    await shard({ command: PYTEST_SHARDS[1] ?? '', matrix: { group: 1 }, index: 0, total: 2 });
    // The second job is cancelled mid-test, as the runner cancels: SIGINT, SIGTERM, SIGKILL.
    const started = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cancel-')), 'started');
    github.uploadsTo = PR_RUN;
    const cancelled = await runAction({
      inputs: {
        command: 'pytest -p no:cacheprovider slow',
        publish: 'merge-later',
        matrix: '{"group":2}',
        strategy: '{"job-index":1,"job-total":2}',
        'github-token': WRITE_TOKEN,
      },
      workspace: pytest,
      eventName: 'pull_request',
      event: PULL_EVENT,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: String(PR_RUN),
        GITHUB_JOB: 'test',
        ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
        ACTIONS_RESULTS_URL: `${github.url}/`,
        SLOW_TEST_STARTED: started,
      },
      cancelWhen: () => existsSync(started),
      cancelWith: RUNNER_CANCEL,
    });
    expect(cancelled.exitCode).not.toBe(0);
    expect(github.uploads.map((upload) => upload.name)).toEqual(['leakwatch-1', 'leakwatch-2']);

    const merged = await merge({ baseline: 'off', 'fail-on-leak': 'false' });
    expect(merged.report?.shards?.map((part) => [part.label, part.cancelled])).toEqual([
      ['1', false],
      ['2', true],
    ]);
    expect(merged.report?.cancelled).toBe(true);
    expect(comments()[0]).toMatch(/^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 1 shard cancelled; /);
    expect(leaksOf(merged.report).get('slow/test_slow.py::test_quick_leak @ 2')).toBeGreaterThan(19 * MB);
    // The shard's cancel failed its own job: the merge fails on nothing but leaks.
    expect(merged.exitCode).toBe(0);
  });

  it('compare a pull request’s merged report with the merged report its base branch’s push saved', async () => {
    // The push to main: two shards and their merge, which saves the merged report as the base's artifact.
    addRun(PUSH_RUN, { event: 'push', branch: 'main', sha: BASE_SHA });
    const push = { eventName: 'push', event: {}, runId: PUSH_RUN };
    const baseShards = [
      'pytest -p no:cacheprovider leaks/test_leaks.py -k "connection or native_leak"',
      'pytest -p no:cacheprovider leaks/test_lookalikes.py -k cache',
    ];
    for (const [index, command] of baseShards.entries()) {
      await shard({ command, matrix: { group: index + 1 }, index, total: 2, ...push });
    }
    const pushMerge = await merge({ 'fail-on-leak': 'false' }, push);
    expect(pushMerge.exitCode).toBe(0);
    expect(github.runs.find((run) => run.id === PUSH_RUN)?.artifacts.map((artifact) => artifact.name)).toEqual([
      'leakwatch-1',
      'leakwatch-2',
      'leakwatch-report',
    ]);

    // The pull request: native_leak is gone, module_state_leak is new; the shards split differently.
    addRun(PR_RUN);
    const prShards = [
      'pytest -p no:cacheprovider leaks/test_leaks.py -k "connection or module_state"',
      'pytest -p no:cacheprovider leaks/test_lookalikes.py -k cache',
    ];
    for (const [index, command] of prShards.entries()) {
      await shard({ command, matrix: { group: index + 1 }, index, total: 2 });
    }
    const prMerge = await merge({ 'fail-on-leak': 'new' });
    expect(prMerge.report?.comparison).toMatchObject({
      base: { commit: BASE_SHA, runId: PUSH_RUN, file: null },
      new: ['leaks/test_leaks.py::test_module_state_leak [shard 1]'],
      fixed: [],
      removed: ['leaks/test_leaks.py::test_native_leak [shard 1]'],
    });
    expect(prMerge.outputs['new-leaks']).toBe('1');
    expect(comments()[0]).toMatch(/### 🔴 leakwatch: 1 new leak since the base; 2 of \d+ tests in 2 shards leaked/);
    expect(failure(prMerge)).toBe('1 test that did not leak in the base leaked more than 10.0 MB.');
  });
});

describe('a fork’s pull request, merged from a workflow_run run', () => {
  const FORK = 'forker/octo-repo';
  const workflowRunEvent = (headSha = HEAD_SHA) => ({
    workflow_run: {
      id: PR_RUN,
      event: 'pull_request',
      head_sha: headSha,
      head_branch: 'patch-1',
      head_repository: { full_name: FORK },
      pull_requests: [],
    },
  });

  it('comments with the base repository’s token only, and refuses a report of another commit or not leakwatch’s', async () => {
    github.readOnlyTokens.add(FORK_TOKEN);
    github.pulls.push(
      {
        number: 3,
        head: { sha: 'e'.repeat(40), ref: 'patch-1', repo: 'someone/octo-repo' },
        base: { ref: 'main', sha: BASE_SHA },
      },
      { number: PULL, head: { sha: HEAD_SHA, ref: 'patch-1', repo: FORK }, base: { ref: 'main', sha: BASE_SHA } },
    );
    addRun(PR_RUN, { jobs: [] });
    addRun(MERGE_RUN, { event: 'workflow_run', branch: 'main', sha: BASE_SHA });
    const command = 'pytest -p no:cacheprovider leaks/test_leaks.py -k connection';
    await shard({ command, matrix: { group: 1 }, index: 0, total: 3, token: FORK_TOKEN });
    // A shard of another commit: a stale run's, or a report forged to look like this run's.
    const stale = {
      ...PULL_EVENT,
      pull_request: { ...PULL_EVENT.pull_request, head: { sha: 'f'.repeat(40) } },
    };
    await shard({ command, matrix: { group: 2 }, index: 1, total: 3, token: FORK_TOKEN, event: stale });
    // And an artifact that is not a report as leakwatch writes them.
    const forged = { version: 2, tool: { name: 'leakwatch', version: '1.0.0' }, tests: [], owned: true };
    github.runs
      .find((run) => run.id === PR_RUN)
      ?.artifacts.push({
        id: 9999,
        name: 'leakwatch-3',
        expired: false,
        zip: zipOf({ 'leakwatch.json': JSON.stringify(forged) }),
      });
    expect(github.requests.filter((request) => request.method !== 'GET' && request.path.startsWith('/repos/'))).toEqual(
      [],
    );

    const merged = await merge(
      { baseline: 'off' },
      { runId: MERGE_RUN, eventName: 'workflow_run', event: workflowRunEvent() },
    );
    const writes = github.requests.filter((request) => request.method !== 'GET' && request.path.startsWith('/repos/'));
    expect(writes.map((request) => [request.method, request.path, request.authorization])).toEqual([
      ['POST', `/repos/octo-org/octo-repo/issues/${PULL}/comments`, `token ${WRITE_TOKEN}`],
    ]);
    expect(merged.report?.shards?.map((part) => part.label)).toEqual(['1']);
    const missing = merged.report?.missingShards ?? [];
    expect(missing.map((shard) => shard.label)).toEqual(['2', '3']);
    expect(missing[0]?.why).toBe(
      `artifact leakwatch-2 was refused: its tests ran on commit ffffffffffff, not on the run's head ${HEAD_SHA.slice(0, 12)}`,
    );
    expect(missing[1]?.why).toMatch(
      /^artifact leakwatch-3 was refused: it is not a leakwatch report of this version: /,
    );
    expect(warnings(merged)).toContain(
      `shard 2: artifact leakwatch-2 was refused: its tests ran on commit ffffffffffff, not on the run's head ${HEAD_SHA.slice(0, 12)}.`,
    );
    const [comment] = comments();
    expect(comment).toMatch(/^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 2 of 3 shards left no report/);
    // Links point at the pull request's head commit, in the base repository.
    expect(comment).toContain(`https://github.com/octo-org/octo-repo/blob/${HEAD_SHA}/leaks/test_leaks.py#L58`);
    expect(merged.exitCode).toBe(1);
  });

  it('saves nothing as the base from a pull request’s run, and the merged report as the base from a push’s', async () => {
    addRun(PUSH_RUN, { event: 'push', branch: 'main', sha: BASE_SHA });
    addRun(MERGE_RUN, { event: 'workflow_run', branch: 'main', sha: BASE_SHA });
    await shard({
      command: 'pytest -p no:cacheprovider clean',
      matrix: { group: 1 },
      index: 0,
      total: 1,
      runId: PUSH_RUN,
      eventName: 'push',
      event: {},
    });
    // GITHUB_SHA is the push's commit in runAction: the shard's commit is it.
    const pushEvent = {
      workflow_run: {
        ...workflowRunEvent('ffac537e6cbbf934b08745a378932722df287a53').workflow_run,
        id: PUSH_RUN,
        event: 'push',
      },
    };
    const merged = await merge({}, { runId: MERGE_RUN, eventName: 'workflow_run', event: pushEvent });
    expect(merged.exitCode).toBe(0);
    expect(merged.report?.shards?.map((part) => part.label)).toEqual(['1']);
    expect(github.runs.find((run) => run.id === MERGE_RUN)?.artifacts.map((artifact) => artifact.name)).toEqual([
      'leakwatch-report',
    ]);
    expect(comments()).toEqual([]);
  });
});

describe('Jest shards merged', () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-jest-cache-'));
  const jest = (shardOf?: string): string =>
    `npx jest --maxWorkers=2 --cacheDirectory=${cache}${shardOf === undefined ? '' : ` --shard=${shardOf}`}`;
  const inputs = { 'working-directory': 'jest' };

  it('publish once what one unsharded run finds', async () => {
    const unsharded = await runAction({
      inputs: { command: jest(), baseline: 'off', 'fail-on-leak': 'false', ...inputs },
      workspace: node,
    });
    addRun(PR_RUN);
    for (const index of [0, 1]) {
      await shard({
        command: jest(`${index + 1}/2`),
        workspace: node,
        matrix: { shard: index + 1 },
        index,
        total: 2,
        inputs,
      });
    }
    const merged = await merge({ baseline: 'off', 'fail-on-leak': 'false' }, { workspace: node });
    const byFile = new Map(merged.report?.tests.map((test) => [test.id, test.shard ?? '']));
    expectSameLeaks(leaksOf(merged.report), leaksOf(unsharded.report), (id) => byFile.get(id) ?? '');
    expect(merged.report?.shards?.map((part) => part.label)).toEqual(['1', '2']);
    expect(merged.report?.shards?.every((part) => part.tests > 0)).toBe(true);
    expect(merged.report?.runner).toBe('jest');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]).toMatch(new RegExp(`leaked more than 10\\.0 MB`));
    expect(leaksOf(merged.report).size).toBeGreaterThan(5);
  });
});
