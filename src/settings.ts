/**
 * Every input of the action and every option of the CLI, read and checked in one place before anything runs. A bad
 * value stops leakwatch with a message that names the input and shows what it accepts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FailOnLeak, RegressionThreshold } from './compare.js';
import { SHARD_LABEL, parseContext, shardLabel, type ExpectedShards } from './shards.js';
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
  publish: 'publish',
  shard: 'shard',
  merge: 'merge',
  runId: 'run-id',
  shards: 'shards',
  matrix: 'matrix',
  strategy: 'strategy',
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
  publish: 'here',
  merge: 'false',
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

/** What the action's two kinds of step share: how the report is named, published and compared. */
export interface PublishSettings extends ReportSettings {
  readonly comment: boolean;
  readonly reportName: string;
  readonly githubToken: string;
  /** How long the report saved as an artifact is kept; undefined: the repository's default. */
  readonly retentionDays: number | undefined;
}

/**
 * Where a step's findings go: `here`, this job (comment, summary, annotations, failure); `merge-later`, a shard's
 * report saved as an artifact for a merge step, with a short summary of its own and no comment.
 */
export type Publish = 'here' | 'merge-later';

/** A step that runs the test command and measures it. */
export interface MeasureActionSettings extends MeasureSettings, PublishSettings {
  readonly mode: 'measure';
  readonly publish: Publish;
  /** With `merge-later`: which shard this job is. */
  readonly shard: ShardPlace;
}

/** What the job knows of its place in a matrix, for a shard's label and for the merge to count the shards. */
export interface ShardPlace {
  /** The label: the `shard` input, else the matrix values, else the job's id (src/shards.ts). */
  readonly label: string;
  readonly matrix: Record<string, unknown> | null;
  readonly jobIndex: number | null;
  readonly jobTotal: number | null;
}

/** A step that merges the shards' reports of a run (`merge: true`) and publishes them once. */
export interface MergeActionSettings extends PublishSettings {
  readonly mode: 'merge';
  /** The run whose shards are merged; undefined: this run, or under `workflow_run` the run that triggered it. */
  readonly runId: number | undefined;
  /** The shards expected, from the input `shards`; undefined: from the shards' reports and the run's jobs. */
  readonly shards: ExpectedShards | undefined;
  /** Inputs given that a merge does not use, each in words for people. */
  readonly unused: readonly string[];
}

export type ActionSettings = MeasureActionSettings | MergeActionSettings;

export interface CliSettings extends MeasureSettings, ReportSettings {
  readonly jsonPath: string | undefined;
  readonly summaryPath: string | undefined;
}

/** `leakwatch merge`: shards' report files merged into one. */
export interface MergeCliSettings extends ReportSettings {
  /** Absolute, in the order given. */
  readonly files: readonly string[];
  readonly shards: ExpectedShards | undefined;
  readonly jsonPath: string | undefined;
  readonly summaryPath: string | undefined;
}

export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Reads the action's inputs. `readInput` gives an input's value ('' when unset); `isDirectory` checks the working
 * directory, resolved against `baseDirectory` (the workspace); `job` is the job's id (GITHUB_JOB), a shard's label
 * when nothing else names it.
 */
