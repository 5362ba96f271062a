import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULTS,
  INPUTS,
  InputError,
  readActionSettings,
  readCliSettings,
  readMergeCliSettings,
  type ActionSettings,
  type MeasureActionSettings,
  type MergeActionSettings,
} from '../src/settings.js';
import { ROOT } from './helpers/run.js';

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares every input leakwatch reads, and no other', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUTS).sort());
  });

  it('declares the defaults leakwatch applies', () => {
    expect(action.inputs[INPUTS.workingDirectory]?.default).toBe(DEFAULTS.workingDirectory);
    expect(action.inputs[INPUTS.runner]?.default).toBe(DEFAULTS.runner);
    expect(action.inputs[INPUTS.limit]?.default).toBe(DEFAULTS.limit);
    expect(action.inputs[INPUTS.failOnLeak]?.default).toBe(DEFAULTS.failOnLeak);
    expect(action.inputs[INPUTS.comment]?.default).toBe(DEFAULTS.comment);
    expect(action.inputs[INPUTS.reportName]?.default).toBe(DEFAULTS.reportName);
    expect(action.inputs[INPUTS.baseline]?.default).toBe(DEFAULTS.baseline);
    expect(action.inputs[INPUTS.regression]?.default).toBe(DEFAULTS.regression);
    expect(action.inputs[INPUTS.retentionDays]?.default).toBe('');
    expect(action.inputs[INPUTS.publish]?.default).toBe(DEFAULTS.publish);
    expect(action.inputs[INPUTS.merge]?.default).toBe(DEFAULTS.merge);
    // Required of a step that measures, refused by a merge step: the code checks it, naming which.
    expect(action.inputs[INPUTS.command]?.required).toBe(false);
    // The contexts a shard's label and the merge's count come from, which an action reads only through its inputs.
    expect(action.inputs[INPUTS.matrix]?.default).toBe('${{ toJSON(matrix) }}');
    expect(action.inputs[INPUTS.strategy]?.default).toBe('${{ toJSON(strategy) }}');
  });

  it('is what README.md documents: every input with its default, every output', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const [name, input] of Object.entries(action.inputs)) {
      const shown = input.required ? '(required)' : input.default ? `\`${input.default}\`` : '(none)';
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\| ${escapeRegExp(shown)} +\\|`, 'm'));
    }
    for (const name of Object.keys(action.outputs)) expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it('runs the bundle on node24 and declares its outputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.outputs).sort()).toEqual([
      'crashed',
      'exit-code',
      'leaks',
      'markdown',
      'missing-shards',
      'new-leaks',
      'report',
      'tests',
      'unmeasured',
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

const readAny = (inputs: Record<string, string>, job = 'test'): ActionSettings =>
  readActionSettings(
    (name) => inputs[name] ?? '',
    (directory) => directory === '/work' || directory === '/work/backend',
    '/work',
    job,
  );

/** A measuring step's settings. */
function read(inputs: Record<string, string>, job?: string): MeasureActionSettings {
  const settings = readAny(inputs, job);
  if (settings.mode !== 'measure') throw new Error('not a measuring step');
  return settings;
}

/** A merge step's settings. */
function readMerge(inputs: Record<string, string>): MergeActionSettings {
  const settings = readAny({ merge: 'true', ...inputs });
  if (settings.mode !== 'merge') throw new Error('not a merge step');
  return settings;
}

describe('action inputs', () => {
  it('apply the defaults to unset inputs', () => {
    expect(read({ command: 'pytest' })).toEqual({
      mode: 'measure',
      publish: 'here',
      shard: { label: 'test', matrix: null, jobIndex: null, jobTotal: null },
      command: 'pytest',
      workingDirectory: '/work',
      runner: 'auto',
      limit: 10_000_000,
      confirmRuns: 3,
      trace: 'auto',
      ignore: [],
      failOnLeak: 'any',
      comment: true,
      reportName: 'leakwatch',
      githubToken: '',
      baseline: { kind: 'auto' },
      regression: { ratio: 0.2, bytes: 2_000_000 },
      retentionDays: undefined,
      onNothingMeasured: 'fail',
    });
  });

  it('read every input', () => {
    const settings = read({
      command: 'pytest -n 2 tests/',
      'working-directory': 'backend',
      runner: 'pytest',
      limit: '1.5GiB',
      confirm: '5',
      trace: 'OFF',
      'fail-on-leak': 'False',
      comment: 'TRUE',
      'report-name': 'py-3.12',
      'github-token': 'ghs_x',
      ignore: 'tests/a.py::*, tests/b.py::test_c[1]\n\n  *::test_warm*  ',
      baseline: 'reports/main.json',
      regression: '5MiB',
      'retention-days': '14',
    });
    expect(settings).toMatchObject({
      workingDirectory: '/work/backend',
      runner: 'pytest',
      limit: 1.5 * 2 ** 30,
      confirmRuns: 5,
      trace: 'off',
      failOnLeak: 'never',
      baseline: { kind: 'file', path: '/work/reports/main.json' },
      regression: { ratio: null, bytes: 5 * 2 ** 20 },
      retentionDays: 14,
      comment: true,
      reportName: 'py-3.12',
      ignore: ['tests/a.py::*', 'tests/b.py::test_c[1]', '*::test_warm*'],
    });
  });

  it('throw an InputError that names the input', () => {
    expect(() => read({ command: 'pytest', limit: 'lots' })).toThrow(InputError);
    expect(() => read({ command: 'pytest', limit: 'lots' })).toThrow(/^Input 'limit' is 'lots'/);
    // One run alone cannot tell a warm-up from a leak.
    for (const confirm of ['1', '11', 'yes', '-2', '2.5']) {
      expect(() => read({ command: 'pytest', confirm })).toThrow(
        new RegExp(`^Input 'confirm' is '${confirm}'\\. Use 0 \\(off\\) or 2 to 10`),
      );
    }
    expect(read({ command: 'pytest', confirm: '0' }).confirmRuns).toBe(0);
    expect(() => read({ command: 'pytest', trace: 'on' })).toThrow(/^Input 'trace' is 'on'\. Use 'auto' \(runs alone/);
    expect(() => read({ command: 'pytest', 'fail-on-leak': 'old' })).toThrow(
      /^Input 'fail-on-leak' is 'old'\. Use true \(any leak fails\), new/,
    );
    for (const regression of ['20%%', '20% 30%', 'lots', '5MB 6MB', '%']) {
      expect(() => read({ command: 'pytest', regression })).toThrow(
        new RegExp(`^Input 'regression' is '${regression}'\\. Use a percentage, a size`),
      );
    }
    for (const days of ['0', '91', 'week', '1.5']) {
      expect(() => read({ command: 'pytest', 'retention-days': days })).toThrow(
        new RegExp(`^Input 'retention-days' is '${days}'\\. Use a number of days from 1 to 90`),
      );
    }
  });

  it('refuse, before anything runs, values that would break the run after the tests', () => {
    // A limit of 400 digits was Infinity; a 250-character report name made ENAMETOOLONG after the tests; '..' a
    // report file named '...json' one directory up.
    expect(() => read({ command: 'pytest', limit: '9'.repeat(400) })).toThrow(
      /^Input 'limit' is '9{400}', which is not a size/,
    );
    expect(() => read({ command: 'pytest', limit: '10000TB' })).toThrow(/under 9 PB/);
    // Below 100 KB every test is near the limit, and a sound figure for each would cost a full collection per test.
    for (const limit of ['0', '99999', '99KB', '0.09MB']) {
      expect(() => read({ command: 'pytest', limit })).toThrow(
        new RegExp(`^Input 'limit' is '${limit}', below the smallest limit leakwatch measures soundly\\. Use 100KB`),
      );
    }
    expect(read({ command: 'pytest', limit: '100KB' }).limit).toBe(100_000);
    expect(() => read({ command: 'pytest', regression: `${'9'.repeat(400)}%` })).toThrow(/^Input 'regression' is/);
    for (const reportName of ['x'.repeat(101), '..', '.', '-x', 'a/b']) {
      expect(() => read({ command: 'pytest', 'report-name': reportName })).toThrow(
        /^Input 'report-name' is '.*'\. Use up to 100 letters, digits/,
      );
    }
    expect(read({ command: 'pytest', 'report-name': 'x'.repeat(100) }).reportName).toHaveLength(100);
    expect(read({ command: 'pytest', 'report-name': 'py3.13-linux' }).reportName).toBe('py3.13-linux');
    expect(() => read({ command: 'pytest', 'on-nothing-measured': 'ignore' })).toThrow(
      /^Input 'on-nothing-measured' is 'ignore'\. Use fail .* or warn/,
    );
    expect(read({ command: 'pytest', 'on-nothing-measured': 'WARN' }).onNothingMeasured).toBe('warn');
  });

  it('keep working-directory and a baseline file inside the workspace', () => {
    for (const [input, value] of [
      ['working-directory', '..'],
      ['working-directory', '../other-checkout'],
      ['working-directory', '/tmp'],
      ['working-directory', 'backend/../../etc'],
      ['baseline', '../main.json'],
      ['baseline', '/etc/passwd'],
      ['baseline', 'reports/../../x.json'],
    ]) {
      expect(() => read({ command: 'pytest', [input ?? '']: value ?? '' })).toThrow(
        new InputError(
          `Input '${input}' is '${value}', which is outside the workspace (/work). Give a path inside the workspace, ` +
            `relative to it, e.g. ${input === 'baseline' ? "'auto', 'off' or 'reports/main.json'" : "'.' or 'backend'"}.`,
        ),
      );
    }
    // Inside it, however written; a name that merely starts with two dots is inside too.
    expect(read({ command: 'pytest', 'working-directory': '/work/backend' }).workingDirectory).toBe('/work/backend');
    expect(read({ command: 'pytest', 'working-directory': 'backend/' }).workingDirectory).toBe('/work/backend');
    expect(read({ command: 'pytest', baseline: '/work/reports/main.json' }).baseline).toEqual({
      kind: 'file',
      path: '/work/reports/main.json',
    });
    expect(read({ command: 'pytest', baseline: '..main.json' }).baseline).toEqual({
      kind: 'file',
      path: '/work/..main.json',
    });
  });

  it('take fail-on-leak new, baseline off, and a regression threshold in either order or off', () => {
    expect(read({ command: 'pytest', 'fail-on-leak': 'New', baseline: 'OFF', regression: '3MB, 50%' })).toMatchObject({
      failOnLeak: 'new',
      baseline: { kind: 'off' },
      regression: { ratio: 0.5, bytes: 3_000_000 },
    });
    expect(read({ command: 'pytest', regression: 'off' }).regression).toBe(null);
    expect(read({ command: 'pytest', regression: '12.5%' }).regression).toEqual({ ratio: 0.125, bytes: null });
  });
});

describe('CLI arguments', () => {
  it('take options before the command, which starts at the first non-option', () => {
    expect(readCliSettings(['--limit', '50MB', 'pytest', '-k', 'slow and db', '-x'], '/work')).toMatchObject({
      command: "pytest -k 'slow and db' -x",
      limit: 50_000_000,
      failOnLeak: 'any',
      baseline: { kind: 'off' },
    });
  });

  it('take the command after --, and one argument as a whole command line', () => {
    expect(readCliSettings(['--no-fail', '--', 'pytest | tee log'], '/work')).toMatchObject({
      command: 'pytest | tee log',
      failOnLeak: 'never',
    });
    expect(readCliSettings(['--fail-on-leak', 'new', '--baseline', 'b.json', 'pytest'], '/work')).toMatchObject({
      command: 'pytest',
      failOnLeak: 'new',
      baseline: { kind: 'file', path: '/work/b.json' },
    });
    expect(readCliSettings(['--', "it's", 'a b'], '/work')).toMatchObject({ command: `'it'\\''s' 'a b'` });
  });

  it('resolve report paths against the working directory', () => {
    expect(
      readCliSettings(['--json', 'out/r.json', '--summary', '/tmp/s.md', '--ignore', 'a::*,b::*', 'pytest'], '/work'),
    ).toMatchObject({ jsonPath: '/work/out/r.json', summaryPath: '/tmp/s.md', ignore: ['a::*', 'b::*'] });
  });

  it('reject a bad limit, an unknown option and a missing command', () => {
    expect(() => readCliSettings(['--limit', '10 megs', 'pytest'], '/work')).toThrow(
      /^Option --limit is '10 megs', which is not a size/,
    );
    expect(() => readCliSettings(['--limit', '512k', 'pytest'], '/work')).toThrow(
      /^Option --limit is '512k': did you mean 512KB or 512KiB\?/,
    );
    expect(() => readCliSettings(['--regression', '20% 2m', 'pytest'], '/work')).toThrow(
      /^Option --regression is '20% 2m': did you mean 2MB or 2MiB\?/,
    );
    expect(() => readCliSettings(['--limt', '10MB', 'pytest'], '/work')).toThrow(/Unknown option '--limt'/);
    expect(() => readCliSettings(['--limit', '10MB'], '/work')).toThrow(/^No test command given/);
    expect(() => readCliSettings(['--limit', '0', 'pytest'], '/work')).toThrow(/^Option --limit is '0', below/);
    expect(() => readCliSettings(['--confirm', '1', 'pytest'], '/work')).toThrow(/^Option --confirm is '1'\. Use 0/);
    expect(readCliSettings(['--confirm', '4', 'pytest'], '/work')).toMatchObject({ confirmRuns: 4, command: 'pytest' });
  });

  it('answer --help and --version', () => {
    expect(readCliSettings(['--help'], '/work')).toBe('help');
    expect(readCliSettings(['-v'], '/work')).toBe('version');
  });
});

