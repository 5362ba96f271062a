/**
 * What a pull request's tests must never do through leakwatch: read the action's credentials, run workflow commands
 * through their ids or records, write Markdown into the summary; and what must never pass for "no leak": a run that
 * measured nothing. Each runs the bundled action under the real runners, as the Actions runner would.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, failure, runAction, runCli, type ActionRun } from './helpers/run.js';
import { mountSmallDisk, unmount } from './helpers/small-disk.js';

const pytestWorkspace = path.join(FIXTURES, 'pytest');

describe('the test command', () => {
  it('gets the environment of a run: step, without the action’s inputs, token or runtime credentials', async () => {
    const dump = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-env-')), 'env.json');
    const credentials = {
      ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
      ACTIONS_RUNTIME_URL: 'http://127.0.0.1:9/runtime/',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results/',
      ACTIONS_CACHE_URL: 'http://127.0.0.1:9/cache/',
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
      GITHUB_STATE: '/tmp/state',
    };
    const run = await runAction({
      workspace: path.join(FIXTURES, 'node/env-dump'),
      inputs: { command: 'node --test env.test.js', limit: '10MB', baseline: 'off' },
      env: { ...credentials, ENV_DUMP: dump, MY_PROJECT_SETTING: 'kept' },
    });
    expect(run.exitCode).toBe(0);
    const seen = JSON.parse(readFileSync(dump, 'utf8')) as Record<string, string>;
    const names = Object.keys(seen);
    expect(names.filter((name) => name.startsWith('INPUT_'))).toEqual([]);
    for (const name of Object.keys(credentials)) expect(names).not.toContain(name);
    expect(JSON.stringify(seen)).not.toContain('ghs_secret-token-for-tests');
    // What a run: step has stays.
    expect(seen).toMatchObject({
      MY_PROJECT_SETTING: 'kept',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
    });
    expect(seen.GITHUB_WORKSPACE).toBe(path.join(FIXTURES, 'node/env-dump'));
  });
});

describe('hostile test ids and records', () => {
  let run: ActionRun;
  beforeAll(async () => {
    run = await runAction({
      workspace: pytestWorkspace,
      inputs: { command: 'pytest -p no:cacheprovider hostile', limit: '10MB', confirm: '2', baseline: 'off' },
    });
  });

  it('run no workflow command but leakwatch’s own, and the failure still fails the step', () => {
    const ran = run.commands.map((command) => command.command);
    expect(new Set(ran)).toEqual(new Set(['add-mask', 'stop-commands', 'error', 'warning']));
    // The only mask is the token's; the only stops are leakwatch's fences, each closed.
    expect(run.commands.filter((command) => command.command === 'add-mask').map((command) => command.message)).toEqual([
      'ghs_secret-token-for-tests',
    ]);
    for (const command of run.commands.filter((found) => found.command === 'stop-commands')) {
      expect(command.message).toMatch(/^leakwatch-[0-9a-f]{32}$/);
      expect(run.stdout).toContain(`\n::${command.message}::\n`);
    }
    expect(
      run.commands.some(
        (command) =>
          /planted|forged/.test(command.message) && command.command !== 'error' && command.command !== 'warning',
      ),
    ).toBe(false);
    expect(failure(run)).toMatch(/^6 tests leaked more than 10\.0 MB\.$/);
    expect(run.exitCode).toBe(1);
  });

  it('show every hostile id in the LEAKED lines, inside the fence, with control characters as escapes', () => {
    const leaked = run.stdout.match(/^LEAKED .*$/gm) ?? [];
    expect(leaked).toHaveLength(6);
    expect(leaked.join('\n')).toContain('test_hostile_id[##[set-output name=leaks;]0]');
    expect(run.stdout).not.toContain('\u001b[31m');
    expect(run.outputs.leaks).toBe('6');
  });

  it('annotate each leak, its title and message inert', () => {
    const errors = run.commands.filter(
      (command) => command.command === 'error' && command.properties.file !== undefined,
    );
    // Six leaks, each annotated on its test and on the line that allocated it: GitHub shows 10 errors a step.
    expect(errors).toHaveLength(10);
    for (const error of errors) {
      expect(error.properties.title).toMatch(
        /^leakwatch: (test_hostile_id\[.*\] leaked 20\.\d MB|memory test_hostile_id\[.*\] leaks is allocated here)$/,
      );
      expect(error.message).not.toContain('##[');
      expect(error.message).not.toContain('\u001b');
    }
  });

  it('leave out forged record lines with one warning, a header naming no runner leakwatch knows among them', () => {
    const warnings = run.commands.filter((command) => command.command === 'warning').map((command) => command.message);
    expect(warnings.filter((warning) => warning.includes('record line'))).toEqual([
      expect.stringMatching(/^leakwatch left out 5 record lines that its preloads do not write .*forged\.jsonl: /),
    ]);
    expect(run.report?.tests.map((test) => test.id)).not.toContain('forged::test_huge');
    expect(run.report?.runner).toBe('pytest');
    expect(run.summary).not.toMatch(/<img|onerror|@someone|\[click\]\(|##\[/);
    expect(run.report?.peak).toBeLessThan(100e9);
  });
});

describe('a run that measured nothing', () => {
  it('fails the step, naming a command that was not found, and never says no test leaked', async () => {
    const run = await runAction({
      workspace: pytestWorkspace,
      inputs: { command: 'pytset clean', baseline: 'off' },
    });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /^The test command exited with 127\. Nothing was measured, so no leak could be found: the test command was not found/,
    );
    expect(run.summary).toContain('nothing was measured');
    expect(run.summary).not.toContain('no test leaked');
    expect(run.outputs.tests).toBe('0');
  });

  it('fails the step when a wrapper drops the environment, and only warns with on-nothing-measured: warn', async () => {
    const command = 'env -i PATH="$PATH" python -m pytest -p no:cacheprovider clean';
    const failed = await runAction({ workspace: pytestWorkspace, inputs: { command, baseline: 'off' } });
    expect(failed.exitCode).toBe(1);
    expect(failure(failed)).toMatch(
      /^Nothing was measured, so no leak could be found: no test process loaded its plugin\./,
    );
    expect(failed.stdout).toMatch(/^leakwatch: nothing was measured/m);

    const warned = await runAction({
      workspace: pytestWorkspace,
      inputs: { command, baseline: 'off', 'on-nothing-measured': 'warn' },
    });
    expect(warned.exitCode).toBe(0);
    expect(warned.commands.filter((found) => found.command === 'warning').map((found) => found.message)).toContainEqual(
      expect.stringMatching(/^Nothing was measured/),
    );
    expect(warned.summary).toContain('nothing was measured');
  });

  it('makes the CLI exit 1 with the cause', async () => {
    const run = await runCli(
      ['--', 'env', '-i', `PATH=${process.env.PATH ?? ''}`, 'python', '-m', 'pytest', 'clean'],
      pytestWorkspace,
    );
    expect(run.stdout).toMatch(/^leakwatch: nothing was measured/m);
    expect(run.stderr).toMatch(/leakwatch: error: Nothing was measured/);
    expect(run.exitCode).toBe(1);
  });
});

describe('outputs on a full disk', () => {
  let full: string | undefined;
  beforeAll(() => {
    full = mountFullDisk();
  });
  afterAll(() => {
    unmount(full);
  });

  it('still set the outputs, the summary, the findings and the command’s exit code when RUNNER_TEMP is full', async (context) => {
    if (full === undefined) context.skip();
    const run = await runAction({
      workspace: pytestWorkspace,
      inputs: { command: 'pytest -p no:cacheprovider clean; exit 3', baseline: 'off' },
      env: { RUNNER_TEMP: full },
    });
    expect(failure(run)).toBe('The test command exited with 3.');
    expect(run.outputs).toMatchObject({ 'exit-code': '3', tests: '7', leaks: '0', report: '' });
    expect(run.summary).toContain('no test leaked more than 10.0 MB (7 tests measured)');
    expect(
      run.commands.filter((command) => command.command === 'warning').map((command) => command.message),
    ).toContainEqual(expect.stringMatching(/^leakwatch could not write the JSON report: ENOSPC/));
  });

  it('keeps the CLI’s exit code the command’s when --json cannot be written', async (context) => {
    if (full === undefined) context.skip();
    const run = await runCli(
      ['--json', path.join(full ?? '', 'report.json'), '--', 'pytest -p no:cacheprovider clean; exit 3'],
      pytestWorkspace,
    );
    expect(run.stdout).toContain('no test leaked more than 10.0 MB (7 tests measured)');
    expect(run.stderr).toMatch(/could not write the file of --json: ENOSPC/);
    expect(run.exitCode).toBe(3);
  });
});

/** A small disk, filled up; undefined where this machine does not let a test mount one. */
function mountFullDisk(): string | undefined {
  const directory = mountSmallDisk();
  if (directory === undefined) return undefined;
  mkdirSync(path.join(directory, 'leakwatch'));
  try {
    writeFileSync(path.join(directory, 'filler'), Buffer.alloc(1024 * 1024));
  } catch {
    // full, as wanted
  }
  return directory;
}
