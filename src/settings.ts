/**
 * Every input of the action and every option of the CLI, read and checked in one place before anything runs. A bad
 * value stops leakwatch with a message that names the input and shows what it accepts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SIZE_FORMS, parseSize } from './size.js';

export const RUNNERS = ['auto', 'pytest', 'jest', 'vitest', 'mocha', 'node-test'] as const;
export type Runner = (typeof RUNNERS)[number];

export const INPUTS = {
  command: 'command',
  workingDirectory: 'working-directory',
  runner: 'runner',
  limit: 'limit',
  confirm: 'confirm',
  failOnLeak: 'fail-on-leak',
  comment: 'comment',
  reportName: 'report-name',
  githubToken: 'github-token',
  ignore: 'ignore',
} as const;

/** The defaults; action.yml declares the same ones (a test holds them together). */
export const DEFAULTS = {
  workingDirectory: '.',
  runner: 'auto',
  limit: '10MB',
  confirm: '3',
  failOnLeak: 'true',
  comment: 'true',
  reportName: 'leakwatch',
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
  /** Runs alone, in a fresh process, that confirm each suspect; 0: a test over the limit is a leak at once. */
  readonly confirmRuns: number;
  /** Globs of test ids never reported as leaks. */
  readonly ignore: readonly string[];
}

export interface ActionSettings extends MeasureSettings {
  readonly failOnLeak: boolean;
  readonly comment: boolean;
  readonly reportName: string;
  readonly githubToken: string;
}

export interface CliSettings extends MeasureSettings {
  readonly failOnLeak: boolean;
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
  const workingDirectory = path.resolve(baseDirectory, directoryInput);
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
    ignore: parseIgnore(readInput(INPUTS.ignore)),
    failOnLeak: parseBoolean(input(INPUTS.failOnLeak, DEFAULTS.failOnLeak), name(INPUTS.failOnLeak)),
    comment: parseBoolean(input(INPUTS.comment, DEFAULTS.comment), name(INPUTS.comment)),
    reportName: parseReportName(input(INPUTS.reportName, DEFAULTS.reportName), name(INPUTS.reportName)),
    githubToken: readInput(INPUTS.githubToken).trim(),
  };
}

const MAX_CONFIRM_RUNS = 10;
const CONFIRM_FORMS = `0 (off) or 2 to ${MAX_CONFIRM_RUNS}`;

export const CLI_USAGE = `Usage: leakwatch [options] [--] <command...>

Runs your test command with leakwatch measuring how much memory each test keeps,
then lists the tests that keep more than the limit.

Options:
  --limit SIZE      memory a test may keep: ${SIZE_FORMS} (default ${DEFAULTS.limit})
  --runner NAME     ${RUNNERS.join(', ')} (default ${DEFAULTS.runner})
  --confirm N       run each test over the limit N times alone, in a fresh process, to tell
                    a leak from a warm-up: ${CONFIRM_FORMS} (default ${DEFAULTS.confirm})
  --ignore GLOB     test ids never reported as leaks; '*' matches anything (repeatable)
  --json FILE       write the JSON report to FILE
  --summary FILE    write the Markdown summary to FILE
  --no-fail         exit 0 when tests leak (the test command's failure still counts)
  -h, --help        show this help
  -v, --version     show leakwatch's version

A single argument is run as a shell command line: leakwatch -- 'pytest -n 2 | tee log'.
Several are quoted and run as they are:          leakwatch --limit 50MB -- pytest -k "slow and db"`;

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
        ignore: { type: 'string', multiple: true },
        json: { type: 'string' },
        summary: { type: 'string' },
        'no-fail': { type: 'boolean' },
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
    ignore: (parsed.ignore ?? []).flatMap(parseIgnore),
    failOnLeak: !parsed['no-fail'],
    jsonPath: parsed.json === undefined ? undefined : path.resolve(workingDirectory, parsed.json),
    summaryPath: parsed.summary === undefined ? undefined : path.resolve(workingDirectory, parsed.summary),
  };
}

function splitCommand(args: readonly string[]): { options: string[]; command: string[] } {
  const optionsWithValue = new Set(['--limit', '--runner', '--confirm', '--ignore', '--json', '--summary']);
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

function parseLimit(value: string, name: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined) throw new InputError(`${name} is '${value}', which is not a size. Use ${SIZE_FORMS}.`);
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

function parseBoolean(value: string, name: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`${name} is '${value}'. Use true or false.`);
}

function parseIgnore(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}

function parseReportName(value: string, name: string): string {
  if (!/^[\w.-]+$/.test(value)) {
    throw new InputError(
      `${name} is '${value}'. Use letters, digits, '.', '_' and '-' only: it names the report file and its comment.`,
    );
  }
  return value;
}
