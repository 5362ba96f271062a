/**
 * Comparing with the pull request's base, through the bundled action on real pytest runs, against a fake GitHub on
 * 127.0.0.1: a push saves the report as an artifact, a pull request finds the base's (at the base commit, else on the
 * base branch) and leads with what changed; no base, an expired, damaged or foreign one, or a 403 is said once and
 * never fails the build. And the CLI's --baseline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import {
  RUNTIME_TOKEN,
  startFakeGitHub,
  zipBombOf,
  zipOf,
  type FakeGitHub,
  type FakeRun,
} from './helpers/fake-github.js';
import { FIXTURES, failure, runAction, runCli, type ActionRun } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;
const WORKFLOW = 161335;
const THIS_RUN = 1658821493;
const BASE_SHA = 'b4ea1e5c0ffee0b4ea1e5c0ffee0b4ea1e5c0ff1';
const LATER_SHA = '1a7e51c0ffee01a7e51c0ffee01a7e51c0ffee02';
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const PULL = 7;
const ARTIFACT = 'leakwatch-report';
const TEST = 'leaks/test_leaks.py';
const IDS = {
  connection: `${TEST}::TestRemoteService::test_connection`,
  smallLeak: `${TEST}::TestRemoteService::test_small_leak`,
  native: `${TEST}::test_native_leak`,
  moduleState: `${TEST}::test_module_state_leak`,
};
/** The base ran these: connection and native_leak leak. */
const BASE_COMMAND = 'pytest leaks/test_leaks.py -k "connection or native_leak or small_leak"';
/** The pull request: native_leak is gone, module_state_leak is new and leaks. */
const PULL_COMMAND = 'pytest leaks/test_leaks.py -k "connection or module_state_leak or small_leak"';

let baseReport: Report;
beforeAll(async () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-base-'));
  const json = path.join(directory, 'base.json');
  await runCli(['--confirm', '0', '--no-fail', '--json', json, '--', BASE_COMMAND], workspace);
  baseReport = JSON.parse(readFileSync(json, 'utf8')) as Report;
  expect(baseReport.tests.filter((test) => test.leaked).map((test) => test.id)).toEqual([IDS.connection, IDS.native]);
});

let github: FakeGitHub;
/** Workflow runs get ids from 901 on, in the order a test makes them. */
let nextRun: number;
beforeEach(async () => {
  github = await startFakeGitHub();
  nextRun = 901;
});
afterEach(async () => {
  await github.close();
});

/** A base from an older commit: there test_small_leak leaked 30 MB, and test_connection kept 20 MB, not 40. */
function olderBase(): Report {
  return {
    ...baseReport,
    tests: baseReport.tests.map((test) => {
      if (test.id === IDS.smallLeak) return { ...test, delta: 30 * MB, verdict: 'leak', leaked: true };
      if (test.id === IDS.connection) return { ...test, delta: 20 * MB };
      return test;
    }),
  };
}

let nextArtifact = 5000;
function workflowRun(run: Partial<FakeRun> & { report?: string | Report; expired?: boolean }): FakeRun {
  const { report, expired = false, ...rest } = run;
  const text = typeof report === 'string' ? report : JSON.stringify(report ?? baseReport);
  return {
    id: rest.id ?? nextRun++,
    workflowId: WORKFLOW,
    branch: 'main',
    sha: BASE_SHA,
    event: 'push',
    conclusion: 'success',
    artifacts: [{ id: nextArtifact++, name: ARTIFACT, expired, zip: zipOf({ 'leakwatch.json': text }) }],
    ...rest,
  };
}

/** This pull request's own run, which the action looks up to learn its workflow. */
function thisRun(): FakeRun {
  return workflowRun({ id: THIS_RUN, branch: 'feature', sha: HEAD_SHA, event: 'pull_request', artifacts: [] });
}

function onPullRequest(inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): Promise<ActionRun> {
  return runAction({
    inputs: { command: PULL_COMMAND, confirm: '0', ...inputs },
    workspace,
    eventName: 'pull_request',
    event: {
      number: PULL,
      pull_request: { number: PULL, head: { sha: HEAD_SHA }, base: { ref: 'main', sha: BASE_SHA } },
    },
    env: { GITHUB_API_URL: github.url, ...env },
  });
}

/** Warnings of the step, not annotations on tests' lines. */
function warnings(run: ActionRun): string[] {
  return run.commands
    .filter((command) => command.command === 'warning' && command.properties.file === undefined)
    .map((command) => command.message);
}

