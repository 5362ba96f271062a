import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS, INPUTS, InputError, readActionSettings, readCliSettings } from '../src/settings.js';
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
    expect(action.inputs[INPUTS.command]?.required).toBe(true);
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

describe('action inputs', () => {
  const read = (inputs: Record<string, string>) =>
    readActionSettings(
      (name) => inputs[name] ?? '',
      (directory) => directory === '/work' || directory === '/work/backend',
      '/work',
    );

  it('apply the defaults to unset inputs', () => {
    expect(read({ command: 'pytest' })).toEqual({
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
