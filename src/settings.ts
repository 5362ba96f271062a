/**
 * Every input of the action and every option of the CLI, read and checked in one place before anything runs. A bad
 * value stops leakwatch with a message that names the input and shows what it accepts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FailOnLeak, RegressionThreshold } from './compare.js';
import { SIZE_FORMS, parseSize, sizeSuggestion } from './size.js';

export const RUNNERS = ['auto', 'pytest', 'jest', 'vitest', 'mocha', 'node-test'] as const;
export type Trace = 'auto' | 'off';
export type Runner = (typeof RUNNERS)[number];

export const INPUTS = {
  command: 'command',
  workingDirectory: 'working-directory',
  runner: 'runner',
  limit: 'limit',
  confirm: 'confirm',
  trace: 'trace',
  failOnLeak: 'fail-on-leak',
  comment: 'comment',
  reportName: 'report-name',
  githubToken: 'github-token',
  ignore: 'ignore',
  baseline: 'baseline',
  regression: 'regression',
  retentionDays: 'retention-days',
  onNothingMeasured: 'on-nothing-measured',
} as const;

/** The defaults; action.yml declares the same ones (a test holds them together). */
export const DEFAULTS = {
  workingDirectory: '.',
  runner: 'auto',
  limit: '10MB',
  confirm: '3',
  trace: 'auto',
  failOnLeak: 'true',
  comment: 'true',
  reportName: 'leakwatch',
  baseline: 'auto',
  regression: '20% 2MB',
  onNothingMeasured: 'fail',
} as const;

/** What measuring needs, whether it was asked for by the action or the CLI. */
export interface MeasureSettings {
  /** Run in a shell, as a workflow's `run:` step would. */
  readonly command: string;
  /** Absolute. */
  readonly workingDirectory: string;
  readonly runner: Runner;
  /** Bytes a test may keep before it counts as leaking. */
  readonly limit: number;
  /** Runs alone, in a new start of the command, that confirm each suspect; 0: a test over the limit is a leak at once. */
  readonly confirmRuns: number;
  /** `auto`: runs alone trace allocations, to tell where a leak's memory was allocated; `off`: they do not. */
  readonly trace: Trace;
  /** Globs of test ids never reported as leaks. */
  readonly ignore: readonly string[];
}

/** What a run is compared with: the pull request base's report (`auto`), a report file, or nothing. */
export type Baseline = { kind: 'auto' } | { kind: 'off' } | { kind: 'file'; path: string };

/** What reporting needs, from the action or the CLI. */
export interface ReportSettings {
  readonly failOnLeak: FailOnLeak;
  readonly baseline: Baseline;
  /** null: no test counts as regressed. */
  readonly regression: RegressionThreshold | null;
  /** A run that measured no test (or ran a runner version leakwatch cannot measure) fails, or only warns. */
  readonly onNothingMeasured: OnNothingMeasured;
}

export type OnNothingMeasured = 'fail' | 'warn';

export interface ActionSettings extends MeasureSettings, ReportSettings {
  readonly comment: boolean;
  readonly reportName: string;
  readonly githubToken: string;
  /** How long the report saved as an artifact is kept; undefined: the repository's default. */
  readonly retentionDays: number | undefined;
}

export interface CliSettings extends MeasureSettings, ReportSettings {
  readonly jsonPath: string | undefined;
  readonly summaryPath: string | undefined;
}

export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Reads the action's inputs. `readInput` gives an input's value ('' when unset); `isDirectory` checks the working
 * directory, resolved against `baseDirectory` (the workspace).
 */