function comment(): string {
  return github.comments.get(PULL)?.[0]?.body ?? '';
}

describe('on a push', () => {
  it('saves the report as an artifact named from report-name, kept retention-days, that a pull request then reads', async () => {
    const push = await runAction({
      inputs: { command: BASE_COMMAND, confirm: '0', 'retention-days': '5', 'fail-on-leak': 'false' },
      workspace,
      eventName: 'push',
      env: { GITHUB_API_URL: github.url, ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN, ACTIONS_RESULTS_URL: `${github.url}/` },
    });
    expect(push.exitCode).toBe(0);
    expect(warnings(push)).toEqual([]);
    const [upload, ...more] = github.uploads;
    expect(more).toEqual([]);
    expect(upload?.name).toBe(ARTIFACT);
    const days = (Date.parse(upload?.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4.9);
    expect(days).toBeLessThan(5.1);
    expect(push.stdout).toMatch(/leakwatch: saved the report as artifact leakwatch-report \(id \d+\)/);

    // The same artifact, downloaded by the pull request's run.
    const uploaded = { id: 77, name: ARTIFACT, expired: false, zip: upload?.zip ?? Buffer.alloc(0) };
    github.runs.push(thisRun(), { ...workflowRun({}), artifacts: [uploaded] });
    const pull = await onPullRequest();
    expect(pull.report?.comparison).toMatchObject({
      base: { commit: BASE_SHA, runId: 901, file: null },
      new: [IDS.moduleState],
      fixed: [],
      regressed: [],
      added: [IDS.moduleState],
      removed: [IDS.native],
    });
    expect(pull.report?.comparison?.peak.base).toBe(push.report?.peak);
  });

  it('saves nothing with baseline: off, nor outside Actions, and a failed upload is a warning', async () => {
    const env = {
      GITHUB_API_URL: github.url,
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      ACTIONS_RESULTS_URL: `${github.url}/`,
    };
    const off = await runAction({ inputs: { command: 'pytest clean', baseline: 'off' }, workspace, env });
    const outside = await runAction({
      inputs: { command: 'pytest clean' },
      workspace,
      env: { GITHUB_API_URL: github.url },
    });
    github.fail({
      path: '/twirp/',
      status: 400,
      body: { code: 'invalid_argument', msg: 'artifact name taken' },
      times: 5,
    });
    const refused = await runAction({ inputs: { command: 'pytest clean' }, workspace, env });
    expect(github.uploads).toEqual([]);
    expect([off.exitCode, outside.exitCode, refused.exitCode]).toEqual([0, 0, 0]);
    expect(warnings(off)).toEqual([]);
    expect(warnings(refused)).toEqual([
      expect.stringMatching(/^leakwatch could not save the report as an artifact, for pull requests to compare with: /),
    ]);
  });
});

describe('on a pull request', () => {
  it('compares with the report at the base commit: the comment and summary lead with what changed', async () => {
    github.runs.push(
      thisRun(),
      // Newer, on the branch, but not the base commit: not the one to compare with.
      workflowRun({ sha: LATER_SHA, report: baseReport }),
      workflowRun({ report: olderBase() }),
    );
    const run = await onPullRequest();
    const comparison = run.report?.comparison;
    expect(comparison).toEqual({
      base: { commit: BASE_SHA, runId: 902, file: null },
      new: [IDS.moduleState],
      fixed: [IDS.smallLeak],
      regressed: [IDS.connection],
      added: [IDS.moduleState],
      removed: [IDS.native],
      peak: { base: baseReport.peak, current: run.report?.peak },
      baseKept: { [IDS.smallLeak]: 30 * MB, [IDS.connection]: 20 * MB },
    });
    expect(run.report?.baselineProblem).toBe(null);
    // Two leaks, one of them new.
    expect(run.outputs).toMatchObject({ leaks: '2', 'new-leaks': '1', crashed: '0' });
    const body = comment();
    const lines = body.split('\n');
    expect(lines[1]).toMatch(/^### 🔴 leakwatch: 1 new leak since the base; 2 of 3 tests leaked more than 10\.0 MB/);
    expect(lines[3]).toMatch(
      /^\*\*Since the base\*\* \(commit b4ea1e5 \(run 902\)\): 1 new leak, 1 fixed, 1 regressed; 1 test added, 1 removed; peak RSS /,
    );
    // New leaks first, then regressions, then what was fixed; each leak once: both leaks are above, and no other.
    const order = ['New leak, kept', 'Regressed, keeps', '1 leak fixed'].map((text) => body.indexOf(text));
    expect(order.every((at, index) => at > 0 && (index === 0 || at > (order[index - 1] ?? 0)))).toBe(true);
    expect(body).not.toContain('other leak');
    expect(body).toMatch(
      /\| 40\.\d MB \| <a href="[^"]+"><code>leaks\/<wbr>test_leaks\.py::<wbr>TestRemoteService::<wbr>test_connection<\/code><\/a>(?:<br><sub>.*<\/sub>)? \| 20\.0 MB \|$/m,
    );
    expect(body).toMatch(
      /\| 30\.\d MB \| <a href="[^"]+"><code>leaks\/<wbr>test_leaks\.py::<wbr>test_module_state_leak<\/code><\/a>.* \| not run \|$/m,
    );
    expect(body).toContain(`- <code>${IDS.smallLeak}</code>: 30.0 MB in the base,`);
    expect(run.summary).toContain('**Since the base** (commit b4ea1e5 (run 902))');
    expect(run.stdout).toMatch(/LEAKED 30\.\d MB in leaks\/test_leaks\.py::test_module_state_leak \(new\)/);
    expect(run.stdout).toMatch(
      /REGRESSED 40\.\d MB in leaks\/test_leaks\.py::TestRemoteService::test_connection, 20\.0 MB in the base/,
    );
    // Both leaks fail the build by default; with fail-on-leak: new only the new one does, and only it is an error.
    expect(failure(run)).toBe('2 tests leaked more than 10.0 MB.');
    const onlyNew = await onPullRequest({ 'fail-on-leak': 'new' });
    expect(failure(onlyNew)).toBe('1 test that did not leak in the base leaked more than 10.0 MB.');
    const errors = onlyNew.commands.filter((command) => command.command === 'error' && command.properties.file);
    expect(errors.map((command) => command.properties.title)).toEqual([
      expect.stringMatching(/^leakwatch: test_module_state_leak newly leaked 30\.\d MB$/),
    ]);
    // Every request carried the job's token.
    const api = github.requests.filter((request) => request.path.startsWith('/repos/'));
    expect(api.every((request) => request.authorization === 'token ghs_secret-token-for-tests')).toBe(true);
  });

  it("takes the base branch's latest successful push run when none is at the base commit", async () => {
    github.runs.push(
      thisRun(),
      // A pull request's run on a branch named like the base, and a failed run: neither is the base's.
      workflowRun({ sha: 'cafe'.repeat(10), event: 'pull_request', report: olderBase() }),
      workflowRun({ sha: 'beef'.repeat(10), conclusion: 'failure', report: olderBase() }),
      workflowRun({ sha: LATER_SHA, report: baseReport }),
      workflowRun({ sha: 'dead'.repeat(10), report: olderBase() }),
    );
    const run = await onPullRequest({ 'fail-on-leak': 'new' });
    expect(run.report?.comparison?.base).toEqual({ commit: LATER_SHA, runId: 903, file: null });
    expect(run.report?.comparison?.fixed).toEqual([]);
    expect(failure(run)).toBe('1 test that did not leak in the base leaked more than 10.0 MB.');
  });

  const problems: [string, () => unknown, RegExp][] = [
    [
      'no run on the base branch',
      () => github.runs.push(thisRun()),
      /^no successful run of this workflow on main left an artifact leakwatch-report \(no successful run found\)/,
    ],
    [
      'an expired report',
      () => github.runs.push(thisRun(), workflowRun({ expired: true })),
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) has expired\. Keep it longer with the input retention-days\.$/,
    ],
    [
      'a damaged report',
      () => github.runs.push(thisRun(), workflowRun({ report: JSON.stringify(baseReport).slice(0, 500) })),
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) is not JSON: it may be damaged\.$/,
    ],
    [
      'a report of another version',
      () => github.runs.push(thisRun(), workflowRun({ report: { ...baseReport, version: 1 } as unknown as Report })),
      /has report version 1 \(leakwatch \d+\.\d+\.\d+\); this leakwatch reads version 2\./,
    ],
    [
      'a report with a __proto__ key',
      () =>
        github.runs.push(
          thisRun(),
          workflowRun({ report: JSON.stringify(baseReport).replace('{', '{"__proto__":{"leaked":true},') }),
        ),
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) is damaged: it is not as leakwatch writes its reports\.$/,
    ],
    [
      'a report whose sizes are not sizes (1e308, strings)',
      () =>
        github.runs.push(
          thisRun(),
          workflowRun({ report: JSON.stringify(baseReport).replace(/"delta":\d+/, '"delta":1e308') }),
        ),
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) is damaged: its tests are not as leakwatch writes them\.$/,
    ],
    [
      'a report of another version whose version strings would be workflow commands',
      () =>
        github.runs.push(
          thisRun(),
          workflowRun({
            report: {
              ...baseReport,
              version: '3\n::error::x',
              tool: { name: 'leakwatch', version: '##[add-mask]x' },
            } as unknown as Report,
          }),
        ),
      /has report version unknown \(leakwatch unknown\); this leakwatch reads version 2\./,
    ],
    [
      'a zip bomb: 1 MB that unzips to 1 GiB',
      async () => {
        const bomb = await zipBombOf('leakwatch.json', 1024 ** 3);
        expect(bomb.length).toBeLessThan(2_000_000);
        github.runs.push(thisRun(), {
          ...workflowRun({}),
          artifacts: [{ id: 77, name: ARTIFACT, expired: false, zip: bomb }],
        });
      },
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) unzips to more than 250\.0 MB: leakwatch reads no more of a base's report\.$/,
    ],
    [
      'an artifact larger than leakwatch downloads',
      () => {
        const run = workflowRun({});
        github.runs.push(thisRun(), {
          ...run,
          artifacts: run.artifacts.map((artifact) => ({ ...artifact, sizeInBytes: 3e9 })),
        });
      },
      /^the base's report \(artifact leakwatch-report of run 901, commit b4ea1e5\) is 3\.0 GB, more than the 50\.0 MB leakwatch downloads of a base's report\.$/,
    ],
    [
      'a token that may not read Actions (403)',
      () => {
        github.runs.push(thisRun(), workflowRun({}));
        github.fail({
          path: '/repos/octo-org/octo-repo/actions/',
          status: 403,
          body: { message: 'Resource not accessible by integration' },
          times: 10,
        });
      },
      /^GitHub refused to list this workflow's runs or artifacts \(HTTP 403: Resource not accessible by integration.*Give the job 'permissions: actions: read'/,
    ],
  ];
  it.each(problems)('says once that there is no comparison, and carries on, with %s', async (_, arrange, problem) => {
    await arrange();
    const run = await onPullRequest({ 'fail-on-leak': 'new' });
    expect(run.report?.comparison).toBe(null);
    expect(run.report?.baselineProblem).toMatch(problem);
    // No base: no leak is known to be new.
    expect(run.outputs['new-leaks']).toBe('');
    expect(warnings(run)).toEqual([
      `leakwatch: no comparison with the base: ${run.report?.baselineProblem ?? ''}`,
      "leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.",
    ]);
    const body = comment();
    expect(body.split('No comparison with the base').length).toBe(2);
    expect(body).toMatch(
      /^<!-- leakwatch report: leakwatch -->\n### 🔴 leakwatch: 2 of 3 tests leaked more than 10\.0 MB/,
    );
    expect(run.report?.tests.filter((test) => test.leaked)).toHaveLength(2);
    expect(run.exitCode).toBe(0);
  });

  it('never downloads an artifact listed larger than it reads', async () => {
    const run = workflowRun({});
    github.runs.push(thisRun(), {
      ...run,
      artifacts: run.artifacts.map((artifact) => ({ ...artifact, sizeInBytes: 3e9 })),
    });
    const pull = await onPullRequest();
    expect(pull.report?.baselineProblem).toMatch(/is 3\.0 GB, more than the 50\.0 MB/);
    expect(github.requests.filter((request) => /\/zip|\/blobs\//.test(request.path))).toEqual([]);
  });

  it('gives up on a GitHub that never answers at the deadline, says so, and carries on', async () => {
    github.runs.push(thisRun(), workflowRun({}));
    github.fail({ path: '/repos/octo-org/octo-repo/actions/', times: 100, status: 200, body: {}, hang: true });
    const started = Date.now();
    const run = await onPullRequest({ 'fail-on-leak': 'new' }, { LEAKWATCH_GITHUB_DEADLINE: '3' });
    expect(run.report?.baselineProblem).toBe(
      "leakwatch could not get the base's report: GitHub did not answer within 3 s",
    );
    expect(run.report?.tests.filter((test) => test.leaked)).toHaveLength(2);
    expect(run.exitCode).toBe(0);
    expect(comment()).toContain('No comparison with the base');
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('compares with a report file given as baseline, and asks GitHub nothing for it', async () => {
    const directory = mkdtempSync(path.join(workspace, '.leakwatch-baseline-'));
    try {
      writeFileSync(path.join(directory, 'main.json'), JSON.stringify(olderBase()));
      const file = path.relative(workspace, path.join(directory, 'main.json'));
      const run = await onPullRequest({ baseline: file });
      expect(run.report?.comparison?.base).toEqual({ commit: null, runId: null, file });
      expect(run.report?.comparison?.regressed).toEqual([IDS.connection]);
      expect(github.requests.filter((request) => request.path.includes('/actions/'))).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('a baseline file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(workspace, '.leakwatch-baseline-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  const inWorkspace = (file: string) => path.relative(workspace, path.join(directory, file));

  it.runIf(process.platform !== 'win32')('that is a FIFO is refused at once, not waited on forever', async () => {
    execFileSync('mkfifo', [path.join(directory, 'base.json')]);
    const run = await onPullRequest({ baseline: inWorkspace('base.json') });
    expect(run.report?.baselineProblem).toBe(
      `the baseline file ${inWorkspace('base.json')} is not a regular file: give a JSON report file.`,
    );
    expect(run.report?.tests).toHaveLength(3);
  });

  it('that links to a file outside the workspace is refused, whatever it holds', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-outside-'));
    writeFileSync(path.join(outside, 'base.json'), JSON.stringify(olderBase()));
    symlinkSync(path.join(outside, 'base.json'), path.join(directory, 'base.json'));
    symlinkSync(outside, path.join(directory, 'reports'));
    const viaFile = await onPullRequest({ baseline: inWorkspace('base.json') });
    const viaDirectory = await onPullRequest({ baseline: inWorkspace('reports/base.json') });
    rmSync(outside, { recursive: true, force: true });
    for (const [run, file] of [
      [viaFile, 'base.json'],
      [viaDirectory, 'reports/base.json'],
    ] as const) {
      expect(run.report?.comparison).toBe(null);
      expect(run.report?.baselineProblem).toBe(
        `the baseline file ${inWorkspace(file)} is a link to a file outside the workspace: give a report file inside the workspace.`,
      );
    }
  });

  it('outside the workspace, or a working-directory outside it, stops the step before the tests run', async () => {
    for (const [input, value] of [
      ['baseline', '../base.json'],
      ['baseline', '/etc/passwd'],
      ['working-directory', '..'],
    ] as const) {
      const run = await onPullRequest({ [input]: value, command: 'touch ran-anyway' });
      expect(failure(run)).toBe(
        `Input '${input}' is '${value}', which is outside the workspace (${workspace}). Give a path inside the ` +
          `workspace, relative to it, e.g. ${input === 'baseline' ? "'auto', 'off' or 'reports/main.json'" : "'.' or 'backend'"}.`,
      );
      expect(run.report).toBe(undefined);
      expect(existsSync(path.join(workspace, 'ran-anyway')) || existsSync(path.join(workspace, '../ran-anyway'))).toBe(
        false,
      );
      expect(github.requests).toEqual([]);
    }
  });
});

describe('the CLI', () => {
  it('compares with --baseline FILE, and exits 1 with --fail-on-leak new only for new leaks', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cli-base-'));
    const file = path.join(directory, 'base.json');
    writeFileSync(file, JSON.stringify(olderBase()));
    const onlyOld = await runCli(
      ['--confirm', '0', '--baseline', file, '--fail-on-leak', 'new', '--', BASE_COMMAND],
      workspace,
    );
    expect(onlyOld.stdout).toMatch(
      /leakwatch: since the base \(.*base\.json\): no new leak, 1 fixed, 1 regressed; 0 tests added, 0 removed/,
    );
    expect(onlyOld.exitCode).toBe(0);
    const withNew = await runCli(
      ['--confirm', '0', '--baseline', file, '--fail-on-leak', 'new', '--', PULL_COMMAND],
      workspace,
    );
    expect(withNew.stdout).toMatch(/LEAKED 30\.\d MB in leaks\/test_leaks\.py::test_module_state_leak \(new\)/);
    expect(withNew.exitCode).toBe(1);
    const missing = await runCli(
      ['--confirm', '0', '--baseline', path.join(directory, 'gone.json'), '--', 'pytest clean'],
      workspace,
    );
    expect(missing.stdout).toMatch(
      /leakwatch: no comparison with the base: the baseline file .*gone\.json does not exist\./,
    );
    expect(missing.exitCode).toBe(0);
  });
});
