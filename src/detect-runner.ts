/** Tells which test runner a shell test command runs, following package.json scripts, without running anything. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';

export type DetectedRunner = 'pytest' | 'jest' | 'vitest' | 'mocha' | 'node-test';
/** Reads the `scripts` of package.json in `directory` (absolute); undefined when there is none or it is unreadable. */
export type ReadScripts = (directory: string) => Record<string, string> | undefined;

/** Scripts calling scripts deeper than this are taken as a loop. */
const MAX_SCRIPT_DEPTH = 10;

const PYTHON_RUNNERS = new Set(['pytest', 'py.test']);
const PYTHON = /^(?:python(?:\d+(?:\.\d+)?)?|py)(?:\.exe)?$/;
const PYTHON_LAUNCHERS = new Set(['uv', 'poetry', 'pipenv', 'hatch', 'pdm']);
const ASSIGNMENT = /^[A-Za-z_]\w*=/;

/** Commands that run the rest of their words as a command, with those of their options that take a value. */
const WRAPPERS = new Map<string, ReadonlySet<string>>([
  ['env', new Set(['-u', '-C'])],
  ['cross-env', new Set()],
  ['dotenv', new Set(['-e', '-v'])],
  ['time', new Set(['-f', '-o'])],
  ['nice', new Set(['-n'])],
  ['xvfb-run', new Set(['-n', '-s', '-f', '-e'])],
  ['exec', new Set(['-a'])],
]);
const PYTHON_OPTIONS_WITH_VALUE = new Set(['-W', '-X']);
const PYTHON_LAUNCHER_OPTIONS_WITH_VALUE = new Set(['--with', '--python', '-p', '--group', '--extra', '--directory']);
const NODE_OPTIONS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C']);

const DIRECTORY_OPTIONS = new Set(['--prefix', '-C', '--dir', '--cwd']);
/** Options that pick other packages of a workspace, whose scripts cannot be told from here. */
const WORKSPACE_OPTIONS = new Set(['-w', '--workspace', '--workspaces', '-ws', '--filter', '-F', '-r', '--recursive']);
const MANAGER_OPTIONS_WITH_VALUE = new Set([
  ...DIRECTORY_OPTIONS,
  ...['-w', '--workspace', '--filter', '-F', '-p', '--package', '-c', '--call'],
]);
const TEST_ALIASES = new Set(['test', 't', 'tst']);
const RUN_ALIASES = new Set(['run', 'run-script', 'rum', 'urn']);
const EXEC_ALIASES = new Set(['exec', 'x', 'dlx']);

interface Context {
  readScripts: ReadScripts;
  /** The scripts being followed, as `directory\0name`: one met again is a loop. */
  following: ReadonlySet<string>;
}

/** Where a package manager was told to work, and whether in other packages of the workspace. */
interface Invocation {
  directory: string;
  acrossWorkspaces: boolean;
}

export function detectRunner(command: string, directory: string, readScripts: ReadScripts): DetectedRunner | null {
  return detectInText(command, directory, { readScripts, following: new Set() });
}

/** The real reader, for callers: the string scripts of <directory>/package.json, or undefined when it is unreadable. */
export function readPackageScripts(directory: string): Record<string, string> | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(manifest) || !isObject(manifest.scripts)) return undefined;
  const isString = (entry: [string, unknown]): entry is [string, string] => typeof entry[1] === 'string';
  return Object.fromEntries(Object.entries(manifest.scripts).filter(isString));
}

function detectInText(text: string, directory: string, context: Context): DetectedRunner | null {
  let current = directory;
  for (const words of splitCommands(text)) {
    if (words[0] === 'cd') {
      if (words[1] !== undefined) current = path.resolve(current, words[1]);
      continue;
    }
    const runner = detectInWords(words, current, context);
    if (runner !== null) return runner;
  }
  return null;
}

function detectInWords(words: readonly string[], directory: string, context: Context): DetectedRunner | null {
  const [name, ...args] = skipWrappers(words);
  if (name === undefined) return null;
  const command = baseName(name);
  if (PYTHON.test(command)) return runsPytestModule(args) ? 'pytest' : null;
  if (PYTHON_LAUNCHERS.has(command) && args[0] === 'run') {
    return detectInWords(skipOptions(args.slice(1), PYTHON_LAUNCHER_OPTIONS_WITH_VALUE), directory, context);
  }
  if (command === 'node') {
    if (args.includes('--test')) return 'node-test';
    const [script] = skipOptions(args, NODE_OPTIONS_WITH_VALUE);
    return script === undefined ? null : jsRunner(script);
  }
  if (command === 'npx' || command === 'bunx') return launch(args, { directory, acrossWorkspaces: false }, context);
  if (command === 'npm' || command === 'yarn' || command === 'pnpm') {
    return detectWithPackageManager(command, args, directory, context);
  }
  return PYTHON_RUNNERS.has(command) ? 'pytest' : jsRunner(command);
}

/** A runner's bin, by its file name: `jest`, `node_modules/.bin/vitest`, `node_modules/mocha/bin/_mocha`... */
function jsRunner(file: string): DetectedRunner | null {
  const name = baseName(file)
    .replace(/\.m?js$/, '')
    .replace(/^_mocha$/, 'mocha');
  return name === 'jest' || name === 'vitest' || name === 'mocha' ? name : null;
}

function skipWrappers(words: readonly string[]): readonly string[] {
  const [first, ...rest] = words;
  if (first === undefined) return words;
  if (ASSIGNMENT.test(first)) return skipWrappers(rest);
  const optionsWithValue = WRAPPERS.get(baseName(first));
  return optionsWithValue ? skipWrappers(skipOptions(rest, optionsWithValue)) : words;
}