export function readActionSettings(
  readInput: (name: string) => string,
  isDirectory: (directory: string) => boolean,
  baseDirectory: string,
): ActionSettings {
  const input = (name: string, fallback = ''): string => readInput(name).trim() || fallback;
  const name = (input: string): string => `Input '${input}'`;

  const command = readInput(INPUTS.command).trim();
  if (!command) {
    throw new InputError(
      `${name(INPUTS.command)} is empty. Give the command that runs your tests, e.g. 'pytest tests/'.`,
    );
  }
  const directoryInput = input(INPUTS.workingDirectory, DEFAULTS.workingDirectory);
  const workingDirectory = insideWorkspace(
    directoryInput,
    baseDirectory,
    name(INPUTS.workingDirectory),
    "'.' or 'backend'",
  );
  if (!isDirectory(workingDirectory)) {
    throw new InputError(
      `${name(INPUTS.workingDirectory)} is '${directoryInput}', which is not a directory (looked for ${workingDirectory}). ` +
        `Give a directory relative to the workspace, e.g. '.' or 'backend'.`,
    );
  }
  return {
    command,
    workingDirectory,
    runner: parseRunner(input(INPUTS.runner, DEFAULTS.runner), name(INPUTS.runner)),
    limit: parseLimit(input(INPUTS.limit, DEFAULTS.limit), name(INPUTS.limit)),
    confirmRuns: parseConfirm(input(INPUTS.confirm, DEFAULTS.confirm), name(INPUTS.confirm)),
    trace: parseTrace(input(INPUTS.trace, DEFAULTS.trace), name(INPUTS.trace)),
    ignore: parseIgnore(readInput(INPUTS.ignore)),
    failOnLeak: parseFailOnLeak(input(INPUTS.failOnLeak, DEFAULTS.failOnLeak), name(INPUTS.failOnLeak)),
    comment: parseBoolean(input(INPUTS.comment, DEFAULTS.comment), name(INPUTS.comment)),
    reportName: parseReportName(input(INPUTS.reportName, DEFAULTS.reportName), name(INPUTS.reportName)),
    githubToken: readInput(INPUTS.githubToken).trim(),
    baseline: parseBaseline(input(INPUTS.baseline, DEFAULTS.baseline), baseDirectory, name(INPUTS.baseline)),
    regression: parseRegression(input(INPUTS.regression, DEFAULTS.regression), name(INPUTS.regression)),
    retentionDays: parseRetentionDays(input(INPUTS.retentionDays), name(INPUTS.retentionDays)),
    onNothingMeasured: parseOnNothingMeasured(
      input(INPUTS.onNothingMeasured, DEFAULTS.onNothingMeasured),
      name(INPUTS.onNothingMeasured),
    ),
  };
}

export const MAX_CONFIRM_RUNS = 10;
const CONFIRM_FORMS = `0 (off) or 2 to ${MAX_CONFIRM_RUNS}`;

export const CLI_USAGE = `Usage: leakwatch [options] [--] <command...>

Runs your test command with leakwatch measuring how much memory each test keeps,
then lists the tests that keep more than the limit.

Options:
  --limit SIZE      memory a test may keep, at least 100KB (default ${DEFAULTS.limit}):
                    512KB, 10MB, 1.5GiB or bytes; KB, MB, GB are powers
                    of 1000, KiB, MiB, GiB of 1024
  --runner NAME     ${RUNNERS.join(', ')}
                    (default ${DEFAULTS.runner})
  --confirm N       run each test over the limit N times alone, in a new
                    start, to tell a leak from a warm-up: ${CONFIRM_FORMS}
                    (default ${DEFAULTS.confirm})
  --trace W         auto (the default): runs alone trace allocations, to tell
                    where a leak's memory was allocated; off: they do not
  --ignore GLOB     test ids never reported as leaks; '*' matches anything
                    (repeatable)
  --baseline FILE   compare with an earlier JSON report: new, fixed and
                    regressed tests
  --regression T    how much more a test may keep than in the baseline: a
                    percentage, a size, or both, e.g. '20% 2MB' (the
                    default), or 'off'
  --json FILE       write the JSON report to FILE
  --summary FILE    write the Markdown summary to FILE
  --fail-on-leak W  exit 1 when tests leak: true, new (only leaks the
                    baseline did not have) or false (default true; the test
                    command's failure still counts)
  --no-fail         the same as --fail-on-leak false
  --on-nothing-measured W
                    when no test could be measured: fail (exit 1, the
                    default) or warn
  -h, --help        show this help
  -v, --version     show leakwatch's version

A single argument is run as a shell command line:
  leakwatch -- 'pytest -n 2 | tee log'
Several are quoted and run as they are:
  leakwatch --limit 50MB -- pytest -k "slow and db"`;