export function readActionSettings(
  readInput: (name: string) => string,
  isDirectory: (directory: string) => boolean,
  baseDirectory: string,
  job = '',
): ActionSettings {
  const input = (name: string, fallback = ''): string => readInput(name).trim() || fallback;
  const publishing: PublishSettings = {
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
  const command = readInput(INPUTS.command).trim();
  const publish = parsePublish(input(INPUTS.publish, DEFAULTS.publish), name(INPUTS.publish));
  if (parseBoolean(input(INPUTS.merge, DEFAULTS.merge), name(INPUTS.merge))) {
    if (command !== '') {
      throw new InputError(
        `${name(INPUTS.command)} is given with 'merge: true'. A merge step runs no command: it merges the reports ` +
          "that the shards' steps (with 'publish: merge-later') saved. Give the command to those steps, or drop 'merge'.",
      );
    }
    if (publish !== 'here') {
      throw new InputError(
        `${name(INPUTS.publish)} is '${publish}' with 'merge: true'. A merge step publishes what it merged: ` +
          "leave 'publish' out of it, and give 'publish: merge-later' to the shards' steps.",
      );
    }
    return {
      mode: 'merge',
      ...publishing,
      runId: parseRunId(input(INPUTS.runId), name(INPUTS.runId)),
      shards: parseShards(input(INPUTS.shards), name(INPUTS.shards)),
      unused: unusedByMerge(input),
    };
  }
  if (!command) {
    throw new InputError(
      `${name(INPUTS.command)} is empty. Give the command that runs your tests, e.g. 'pytest tests/', ` +
        "or 'merge: true' to merge the reports of a matrix's shards.",
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
    mode: 'measure',
    ...publishing,
    command,
    workingDirectory,
    runner: parseRunner(input(INPUTS.runner, DEFAULTS.runner), name(INPUTS.runner)),
    limit: parseLimit(input(INPUTS.limit, DEFAULTS.limit), name(INPUTS.limit)),
    confirmRuns: parseConfirm(input(INPUTS.confirm, DEFAULTS.confirm), name(INPUTS.confirm)),
    trace: parseTrace(input(INPUTS.trace, DEFAULTS.trace), name(INPUTS.trace)),
    ignore: parseIgnore(readInput(INPUTS.ignore)),
    publish,
    shard: parseShardPlace(input, publish, job),
  };
}

function name(input: string): string {
  return `Input '${input}'`;
}

function parsePublish(value: string, name: string): Publish {
  if (/^here$/i.test(value)) return 'here';
  if (/^merge-later$/i.test(value)) return 'merge-later';
  throw new InputError(
    `${name} is '${value}'. Use 'here' (this job comments, summarizes and fails on leaks, the default) or ` +
      "'merge-later' (a shard of a matrix: its report is saved for a step with 'merge: true' to publish once).",
  );
}

/** The shard's label and matrix place; a label given must be one an artifact's name can hold. */
function parseShardPlace(
  input: (name: string, fallback?: string) => string,
  publish: Publish,
  job: string,
): ShardPlace {
  const given = input(INPUTS.shard);
  if (given !== '' && publish !== 'merge-later') {
    throw new InputError(
      `${name(INPUTS.shard)} is given without 'publish: merge-later'. A shard's label names the report it saves ` +
        "for a merge step: add 'publish: merge-later', or drop 'shard'.",
    );
  }
  if (given !== '' && (!SHARD_LABEL.test(given) || given === 'report')) {
    throw new InputError(
      `${name(INPUTS.shard)} is '${given.length > 120 ? `${given.slice(0, 117)}...` : given}'. Use up to 100 letters, digits, '.', '_' and '-', ` +
        "starting with a letter or digit, and not 'report': it names the shard's artifact, `<report-name>-<shard>`.",
    );
  }
  const matrix = parseContext(input(INPUTS.matrix));
  const strategy = parseContext(input(INPUTS.strategy));
  const count = (value: unknown): number | null => (Number.isSafeInteger(value) ? (value as number) : null);
  return {
    label: shardLabel(given, matrix, job),
    matrix,
    jobIndex: count(strategy?.['job-index']),
    jobTotal: count(strategy?.['job-total']),
  };
}

function parseRunId(value: string, name: string): number | undefined {
  if (value === '') return undefined;
  const id = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InputError(
      `${name} is '${value}'. Use a workflow run's id (a number, such as \${{ github.event.workflow_run.id }}), ` +
        'or leave it out: this run, or under workflow_run the run that triggered it.',
    );
  }
  return id;
}

const MAX_SHARDS = 1000;

/** A number of shards, or their labels, one per line or separated by commas. */
function parseShards(value: string, name: string): ExpectedShards | undefined {
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count >= 1 && count <= MAX_SHARDS) return { count };
  } else {
    const labels = value
      .split(/[\n,]/)
      .map((label) => label.trim())
      .filter(Boolean);
    if (labels.every((label) => SHARD_LABEL.test(label)) && new Set(labels).size === labels.length) return { labels };
  }
  throw new InputError(
    `${name} is '${value.length > 120 ? `${value.slice(0, 117)}...` : value}'. Use the number of shards expected ` +
      `(1 to ${MAX_SHARDS}), or their labels, each once, one per line or separated by commas (such as '1, 2, 3' or ` +
      "'ubuntu-latest, windows-latest'), or leave it out to count them from the shards' matrix and the run's jobs.",
  );
}