describe('a matrix’s shards and their merge step', () => {
  it('label a shard by the shard input, else its matrix values, else its job', () => {
    const shard = (inputs: Record<string, string>, job = 'test') =>
      read({ command: 'pytest', publish: 'merge-later', ...inputs }, job).shard;
    expect(shard({ shard: 'py3.13-linux' }).label).toBe('py3.13-linux');
    expect(shard({ matrix: '{"group":3}' }).label).toBe('3');
    expect(
      shard({
        matrix: '{"os":"ubuntu-latest","python":"3.13"}',
        strategy: '{"fail-fast":true,"job-index":2,"job-total":4,"max-parallel":4}',
      }),
    ).toEqual({
      label: 'ubuntu-latest-3.13',
      matrix: { os: 'ubuntu-latest', python: '3.13' },
      jobIndex: 2,
      jobTotal: 4,
    });
    // Values an artifact's name cannot hold are cut to what it can; outside a matrix (`null`), the job names it.
    expect(shard({ matrix: '{"shard":"1/3","node":{"v":20}}' }).label).toBe('1_3-v_20_');
    expect(shard({ matrix: 'null' }, 'unit').label).toBe('unit');
    expect(shard({ matrix: '{}' }, 'report').label).toBe('report-shard');
  });

  it('refuse a shard input that cannot name an artifact, or without publish: merge-later', () => {
    for (const label of ['a/b', '-x', 'report', 'x'.repeat(101), 'a b']) {
      expect(() => read({ command: 'pytest', publish: 'merge-later', shard: label })).toThrow(
        /^Input 'shard' is '.*'\. Use up to 100 letters, digits, '\.', '_' and '-'/,
      );
    }
    expect(() => read({ command: 'pytest', shard: '1' })).toThrow(
      /^Input 'shard' is given without 'publish: merge-later'/,
    );
    expect(() => read({ command: 'pytest', publish: 'later' })).toThrow(
      /^Input 'publish' is 'later'\. Use 'here' .* or 'merge-later'/,
    );
  });

  it('read a merge step without a command, and refuse one with a command or publish: merge-later', () => {
    expect(readMerge({ 'run-id': '1658821493', shards: '4' })).toMatchObject({
      mode: 'merge',
      runId: 1658821493,
      shards: { count: 4 },
      unused: [],
    });
    expect(readMerge({ shards: 'ubuntu-latest,\n windows-latest' }).shards).toEqual({
      labels: ['ubuntu-latest', 'windows-latest'],
    });
    expect(() => readMerge({ command: 'pytest' })).toThrow(
      /^Input 'command' is given with 'merge: true'\. A merge step/,
    );
    expect(() => readMerge({ publish: 'merge-later' })).toThrow(/^Input 'publish' is 'merge-later' with 'merge: true'/);
    expect(() => readAny({})).toThrow(/^Input 'command' is empty\. .* or 'merge: true'/);
    for (const runId of ['abc', '0', '-3', '1.5', '9'.repeat(20)]) {
      expect(() => readMerge({ 'run-id': runId })).toThrow(
        new RegExp(`^Input 'run-id' is '${runId}'\\. Use a workflow`),
      );
    }
    for (const shards of ['0', '1001', 'a, a', 'a/b', 'x y']) {
      expect(() => readMerge({ shards })).toThrow(new RegExp(`^Input 'shards' is '${shards}'\\. Use the number`));
    }
    expect(() => readMerge({ merge: 'yes' })).toThrow(/^Input 'merge' is 'yes'\. Use true or false/);
  });

  it('warn of a measuring input given to a merge step, which has no effect there', () => {
    expect(readMerge({ limit: '50MB', ignore: 'tests/*' }).unused).toEqual([
      expect.stringMatching(/^Input 'limit' has no effect with 'merge: true': each shard's report stands/),
      expect.stringMatching(/^Input 'ignore' has no effect with 'merge: true'/),
    ]);
    // Defaults, as the runner passes them, are no warning.
    expect(readMerge({ limit: '10MB', confirm: '3', runner: 'auto' }).unused).toEqual([]);
  });

  it('read leakwatch merge’s options and report files', () => {
    expect(
      readMergeCliSettings(
        ['a.json', '--baseline', 'main.json', 'reports/b.json', '--json', 'm.json', '--shards', '3'],
        '/w',
      ),
    ).toMatchObject({
      files: ['/w/a.json', '/w/reports/b.json'],
      baseline: { kind: 'file', path: '/w/main.json' },
      jsonPath: '/w/m.json',
      summaryPath: undefined,
      shards: { count: 3 },
      failOnLeak: 'any',
    });
    expect(readMergeCliSettings(['--no-fail', 'a.json'], '/w')).toMatchObject({ failOnLeak: 'never' });
    expect(readMergeCliSettings(['-h'], '/w')).toBe('help');
    expect(() => readMergeCliSettings(['--json', 'm.json'], '/w')).toThrow(/^No report file given/);
    expect(() => readMergeCliSettings(['--limit', '5MB', 'a.json'], '/w')).toThrow(/Unknown option '--limit'/);
  });
});