/** Reads the CLI's arguments: its options, then the command (after `--`, or from the first non-option on). */
export function readCliSettings(args: readonly string[], workingDirectory: string): CliSettings | 'help' | 'version' {
  const { options, command } = splitCommand(args);
  let parsed;
  try {
    parsed = parseArgs({
      args: options,
      strict: true,
      allowPositionals: false,
      options: {
        limit: { type: 'string' },
        runner: { type: 'string' },
        confirm: { type: 'string' },
        trace: { type: 'string' },
        ignore: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        regression: { type: 'string' },
        json: { type: 'string' },
        summary: { type: 'string' },
        'fail-on-leak': { type: 'string' },
        'no-fail': { type: 'boolean' },
        'on-nothing-measured': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }).values;
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
  }
  if (parsed.help) return 'help';
  if (parsed.version) return 'version';
  if (command.length === 0) throw new InputError(`No test command given.\n\n${CLI_USAGE}`);
  return {
    command: command.length === 1 ? (command[0] ?? '') : command.map(quoteForShell).join(' '),
    workingDirectory,
    runner: parseRunner(parsed.runner ?? DEFAULTS.runner, 'Option --runner'),
    limit: parseLimit(parsed.limit ?? DEFAULTS.limit, 'Option --limit'),
    confirmRuns: parseConfirm(parsed.confirm ?? DEFAULTS.confirm, 'Option --confirm'),
    trace: parseTrace(parsed.trace ?? DEFAULTS.trace, 'Option --trace'),
    ignore: (parsed.ignore ?? []).flatMap(parseIgnore),
    failOnLeak: parsed['no-fail']
      ? 'never'
      : parseFailOnLeak(parsed['fail-on-leak'] ?? DEFAULTS.failOnLeak, 'Option --fail-on-leak'),
    baseline:
      parsed.baseline === undefined
        ? { kind: 'off' }
        : { kind: 'file', path: path.resolve(workingDirectory, parsed.baseline) },
    regression: parseRegression(parsed.regression ?? DEFAULTS.regression, 'Option --regression'),
    onNothingMeasured: parseOnNothingMeasured(
      parsed['on-nothing-measured'] ?? DEFAULTS.onNothingMeasured,
      'Option --on-nothing-measured',
    ),
    jsonPath: parsed.json === undefined ? undefined : path.resolve(workingDirectory, parsed.json),
    summaryPath: parsed.summary === undefined ? undefined : path.resolve(workingDirectory, parsed.summary),
  };
}

function splitCommand(args: readonly string[]): { options: string[]; command: string[] } {
  const optionsWithValue = new Set([
    '--limit',
    '--runner',
    '--confirm',
    '--trace',
    '--ignore',
    '--baseline',
    '--regression',
    '--json',
    '--summary',
    '--fail-on-leak',
    '--on-nothing-measured',
  ]);
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') return { options: args.slice(0, index), command: args.slice(index + 1) };
    if (!arg.startsWith('-')) return { options: args.slice(0, index), command: args.slice(index) };
    if (optionsWithValue.has(arg)) index += 1;
  }
  return { options: [...args], command: [] };
}

function quoteForShell(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (process.platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function parseRunner(value: string, name: string): Runner {
  const runner = RUNNERS.find((known) => known === value.toLowerCase());
  if (runner === undefined) {
    throw new InputError(
      `${name} is '${value}', which is not a runner leakwatch knows. Use one of: ${RUNNERS.join(', ')}.`,
    );
  }
  return runner;
}

/**
 * Below this, what the readings themselves move (the allocator's pages, the runner's own bookkeeping) is the limit:
 * every test is near it, and keeping its figures sound would cost a full collection per test.
 */
export const SMALLEST_LIMIT = 100_000;

function parseLimit(value: string, name: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    const suggestion = sizeSuggestion(value);
    throw new InputError(
      suggestion === undefined
        ? `${name} is '${value}', which is not a size. Use ${SIZE_FORMS}.`
        : `${name} is '${value}': did you mean ${suggestion}? Sizes take KB, MB, GB (powers of 1000) or KiB, MiB, GiB (1024).`,
    );
  }
  if (bytes < SMALLEST_LIMIT) {
    throw new InputError(
      `${name} is '${value}', below the smallest limit leakwatch measures soundly. Use 100KB or more ` +
        '(smaller figures are within what the readings themselves move from test to test).',
    );
  }
  return bytes;
}

function parseConfirm(value: string, name: string): number {
  const runs = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (runs !== 0 && !(runs >= 2 && runs <= MAX_CONFIRM_RUNS)) {
    throw new InputError(
      `${name} is '${value}'. Use ${CONFIRM_FORMS}: the times each test over the limit runs again alone ` +
        '(the first run may warm up, so one run cannot tell).',
    );
  }
  return runs;
}

function parseTrace(value: string, name: string): Trace {
  if (/^auto$/i.test(value)) return 'auto';
  if (/^off$/i.test(value)) return 'off';
  throw new InputError(
    `${name} is '${value}'. Use 'auto' (runs alone trace allocations, to tell where a leak's memory was allocated) ` +
      "or 'off'.",
  );
}

function parseBoolean(value: string, name: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`${name} is '${value}'. Use true or false.`);
}