/** Inputs of a measuring step given to a merge step, where they differ from their defaults: each ignored, with why. */
function unusedByMerge(input: (name: string, fallback?: string) => string): string[] {
  const measuring: [string, string][] = [
    [INPUTS.workingDirectory, DEFAULTS.workingDirectory],
    [INPUTS.runner, DEFAULTS.runner],
    [INPUTS.limit, DEFAULTS.limit],
    [INPUTS.confirm, DEFAULTS.confirm],
    [INPUTS.trace, DEFAULTS.trace],
    [INPUTS.ignore, ''],
    [INPUTS.shard, ''],
  ];
  return measuring
    .filter(([input_, fallback]) => input(input_, fallback) !== fallback)
    .map(
      ([input_]) =>
        `${name(input_)} has no effect with 'merge: true': each shard's report stands as its own step measured and ` +
        "judged it. Give it to the shards' steps.",
    );
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
  leakwatch --limit 50MB -- pytest -k "slow and db"

To merge the reports of a matrix's shards into one: leakwatch merge --help`;

export const MERGE_USAGE = `Usage: leakwatch merge [options] <report.json...>

Merges JSON reports of shards (jobs that each ran part of a suite, or the same
suite on another OS) into one report, and prints its findings. Each report is
a shard: the shard its report names (publish: merge-later), else its file's
name without .json. The same test run in two shards stays two tests.

Options:
  --baseline FILE   compare with an earlier (merged) report: new, fixed and
                    regressed tests
  --regression T    how much more a test may keep than in the baseline: a
                    percentage, a size, or both, e.g. '20% 2MB' (the
                    default), or 'off'
  --shards N|LIST   the shards expected: their number, or their labels
                    separated by commas; each one missing is named
  --json FILE       write the merged JSON report to FILE
  --summary FILE    write the Markdown summary to FILE
  --fail-on-leak W  exit 1 when tests leak: true, new (only leaks the
                    baseline did not have) or false (default true)
  --no-fail         the same as --fail-on-leak false
  --on-nothing-measured W
                    when no shard measured a test: fail (exit 1, the
                    default) or warn
  -h, --help        show this help

A shard that is missing or whose tests failed is named, and fails nothing:
the merge exits 1 on leaks (and when nothing was measured), 2 on a file that
is not a report.`;

/** Reads `leakwatch merge`'s arguments: options, then the report files. */
export function readMergeCliSettings(args: readonly string[], workingDirectory: string): MergeCliSettings | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        ...REPORT_OPTIONS,
        shards: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}\n\n${MERGE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length === 0) throw new InputError(`No report file given.\n\n${MERGE_USAGE}`);
  return {
    files: positionals.map((file) => path.resolve(workingDirectory, file)),
    shards: parseShards(values.shards ?? '', 'Option --shards'),
    ...cliReportSettings(values, workingDirectory),
  };
}

/** The options of reporting, which the CLI and `leakwatch merge` share. */
const REPORT_OPTIONS = {
  baseline: { type: 'string' },
  regression: { type: 'string' },
  json: { type: 'string' },
  summary: { type: 'string' },
  'fail-on-leak': { type: 'string' },
  'no-fail': { type: 'boolean' },
  'on-nothing-measured': { type: 'string' },
} as const;

function cliReportSettings(
  values: {
    baseline?: string | undefined;
    regression?: string | undefined;
    json?: string | undefined;
    summary?: string | undefined;
    'fail-on-leak'?: string | undefined;
    'no-fail'?: boolean | undefined;
    'on-nothing-measured'?: string | undefined;
  },
  workingDirectory: string,
): ReportSettings & Pick<CliSettings, 'jsonPath' | 'summaryPath'> {
  const resolve = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : path.resolve(workingDirectory, file);
  const baseline = resolve(values.baseline);
  return {
    failOnLeak: values['no-fail']
      ? 'never'
      : parseFailOnLeak(values['fail-on-leak'] ?? DEFAULTS.failOnLeak, 'Option --fail-on-leak'),
    baseline: baseline === undefined ? { kind: 'off' } : { kind: 'file', path: baseline },
    regression: parseRegression(values.regression ?? DEFAULTS.regression, 'Option --regression'),
    onNothingMeasured: parseOnNothingMeasured(
      values['on-nothing-measured'] ?? DEFAULTS.onNothingMeasured,
      'Option --on-nothing-measured',
    ),
    jsonPath: resolve(values.json),
    summaryPath: resolve(values.summary),
  };
}

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
        ...REPORT_OPTIONS,
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
    ...cliReportSettings(parsed, workingDirectory),
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