/** `python -m pytest`, after the interpreter's own options; anything else (a script, `-c`) is not pytest. */
function runsPytestModule(args: readonly string[]): boolean {
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === '-m') return args[index + 1] === 'pytest';
    if (!word?.startsWith('-') || word === '-c') return false;
    if (PYTHON_OPTIONS_WITH_VALUE.has(word)) index++;
  }
  return false;
}

/** `npx X`, `npm exec X`, `pnpm dlx X`...: X is run as a command, maybe named with a version (`jest@29`). */
function launch(args: readonly string[], invocation: Invocation, context: Context): DetectedRunner | null {
  const [target, ...rest] = skipOptions(args, MANAGER_OPTIONS_WITH_VALUE, invocation);
  if (target === undefined) return null;
  return detectInWords([target.replace(/(?<=.)@.*/, ''), ...rest], invocation.directory, context);
}

function detectWithPackageManager(
  manager: 'npm' | 'yarn' | 'pnpm',
  args: readonly string[],
  directory: string,
  context: Context,
): DetectedRunner | null {
  const invocation: Invocation = { directory, acrossWorkspaces: false };
  const [subcommand, ...rest] = skipOptions(args, MANAGER_OPTIONS_WITH_VALUE, invocation);
  if (subcommand === undefined) return null;
  if (EXEC_ALIASES.has(subcommand)) return launch(rest, invocation, context);
  const isRun = RUN_ALIASES.has(subcommand);
  const isTest = TEST_ALIASES.has(subcommand);
  // npm runs scripts only through these; yarn and pnpm also take a script's name as the subcommand.
  if (manager === 'npm' && !isRun && !isTest) return null;
  const [script, ...scriptArgs] = isRun
    ? skipOptions(rest, MANAGER_OPTIONS_WITH_VALUE, invocation)
    : [isTest ? 'test' : subcommand, ...rest];
  if (manager === 'npm') followTrailingOptions(scriptArgs, invocation);
  if (script === undefined || invocation.acrossWorkspaces) return null;
  const fromScript = followScript(script, invocation.directory, context);
  if (fromScript !== undefined) return fromScript;
  // Without such a script, yarn (even after `run`) and pnpm (without `run`) run the binary of that name.
  if (manager === 'npm' || (manager === 'pnpm' && isRun)) return null;
  return detectInWords([script, ...scriptArgs], invocation.directory, context);
}

/** npm also reads its options after the script's name (`npm run test --prefix web`), up to `--`. */
function followTrailingOptions(args: readonly string[], invocation: Invocation): void {
  const end = args.indexOf('--');
  let rest = end < 0 ? args : args.slice(0, end);
  while (rest.length > 0) rest = skipOptions(rest, MANAGER_OPTIONS_WITH_VALUE, invocation).slice(1);
}

/** What the script `name` of package.json in `directory` runs; undefined when there is no such script. */
function followScript(name: string, directory: string, context: Context): DetectedRunner | null | undefined {
  const scripts = context.readScripts(directory);
  // Own properties only: a script named `constructor` is no reason to look at Object's prototype.
  const text = scripts && Object.hasOwn(scripts, name) ? scripts[name] : undefined;
  if (text === undefined) return undefined;
  const key = `${directory}\0${name}`;
  if (context.following.has(key) || context.following.size >= MAX_SCRIPT_DEPTH) return null;
  const following = new Set([...context.following, key]);
  return detectInText(text, directory, { ...context, following });
}

/**
 * Skips leading options, `--` among them; `optionsWithValue` take the next word unless written `--name=value`.
 * With an invocation, follows the options that change the directory or pick workspaces.
 */
function skipOptions(
  args: readonly string[],
  optionsWithValue: ReadonlySet<string>,
  invocation?: Invocation,
): readonly string[] {
  let index = 0;
  for (let word = args[0]; word?.startsWith('-'); word = args[index]) {
    index++;
    const equals = word.indexOf('=');
    const name = equals < 0 ? word : word.slice(0, equals);
    let value = equals < 0 ? undefined : word.slice(equals + 1);
    if (value === undefined && optionsWithValue.has(name)) value = args[index++];
    if (invocation && value !== undefined && DIRECTORY_OPTIONS.has(name)) {
      invocation.directory = path.resolve(invocation.directory, value);
    }
    if (invocation && WORKSPACE_OPTIONS.has(name)) invocation.acrossWorkspaces = true;
  }
  return args.slice(index);
}

/**
 * Splits shell text into simple commands on `&&`, `||`, `;`, `|`, `&`, parentheses and new lines, each a list of words
 * with quotes removed. Variables stay as written; redirections and comments are dropped.
 */
function splitCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const line of text.replace(/\\\n/g, '').split('\n')) {
    let words: string[] = [];
    let redirected = false;
    for (const token of parse(line, (name) => `$${name}`)) {
      if (typeof token === 'string') {
        if (!redirected) words.push(token);
        redirected = false;
      } else if ('op' in token && REDIRECTIONS.has(token.op)) {
        redirected = true; // the next word is the redirection's file or descriptor
      } else if ('op' in token && token.op !== 'glob') {
        if (words.length > 0) commands.push(words);
        words = [];
      } else if ('pattern' in token) {
        words.push(token.pattern);
      }
    }
    if (words.length > 0) commands.push(words);
  }
  return commands;
}

const REDIRECTIONS = new Set(['>', '>>', '<', '>&', '<&', '>|']);

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