function parseFailOnLeak(value: string, name: string): FailOnLeak {
  if (/^true$/i.test(value)) return 'any';
  if (/^false$/i.test(value)) return 'never';
  if (/^new$/i.test(value)) return 'new';
  throw new InputError(
    `${name} is '${value}'. Use true (any leak fails), new (only leaks the pull request's base did not have) or false.`,
  );
}

/**
 * `auto`, `off`, or a report file's path inside the workspace (`baseDirectory`), relative to it; a file that is not
 * there is only a warning.
 */
function parseBaseline(value: string, baseDirectory: string, name: string): Baseline {
  if (/^auto$/i.test(value)) return { kind: 'auto' };
  if (/^off$/i.test(value)) return { kind: 'off' };
  return { kind: 'file', path: insideWorkspace(value, baseDirectory, name, "'auto', 'off' or 'reports/main.json'") };
}

/**
 * A path given to the action, resolved against the workspace, which it must stay in: the action reads and runs
 * nothing of the runner's machine outside the checkout. (Symlinks are followed where the file is read.)
 */
function insideWorkspace(value: string, workspace: string, name: string, examples: string): string {
  const resolved = path.resolve(workspace, value);
  const relative = path.relative(workspace, resolved);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InputError(
      `${name} is '${value}', which is outside the workspace (${workspace}). ` +
        `Give a path inside the workspace, relative to it, e.g. ${examples}.`,
    );
  }
  return resolved;
}

function parseRegression(value: string, name: string): RegressionThreshold | null {
  if (/^off$/i.test(value)) return null;
  const parts = value.split(/[\s,]+/).filter(Boolean);
  const percents = parts.filter((part) => /^\d{1,6}(\.\d+)?%$/.test(part));
  const sizes = parts.filter((part) => !percents.includes(part)).map(parseSize);
  if (parts.length === 0 || percents.length > 1 || sizes.length > 1 || sizes.includes(undefined)) {
    const suggestions = parts.map(sizeSuggestion).filter((suggestion) => suggestion !== undefined);
    if (suggestions.length > 0) {
      throw new InputError(
        `${name} is '${value}': did you mean ${suggestions.join(', ')}? Sizes take KB, MB, GB (powers of 1000) or KiB, MiB, GiB (1024).`,
      );
    }
    throw new InputError(
      `${name} is '${value}'. Use a percentage, a size (${SIZE_FORMS}) or both, e.g. '20% 2MB': a test regressed ` +
        "when it keeps more than in the base by more than each. Or 'off'.",
    );
  }
  return { ratio: percents[0] === undefined ? null : parseFloat(percents[0]) / 100, bytes: sizes[0] ?? null };
}

const MAX_RETENTION_DAYS = 90;

/** Days an artifact is kept: 1 to 90 (GitHub's limit); empty for the repository's default. */
function parseRetentionDays(value: string, name: string): number | undefined {
  if (value === '') return undefined;
  const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw new InputError(
      `${name} is '${value}'. Use a number of days from 1 to ${MAX_RETENTION_DAYS}, or leave it empty for the repository's default.`,
    );
  }
  return days;
}

function parseOnNothingMeasured(value: string, name: string): OnNothingMeasured {
  if (/^fail$/i.test(value)) return 'fail';
  if (/^warn$/i.test(value)) return 'warn';
  throw new InputError(
    `${name} is '${value}'. Use fail (a run that measured no test fails, the default) or warn (it passes with a warning).`,
  );
}

function parseIgnore(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}

const MAX_REPORT_NAME = 100;

function parseReportName(value: string, name: string): string {
  // It names files and an artifact: no '.' or '..' alone, nothing a file system refuses for its length.
  if (!/^[A-Za-z0-9][\w.-]*$/.test(value) || value.length > MAX_REPORT_NAME) {
    throw new InputError(
      `${name} is '${value.length > 120 ? `${value.slice(0, 117)}...` : value}'. Use up to ${MAX_REPORT_NAME} letters, ` +
        "digits, '.', '_' and '-', starting with a letter or digit: it names the report file, its artifact and its comment.",
    );
  }
  return value;
}
