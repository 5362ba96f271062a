// `npm run bench [-- --rounds N | --quick] [--only TEXT]`: what leakwatch costs a test run, in time and in memory,
// beside the cost goals of issue 12.
//
// Each suite under bench/ (see bench/suites.mjs: pytest, node:test, Jest, Vitest and Mocha ones) runs in up to four
// ways, side by side in one session:
//   bare     the runner alone;
//   hooks    node:test and Mocha: the runner with a no-op preload that registers the hooks leakwatch's does
//            (bench/hooks), the runner's own price for them;
//   plugin   the runner with leakwatch's pytest plugin or Node preload injected through the environment as leakwatch
//            does it, without the node wrapper: the plugin's own cost;
//   wrapped  `node dist/cli.js --no-fail -- <the bare command>`: what a user pays, plugin plus wrapper (its
//            process-tree sampling, reading the records, the report, confirming the suspects).
// `--only TEXT` runs only the suites whose name contains TEXT, or whose runner or goal is TEXT (pytest, node-test,
// jest, vitest, mocha; per-test, realistic, small-limit, confirmation); 'detection': only the detection table;
// 'merge': only `leakwatch merge` on 64 shards' reports of 100,000 tests each (scripts/bench-merge.mjs).
// Then leakwatch runs, as a user runs it, on the test fixtures' planted leaks and look-alikes (scripts/detection.mjs):
// leaks found, false alarms, warm-ups told, and what confirming the suspects cost.
// The machine is noisy, so the variants are interleaved (their order rotating each round, after one untimed warm-up
// round) and the tables quote medians. Every run is also checked: a run must measure every test, and find as leaks
// exactly the tests its suite keeps memory in (none, in most). A run that fails its checks is reported and left out
// of the medians.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SUITES } from '../bench/suites.mjs';
import { printMerge, runMergeBench } from './bench-merge.mjs';
import { printDetection, runDetection } from './detection.mjs';
import { pathWithPytest } from './python-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RESULTS_FILE = path.join(root, 'bench-results/latest.json');
const LIMIT = 10_000_000; // leakwatch's default limit, 10 MB
const SAMPLE_INTERVAL_MS = 20;
const HEADLINE_GOAL = 1.1; // the most wrapped may cost, as a multiple of bare, on each runner's headline suite
const GNU_TIME = '/usr/bin/time';
// The cost goals of issue 12.
const MARGINAL_GOAL_US = 40; // per test, beyond the runner's own hooks, on quick tests over a large heap
const REALISTIC_GOAL = 1.05; // wrapped, as a multiple of bare, on suites doing real work, confirming off
const WRAPPER_GOAL_S = 0.1; // the wrapper's fixed cost per run: wrapped − plugin
const COLLECTION_SHARE_GOAL = 0.05; // of each process's time, spent in leakwatch's own full collections
const SMALL_LIMIT_GOAL = 1.3; // wrapped, as a multiple of bare, when every test is over a 100 KB limit
const CONFIRM_START_FACTOR = 1.5; // confirming 20 suspects: at most this many bare starts, plus their own runs
const DEFAULT_CONFIRM_RUNS = 3; // leakwatch's default --confirm (src/settings.ts)
const MAX_CONFIRMED = 50; // the suspects leakwatch runs alone at most, largest first (src/confirm.ts)
// How the goal lines introduce each goal, and what its figures are.
const GOAL_TITLES = {
  1:
    `Per-test marginal cost on quick tests over a large heap: at most ${MARGINAL_GOAL_US} µs per test beyond the ` +
    "runner's own hooks\n   and leakwatch's full collections, which goal 3 bounds (plugin − hooks where there is a " +
    "hooks variant, else plugin − bare,\n   less the collections' share of the plugin's time; in wall time, so " +
    "shared by a runner's workers where it has several)",
  2:
    `Realistic suites, 1 to 10 ms of work per test, wrapped with --confirm 0: at most ${REALISTIC_GOAL.toFixed(2)}× ` +
    `bare,\n   and the wrapper's fixed cost (wrapped − plugin) under ${WRAPPER_GOAL_S * 1000} ms`,
  3:
    "Share of time in leakwatch's own full collections: at most " +
    `${COLLECTION_SHARE_GOAL * 100}%\n   (plugin runs: the sum of the processes' collectionSeconds over the sum of ` +
    'their elapsed, from the end records)',
  4:
    '2,000 pytest tests keeping 300 KB each at --limit 100KB: at most ' +
    `${SMALL_LIMIT_GOAL.toFixed(1)}× bare\n   (wrapped as a user runs it, with the default confirmation: 3 runs ` +
    'alone of the 20 largest suspects)',
  5:
    `Confirming 20 suspects: at most ${CONFIRM_START_FACTOR} × one bare start + the runs alone asked × the suspects' ` +
    "own time\n   (one bare start: the bare command's median wall time on the whole confirmation suite, its 1 s " +
    "fixed start\n   and its 50 quick tests; the suspects' own time: their durations in the suite run, from the " +
    'report)',
};
// The no-op preloads of the hooks variant, by runner.
const HOOKS = {
  'node-test': path.join(root, 'bench/hooks/node-test.cjs'),
  mocha: path.join(root, 'bench/hooks/mocha.cjs'),
};

/**
 * @typedef {import('../bench/suites.mjs').Suite} Suite
 * @typedef {import('../bench/suites.mjs').Variant} Variant
 * @typedef {{ seconds: number, treePeak: number | null, largestProcess: number | null,
 *   wrapperPeak: number | null, otherCpu: number | null, ok: boolean } & PluginFacts & WrapperFacts} Run
 * @typedef {{ collectionShare: number | null, collectionUntold: string | null }} PluginFacts
 *   collectionShare: of the plugin's processes' time, the part in its own full collections (plugin runs); null when
 *   not told, and collectionUntold then says why
 * @typedef {{ confirmSeconds: number | null, confirmStarts: number | null, suspectSeconds: number | null,
 *   confirmRuns: number | null, confirmed: number | null }} WrapperFacts
 *   what confirming took, and in how many starts of the command, as the wrapper logs it; the confirmed suspects' own
 *   time in the suite run, from the report; the runs alone asked per suspect; how many suspects were run alone
 *   (wrapped runs; null otherwise)
 * @typedef {{ suite: Suite, variant: Variant, runs: Run[] }} Series
 */

/** @type {Variant[]} */
const VARIANTS = ['bare', 'plugin', 'wrapped'];
/** @param {Suite} suite @returns {readonly Variant[]} */
const variantsOf = (suite) => suite.variants ?? VARIANTS;
/** @param {Suite} suite */
const limitOf = (suite) => suite.limit ?? LIMIT;

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const rounds = options.quick ? 2 : Number(options.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive whole number.`);
const only = options.only;
const suites =
  only === undefined
    ? SUITES
    : SUITES.filter((suite) => suite.name.includes(only) || suite.goal === only || suite.runner === only);
const detecting = only === undefined || 'detection'.includes(only);
const merging = only === undefined || only === 'merge';
if (suites.length === 0 && !detecting && !merging) throw new Error(`No suite's name contains ${JSON.stringify(only)}.`);
if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first.');

// The build as it is now, copied: the whole session measures one build even if dist/ is rebuilt meanwhile. The CLI
// needs package.json beside dist/, for its module type and its version.
const snapshot = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-bench-build-'));
await cp(path.join(root, 'dist'), path.join(snapshot, 'dist'), {
  recursive: true,
  filter: (source) => !source.includes('__pycache__'),
});
await copyFile(path.join(root, 'package.json'), path.join(snapshot, 'package.json'));
const CLI = path.join(snapshot, 'dist/cli.js');
const PLUGIN_DIRECTORY = path.join(snapshot, 'dist/python');
const NODE_PRELOAD = path.join(snapshot, 'dist/preload/node.cjs');

// Same environment for every variant, free of any leakwatch, pytest or Node settings inherited from the caller.
/** @type {NodeJS.ProcessEnv} */
const baseEnv = { ...process.env, PATH: pathWithPytest() };
const INHERITED = ['PYTEST_PLUGINS', 'PYTEST_ADDOPTS', 'NODE_OPTIONS', 'MOCHA_OPTIONS'];
for (const name of Object.keys(baseEnv)) {
  if (name.startsWith('LEAKWATCH_') || INHERITED.includes(name)) delete baseEnv[name];
}
const onLinux = process.platform === 'linux';
const useGnuTime = onLinux && existsSync(GNU_TIME);
const pageSize = onLinux ? Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })) : 0;
const clockTicks = onLinux ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) : 0;

/** @type {string[]} */
const failures = [];
/** @type {Series[]} */
const series = suites.flatMap((suite) =>
  variantsOf(suite).map((variant) => ({ suite, variant, runs: /** @type {Run[]} */ ([]) })),
);

const started = Date.now();
/** @type {object[]} */
let detection = [];
/** @type {Awaited<ReturnType<typeof runMergeBench>> | null} */
let merge = null;
try {
  for (let round = 0; round <= rounds; round += 1) {
    const label = round === 0 ? 'warm-up' : `round ${round}/${rounds}`;
    for (const suite of suites) {
      if (round > (suite.maxRounds ?? rounds)) continue;
      // Rotating the order keeps any effect of going first or last (caches, CPU clock) from landing on one variant.
      const variants = variantsOf(suite);
      const order = variants.map((_, index) => variants[(index + round) % variants.length] ?? 'bare');
      for (const variant of order) {
        const run = await runOnce(suite, variant, label);
        console.error(
          `${label.padEnd(11)} ${suite.name.padEnd(20)} ${variant.padEnd(8)} ${run.seconds.toFixed(2)} s` +
            `  tree peak ${formatMB(run.treePeak)}  largest process ${formatMB(run.largestProcess)}` +
            (variant === 'wrapped' ? `  wrapper ${formatMB(run.wrapperPeak)}` : '') +
            (run.confirmSeconds === null ? '' : `  confirming ${run.confirmSeconds.toFixed(1)} s`) +
            `  other CPU ${formatSeconds(run.otherCpu)}${run.ok ? '' : '  (failed its checks)'}`,
        );
        // The warm-up round compiles bytecode and fills the file cache; it is checked but not counted.
        if (round > 0) series.find((entry) => entry.suite === suite && entry.variant === variant)?.runs.push(run);
      }
    }
  }
  if (detecting) detection = await runDetection({ root, cli: CLI, env: baseEnv });
  if (merging) merge = await runMergeBench({ cli: CLI, rounds: Math.min(rounds, 3), env: baseEnv });
} finally {
  await rm(snapshot, { recursive: true, force: true });
}

const results = series.map(summarize);
const goals = evaluateGoals(results);
if (results.length > 0) printTable(results);
if (goals.length > 0) printGoals(goals);
if (detection.length > 0) printDetection(detection);
if (merge !== null) printMerge(merge);
await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
const facts = { ...environmentFacts(), rounds, only: only ?? null, seconds: (Date.now() - started) / 1000 };
await writeFile(RESULTS_FILE, `${JSON.stringify({ ...facts, goals, results, detection, merge, failures }, null, 2)}\n`);
console.log(`Took ${formatDuration((Date.now() - started) / 1000)} in all.`);
console.log(`\nWritten to ${path.relative(root, RESULTS_FILE)}.`);
if (failures.length > 0) {
  console.log(`\n!!! ${failures.length} CHECK(S) FAILED — those runs are left out of the medians above:`);
  for (const failure of failures) console.log(`!!! ${failure}`);
  process.exitCode = 1;
}

// --- Running ------------------------------------------------------------------------------------------------------

/**
 * How many tests the runner says passed, from its output (Vitest colours it even into a pipe).
 * @param {Suite['runner']} runner
 * @param {string} output
 * @returns {string | undefined}
 */
function passedTests(runner, output) {
  // eslint-disable-next-line no-control-regex -- ANSI colour sequences start with ESC
  const text = output.replace(/\u001b\[[\d;]*m/g, '');
  switch (runner) {
    case 'pytest':
      return /(\d+) passed/.exec(text)?.[1];
    case 'jest':
      return /^Tests:.*?(\d+) passed/m.exec(text)?.[1];
    case 'vitest':
      return /^\s*Tests\s+(?:.*\|\s*)?(\d+) passed/m.exec(text)?.[1];
    case 'mocha':
      return /^\s*(\d+) passing/m.exec(text)?.[1];
    case 'node-test':
      return /^# pass (\d+)$/m.exec(text)?.[1];
  }
}

/**
 * The environment leakwatch injects (src/inject.ts, injectionEnvironment), for the runner leakwatch detects.
 * @param {Suite['runner']} runner
 * @param {string} recordsDirectory
 * @param {number} limit
 * @param {number} confirmRuns
 * @returns {NodeJS.ProcessEnv}
 */
function pluginEnvironment(runner, recordsDirectory, limit, confirmRuns) {
  // How many runs alone will follow, as leakwatch tells the plugin: with none, the figures are the verdicts, and the
  // plugin settles each one that matters whatever it costs.
  const env = {
    ...baseEnv,
    LEAKWATCH_DIR: recordsDirectory,
    LEAKWATCH_LIMIT: String(limit),
    LEAKWATCH_CONFIRM_RUNS: String(confirmRuns),
  };
  if (runner === 'pytest') {
    // The plugin ignores LEAKWATCH_RUNNER; left out as the benchmark always has.
    return {
      ...env,
      PYTHONPATH: [PLUGIN_DIRECTORY, baseEnv.PYTHONPATH].filter(Boolean).join(path.delimiter),
      PYTEST_PLUGINS: 'leakwatch_pytest',
    };
  }
  const preload = requireOption(NODE_PRELOAD);
  // Mocha's root hooks come through MOCHA_OPTIONS; the preload is in NODE_OPTIONS for every runner.
  return {
    ...env,
    LEAKWATCH_RUNNER: runner,
    NODE_OPTIONS: preload,
    ...(runner === 'mocha' && { MOCHA_OPTIONS: preload }),
  };
}

/**
 * The hooks variant's environment: the runner's no-op preload, loaded as leakwatch loads its own.
 * @param {Suite['runner']} runner
 * @returns {NodeJS.ProcessEnv}
 */
function hooksEnvironment(runner) {
  if (runner === 'node-test') return { ...baseEnv, NODE_OPTIONS: requireOption(HOOKS['node-test']) };
  if (runner === 'mocha') return { ...baseEnv, MOCHA_OPTIONS: requireOption(HOOKS.mocha) };
  throw new Error(`No hooks variant for ${runner}.`);
}

/**
 * NODE_OPTIONS and MOCHA_OPTIONS split on spaces outside double quotes; forward slashes need no escaping.
 * @param {string} file
 */
function requireOption(file) {
  return `--require ${JSON.stringify(file.split(path.sep).join('/'))}`;
}

/**
 * Runs one variant of a suite once, timing it and sampling its memory, and checks what it reported.
 * @param {Suite} suite
 * @param {Variant} variant
 * @param {string} label
 * @returns {Promise<Run>}
 */
async function runOnce(suite, variant, label) {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-bench-'));
  try {
    const bare = suite.command(scratch);
    const reportFile = path.join(scratch, 'report.json');
    const recordsDirectory = path.join(scratch, 'records');
    /** @type {string[]} */
    let command = bare;
    let env = baseEnv;
    if (variant === 'wrapped') {
      const limit = suite.limit === undefined ? [] : ['--limit', String(suite.limit)];
      const confirm = suite.confirm === undefined ? [] : ['--confirm', String(suite.confirm)];
      command = [process.execPath, CLI, '--no-fail', '--json', reportFile, ...limit, ...confirm, '--', ...bare];
    } else if (variant === 'plugin') {
      // leakwatch makes the directory before it starts the command; the Node preload does not make it.
      await mkdir(recordsDirectory);
      env = pluginEnvironment(suite.runner, recordsDirectory, limitOf(suite), suite.confirm ?? DEFAULT_CONFIRM_RUNS);
    } else if (variant === 'hooks') {
      env = hooksEnvironment(suite.runner);
    }
    const timeFile = path.join(scratch, 'time.txt');
    if (useGnuTime) command = [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...command];

    const { seconds, treePeak, wrapperPeak, busyCpu, exitCode, output } = await timed(command, {
      cwd: suite.cwd,
      env,
      rootIsWrapper: useGnuTime,
      watchWrapper: variant === 'wrapped',
    });
    /** @type {number | null} */
    let largestProcess = null;
    /** @type {number | null} */
    let otherCpu = null;
    if (useGnuTime) {
      // %M is in KiB; %U and %S are the CPU seconds of the command and every descendant it waited for.
      const [maxRss = NaN, user = NaN, system = NaN] = lastLine(await readFile(timeFile, 'utf8'))
        .split(' ')
        .map(Number);
      largestProcess = maxRss * 1024;
      if (busyCpu !== null) otherCpu = Math.max(0, busyCpu - user - system);
    }

    const where = `${suite.name} ${variant} (${label})`;
    /** @type {string[]} */
    const problems = [];
    if (exitCode !== 0) problems.push(`exited with ${exitCode}`);
    const passed = passedTests(suite.runner, output);
    if (Number(passed) !== suite.tests) {
      problems.push(`${suite.runner} says ${passed ?? 'no'} tests passed, not ${suite.tests}`);
    }
    /** @type {PluginFacts} */
    let pluginFacts = { collectionShare: null, collectionUntold: null };
    /** @type {WrapperFacts} */
    let wrapperFacts = {
      confirmSeconds: null,
      confirmStarts: null,
      suspectSeconds: null,
      confirmRuns: null,
      confirmed: null,
    };
    if (variant === 'plugin') {
      const checked = await checkRecords(recordsDirectory, suite);
      problems.push(...checked.problems);
      pluginFacts = checked.facts;
    }
    if (variant === 'wrapped') {
      const checked = await checkReport(reportFile, suite);
      problems.push(...checked.problems);
      // The line measure.ts logs after confirming, absent when no suspect was run again; older builds leave out the
      // starts.
      const [, took, starts] =
        /confirming took ([\d.]+) s, the suite [\d.]+ s(?: \((\d+) starts?\))?/.exec(output) ?? [];
      wrapperFacts = {
        ...checked.facts,
        confirmSeconds: took === undefined ? null : Number(took),
        confirmStarts: starts === undefined ? null : Number(starts),
      };
    }
    for (const problem of problems) {
      failures.push(`${where}: ${problem}`);
      console.error(`!!! CHECK FAILED: ${where}: ${problem}`);
    }
    if (exitCode !== 0) console.error(output.slice(-3000));
    return {
      seconds,
      treePeak,
      largestProcess,
      wrapperPeak,
      otherCpu,
      ...pluginFacts,
      ...wrapperFacts,
      ok: problems.length === 0,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs a command to its end, output captured, and samples the resident memory of its process tree meanwhile.
 * Also tells how much CPU time the whole machine spent meanwhile, less this benchmark's own: the command's, plus
 * whatever else competed with it.
 * @param {string[]} command
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, rootIsWrapper: boolean, watchWrapper: boolean }} how
 *   rootIsWrapper: whether the root process is GNU time, to be left out of the memory sum; watchWrapper: whether
 *   the command (under GNU time, if there) is leakwatch's wrapper, whose own peak RSS to follow
 * @returns {Promise<{ seconds: number, treePeak: number | null, wrapperPeak: number | null, busyCpu: number | null,
 *   exitCode: number, output: string }>}
 */
async function timed(command, { cwd, env, rootIsWrapper, watchWrapper }) {
  const [file, ...args] = command;
  if (file === undefined) throw new Error('empty command');
  const machineBefore = machineCpuSeconds();
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  /** @type {number | null} */
  let treePeak = null;
  /** @type {number | null} */
  let wrapperPeak = null;
  /** @type {number | undefined} */
  let wrapperPid;
  const sample = () => {
    if (!onLinux || child.pid === undefined) return;
    const rss = treeRss(child.pid, !rootIsWrapper);
    if (rss > 0) treePeak = Math.max(treePeak ?? 0, rss);
    if (watchWrapper) {
      wrapperPid ??= rootIsWrapper ? childrenOf(child.pid)[0] : child.pid;
      const highWater = wrapperPid === undefined ? null : highWaterMark(wrapperPid);
      if (highWater !== null) wrapperPeak = Math.max(wrapperPeak ?? 0, highWater);
    }
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  try {
    const exitCode = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code ?? -1));
    });
    const seconds = (performance.now() - start) / 1000;
    const own = process.cpuUsage(ownBefore);
    const machine = machineCpuSeconds();
    const busyCpu =
      machine === null || machineBefore === null ? null : machine - machineBefore - (own.user + own.system) / 1e6;
    return { seconds, treePeak, wrapperPeak, busyCpu, exitCode: Number(exitCode), output };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The summed RSS of a process and all its descendants, read from /proc (synchronously: a few small reads, and the
 * benchmark has nothing else to do meanwhile). Processes that end while being read count as 0.
 * @param {number} rootPid
 * @param {boolean} includeRoot
 * @returns {number} bytes
 */
function treeRss(rootPid, includeRoot) {
  let total = 0;
  const pids = [rootPid];
  for (let index = 0; index < pids.length; index += 1) {
    const pid = pids[index];
    try {
      // Each thread lists the children it started; node and execnet may start them from any thread.
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
        pids.push(...children.split(' ').filter(Boolean).map(Number));
      }
      if (pid !== rootPid || includeRoot) {
        total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * pageSize;
      }
    } catch {
      // ended since it was listed
    }
  }
  return total;
}

/**
 * @param {number} pid
 * @returns {number[]} the processes it started that still run, [] if it ended
 */
function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * A process's own peak RSS so far (VmHWM), exact rather than sampled; read while it runs, it misses only what the
 * process grows after the last read before it ends.
 * @param {number} pid
 * @returns {number | null} bytes, or null if it ended
 */
function highWaterMark(pid) {
  try {
    const kiB = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kiB === undefined ? null : Number(kiB) * 1024;
  } catch {
    return null;
  }
}

/**
 * CPU seconds all processors spent on anything but idling since boot, from /proc/stat; steal (time the hypervisor
 * gave to other machines) counts too, as it is time this run could not have.
 * @returns {number | null}
 */
function machineCpuSeconds() {
  if (!onLinux) return null;
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / clockTicks;
}

// --- Checking -----------------------------------------------------------------------------------------------------

/**
 * The plugin alone writes records and judges nothing: check that it recorded every test, without errors, and that
 * the tests over the limit are as many as the suite keeps memory in. Tells too what share of its processes' time went
 * to its own full collections, from their end records (`collectionSeconds`, `elapsed`), where they say.
 * @param {string} directory
 * @param {Suite} suite
 * @returns {Promise<{ problems: string[], facts: PluginFacts }>}
 */
async function checkRecords(directory, suite) {
  // As leakwatch reads them (src/records.ts): the .jsonl files, not the reserve files kept beside them.
  const files = existsSync(directory) ? (await readdir(directory)).filter((name) => name.endsWith('.jsonl')) : [];
  /** @type {{ type: string, delta?: number, error?: string, collectionSeconds?: unknown, elapsed?: unknown }[]} */
  const records = [];
  for (const file of files) {
    const text = await readFile(path.join(directory, file), 'utf8');
    records.push(
      ...text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
  }
  const tests = records.filter((record) => record.type === 'test');
  const problems = [];
  if (tests.length !== suite.tests) problems.push(`the plugin recorded ${tests.length} tests, not ${suite.tests}`);
  for (const record of records) if (record.type === 'error') problems.push(`the plugin failed: ${record.error}`);
  const over = tests.filter((record) => (record.delta ?? 0) > limitOf(suite)).length;
  const keeps = suite.keeps ?? 0;
  if (over !== keeps) {
    problems.push(`${over} tests kept more than the limit, not the ${keeps} of the suite that keep memory`);
  }
  // Every process must have told, or the share would leave some out: a process killed by its runner writes no end.
  const processes = records.filter((record) => record.type === 'process').length;
  const ends = records.filter((record) => record.type === 'end');
  const telling = ends.filter((end) => typeof end.collectionSeconds === 'number' && typeof end.elapsed === 'number');
  const sum = (/** @type {'collectionSeconds' | 'elapsed'} */ field) =>
    telling.reduce((total, end) => total + Number(end[field]), 0);
  const share = sum('elapsed') > 0 ? sum('collectionSeconds') / sum('elapsed') : null;
  const partly = share === null ? '' : ` (${(share * 100).toFixed(1)}% in those)`;
  const collectionUntold =
    telling.length === 0
      ? ends.length === 0
        ? 'its processes wrote no end record'
        : "the end records don't carry collectionSeconds and elapsed"
      : telling.length < Math.max(processes, ends.length)
        ? `${telling.length} of its ${Math.max(processes, ends.length)} processes told it in an end record${partly}`
        : null;
  const collectionShare = collectionUntold === null ? share : null;
  return { problems, facts: { collectionShare, collectionUntold } };
}

/**
 * Checks leakwatch's report: every test measured, and as leaks exactly the tests the suite keeps memory in. Tells
 * too how many suspects were run alone, how many times each, and their own time in the suite run.
 * @param {string} file leakwatch's JSON report
 * @param {Suite} suite
 * @returns {Promise<{ problems: string[], facts: Omit<WrapperFacts, 'confirmSeconds' | 'confirmStarts'> }>}
 */
async function checkReport(file, suite) {
  if (!existsSync(file)) {
    return {
      problems: ['leakwatch wrote no JSON report'],
      facts: { suspectSeconds: null, confirmRuns: null, confirmed: null },
    };
  }
  /** @type {import('../src/report.js').Report} */
  const report = JSON.parse(await readFile(file, 'utf8'));
  const problems = [];
  if (report.tests.length !== suite.tests)
    problems.push(`leakwatch measured ${report.tests.length} tests, not ${suite.tests}`);
  const leaked = report.tests.filter((test) => test.leaked).length;
  const keeps = suite.keeps ?? 0;
  if (leaked !== keeps) {
    problems.push(
      keeps === 0
        ? `leakwatch found ${leaked} leaks in a suite that keeps nothing`
        : `leakwatch found ${leaked} leaks, not the ${keeps} tests that keep memory`,
    );
  }
  // Confirming on: the suite's keepers (the largest of them, up to the 50 leakwatch confirms) must each have been
  // run alone and found to keep memory again; an unconfirmed test counts as a leak too, so the count above can't tell.
  const confirmed = report.tests.filter(
    (test) => test.verdict === 'leak' && (test.confirmation?.runs.length ?? 0) >= 2,
  );
  const toConfirm = report.confirmRuns === 0 ? 0 : Math.min(keeps, MAX_CONFIRMED);
  if (confirmed.length !== toConfirm) {
    problems.push(`leakwatch confirmed ${confirmed.length} leaks by runs alone, not ${toConfirm}`);
  }
  if (report.incomplete.length > 0) problems.push(`${report.incomplete.length} tests never finished`);
  // Tracing where leaks were allocated may stop, and say so: that changes no figure.
  for (const warning of report.warnings.filter((text) => !/^tracing /.test(text))) {
    problems.push(`leakwatch warned: ${warning}`);
  }
  const alone = report.tests.filter((test) => (test.confirmation?.runs.length ?? 0) > 0);
  return {
    problems,
    facts: {
      suspectSeconds: alone.reduce((total, test) => total + test.duration, 0),
      confirmRuns: report.confirmRuns,
      confirmed: alone.length,
    },
  };
}

// --- Reporting ----------------------------------------------------------------------------------------------------

/**
 * @param {Series} entry
 */
function summarize({ suite, variant, runs: allRuns }) {
  const runs = allRuns.filter((run) => run.ok);
  const bare = (series.find((other) => other.suite === suite && other.variant === 'bare')?.runs ?? []).filter(
    (run) => run.ok,
  );
  const seconds = median(runs.map((run) => run.seconds));
  const bareSeconds = median(bare.map((run) => run.seconds));
  const treePeak = medianOrNull(runs.map((run) => run.treePeak));
  const bareTreePeak = medianOrNull(bare.map((run) => run.treePeak));
  const largestProcess = medianOrNull(runs.map((run) => run.largestProcess));
  const bareLargestProcess = medianOrNull(bare.map((run) => run.largestProcess));
  return {
    suite: suite.name,
    runner: suite.runner,
    command: suite.command('<fresh temporary directory>').join(' '),
    cwd: path.relative(root, suite.cwd) || '.',
    variant,
    tests: suite.tests,
    seconds: {
      median: seconds,
      min: Math.min(...runs.map((run) => run.seconds)),
      max: Math.max(...runs.map((run) => run.seconds)),
      ratio: seconds / bareSeconds,
    },
    overheadMsPerTest: ((seconds - bareSeconds) / suite.tests) * 1000,
    treePeak: { median: treePeak, ratio: ratio(treePeak, bareTreePeak) },
    largestProcess: { median: largestProcess, ratio: ratio(largestProcess, bareLargestProcess) },
    wrapperPeak: medianOrNull(runs.map((run) => run.wrapperPeak)),
    otherCpu: medianOrNull(runs.map((run) => run.otherCpu)),
    collectionShare: medianOrNull(runs.map((run) => run.collectionShare)),
    collectionUntold: runs.find((run) => run.collectionUntold !== null)?.collectionUntold ?? null,
    confirmSeconds: medianOrNull(runs.map((run) => run.confirmSeconds)),
    confirmStarts: medianOrNull(runs.map((run) => run.confirmStarts)),
    suspectSeconds: medianOrNull(runs.map((run) => run.suspectSeconds)),
    confirmRuns: medianOrNull(runs.map((run) => run.confirmRuns)),
    confirmed: medianOrNull(runs.map((run) => run.confirmed)),
    failedRuns: allRuns.length - runs.length,
    runs: allRuns,
  };
}

/**
 * @param {ReturnType<typeof summarize>[]} results
 */
function printTable(results) {
  const header = ['suite', 'variant', 'median s', 'min–max s', '× bare', 'ms/test', 'tree peak', '× bare'];
  if (useGnuTime) header.push('largest proc', '× bare', 'other CPU');
  const rows = results.map((result) => {
    const bare = result.variant === 'bare';
    const row = [
      result.suite,
      result.variant,
      result.seconds.median.toFixed(2),
      `${result.seconds.min.toFixed(2)}–${result.seconds.max.toFixed(2)}`,
      bare ? '' : `${result.seconds.ratio.toFixed(2)}×`,
      bare ? '' : `${result.overheadMsPerTest >= 0 ? '+' : ''}${result.overheadMsPerTest.toFixed(2)}`,
      formatMB(result.treePeak.median),
      bare || result.treePeak.ratio === null ? '' : `${result.treePeak.ratio.toFixed(2)}×`,
    ];
    if (useGnuTime) {
      row.push(
        formatMB(result.largestProcess.median),
        bare || result.largestProcess.ratio === null ? '' : `${result.largestProcess.ratio.toFixed(2)}×`,
        formatSeconds(result.otherCpu),
      );
    }
    return row;
  });
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (/** @type {string[]} */ row) =>
    row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)));
  console.log(`\nleakwatch benchmark: medians of ${rounds} interleaved rounds\n`);
  console.log(format(header).join('  '));
  for (const row of rows) console.log(format(row).join('  '));
  console.log(
    [
      '',
      "bare          the suite's runner command alone (pytest, node --test, Jest, Vitest or Mocha)",
      'hooks         node:test and Mocha: the same with a no-op preload registering the hooks leakwatch registers',
      '              (bench/hooks), loaded as leakwatch loads its own: what the runner charges for the hooks',
      "plugin        the same with leakwatch's plugin injected by environment as leakwatch does it, no wrapper:",
      '              PYTHONPATH and PYTEST_PLUGINS for pytest, NODE_OPTIONS=--require <preload> for Node runners',
      '              (and MOCHA_OPTIONS for Mocha)',
      "wrapped       node dist/cli.js --no-fail -- <the same>: the plugin, plus the wrapper's sampling and report,",
      '              and confirming the suspects where a suite has any (--limit and --confirm as bench/suites.mjs says)',
      'ms/test       (median − median bare) / tests, in wall time (under -n 2 two workers share it)',
      "tree peak     the highest sum of RSS over the command's whole process tree at once, node wrapper included;",
      `              sampled every ${SAMPLE_INTERVAL_MS} ms from /proc, so it can miss briefer spikes, and pages shared`,
      '              between processes count in each',
      ...(useGnuTime
        ? [
            "largest proc  GNU time's %M: the exact peak RSS of the single largest process, not a sum",
            'other CPU     CPU time this machine spent on other processes during a run (and steal, where the',
            "              hypervisor reports it): noise it can see; a busy host's noise it cannot",
          ]
        : []),
      '',
    ].join('\n'),
  );
  // The wrapper's own cost does not grow with the tests: quote it per run, apart from the plugin's per-test cost.
  for (const suite of suites) {
    const of = (/** @type {Variant} */ variant) =>
      results.find((result) => result.suite === suite.name && result.variant === variant);
    const plugin = of('plugin');
    const wrapped = of('wrapped');
    if (plugin === undefined || wrapped === undefined) continue;
    const memory =
      wrapped.treePeak.median === null || plugin.treePeak.median === null
        ? ''
        : `, ${formatMB(wrapped.treePeak.median - plugin.treePeak.median)} of tree peak`;
    const own = wrapped.wrapperPeak === null ? '' : `; its own peak RSS is ${formatMB(wrapped.wrapperPeak)}`;
    console.log(
      `${suite.name}: the plugin costs ${plugin.overheadMsPerTest.toFixed(2)} ms per test; the wrapper adds ` +
        `${(wrapped.seconds.median - plugin.seconds.median).toFixed(2)} s per run${memory}${own}.`,
    );
  }
  printGoal(results);
  // Other work on the machine slows whichever runs it overlaps: say where it was enough to sway the comparison.
  const busy = results.filter((result) => (result.otherCpu ?? 0) > 0.1 * result.seconds.median);
  if (busy.length > 0) {
    const names = [...new Set(busy.map((result) => result.suite))].join(', ');
    console.log(`\nNote: other work took over 10% of a core during typical runs of ${names}; rerun for firmer ratios.`);
  }
}

/**
 * One line per runner, on the suite the goal names for it: the main run under leakwatch takes at most GOAL times the
 * bare run, in medians of the interleaved rounds.
 * @param {ReturnType<typeof summarize>[]} results
 */
function printGoal(results) {
  const lines = [];
  for (const suite of suites.filter((candidate) => candidate.headline)) {
    const of = (/** @type {Variant} */ variant) =>
      results.find((result) => result.suite === suite.name && result.variant === variant);
    const plugin = of('plugin');
    const wrapped = of('wrapped');
    if (plugin === undefined || wrapped === undefined) continue;
    const wrappedRatio = wrapped.seconds.ratio;
    const verdict = Number.isFinite(wrappedRatio)
      ? wrappedRatio <= HEADLINE_GOAL
        ? `within the ${HEADLINE_GOAL.toFixed(2)}x goal`
        : `OVER the ${HEADLINE_GOAL.toFixed(2)}x goal`
      : 'no valid runs to compare';
    const own = wrapped.wrapperPeak === null ? '' : `; wrapper's own peak RSS ${formatMB(wrapped.wrapperPeak)}`;
    lines.push(
      `${suite.runner}: wrapped/bare ${wrappedRatio.toFixed(2)}x (plugin/bare ${plugin.seconds.ratio.toFixed(2)}x) ` +
        `on ${suite.name}, ${verdict}${own}`,
    );
  }
  if (lines.length === 0) return;
  console.log(`
Goal: wrapped at most ${HEADLINE_GOAL.toFixed(2)}x bare, medians of ${rounds} interleaved rounds per runner.`);
  for (const line of lines) console.log(line);
  if (onLinux) {
    console.log(
      "(wrapper's own peak RSS: the VmHWM of the `node dist/cli.js` process alone, the median over wrapped runs; read" +
        ` every ${SAMPLE_INTERVAL_MS} ms, it misses only growth in the wrapper's last moments)`,
    );
  }
}

// --- The goals of issue 12 ----------------------------------------------------------------------------------------

/**
 * @typedef {{ goal: 1 | 2 | 3 | 4 | 5, suite: string, runner: string, figure: number | null, text: string,
 *   target: string, met: boolean | null }} GoalLine
 *   one figure beside its goal; `met` is null when there is nothing to judge (no valid runs, a figure not told)
 */

/**
 * Each goal of issue 12 on the suites that measure it, from the medians.
 * @param {ReturnType<typeof summarize>[]} results
 * @returns {GoalLine[]}
 */
function evaluateGoals(results) {
  /** @type {GoalLine[]} */
  const lines = [];
  for (const suite of suites) {
    const of = (/** @type {Variant} */ variant) =>
      results.find((result) => result.suite === suite.name && result.variant === variant);
    const [bare, hooks, plugin, wrapped] = /** @type {const} */ (['bare', 'hooks', 'plugin', 'wrapped']).map(of);
    /**
     * A goal line, or an n/a line when a variant it needs has no run that passed its checks.
     * @param {GoalLine['goal']} goal @param {string} target @param {(figure: number) => boolean} within
     * @param {(ReturnType<typeof summarize> | undefined)[]} needed
     * @param {() => { figure: number | null, text: string }} measure
     */
    const line = (goal, target, within, needed, measure) => {
      const failed = needed.find((result) => result !== undefined && result.runs.length === result.failedRuns);
      const { figure, text } =
        failed === undefined ? measure() : { figure: null, text: `n/a: no ${failed.variant} run passed its checks` };
      const met = figure === null || !Number.isFinite(figure) ? null : within(figure);
      lines.push({ goal, suite: suite.name, runner: suite.runner, figure, text, target, met });
    };
    if (suite.goal === 'per-test' && bare !== undefined && plugin !== undefined) {
      const perTest = (/** @type {{ seconds: { median: number } }} */ base) =>
        ((plugin.seconds.median - base.seconds.median) / suite.tests) * 1e6;
      // Full collections are not a per-test cost: goal 3 keeps them to a share of the time, whatever the tests. Their
      // part of the plugin's wall time is taken as their share of its processes' time.
      const share = plugin.collectionShare;
      const collections = share === null ? null : ((share * plugin.seconds.median) / suite.tests) * 1e6;
      line(
        1,
        `≤ ${MARGINAL_GOAL_US} µs`,
        (figure) => figure <= MARGINAL_GOAL_US,
        [bare, hooks, plugin],
        () => {
          const total = perTest(hooks ?? bare);
          const over = hooks === undefined ? 'plugin − bare' : 'plugin − hooks';
          const bareToo = hooks === undefined ? '' : `; plugin − bare ${signed(perTest(bare), 0)}`;
          if (collections === null) {
            return {
              figure: null,
              text: `${over} ${signed(total, 0)} µs/test${bareToo}; n/a: ${plugin.collectionUntold}`,
            };
          }
          const rest = total - collections;
          return {
            figure: rest,
            text:
              `${signed(rest, 0)} µs/test beyond full collections (${over} ${signed(total, 0)}, of which ` +
              `collections ${signed(collections, 0)}${bareToo})`,
          };
        },
      );
    }
    if (suite.goal === 'realistic' && bare !== undefined && plugin !== undefined && wrapped !== undefined) {
      line(
        2,
        `≤ ${REALISTIC_GOAL.toFixed(2)}×`,
        (ratio) => ratio <= REALISTIC_GOAL,
        [bare, wrapped],
        () => ({
          figure: wrapped.seconds.ratio,
          text:
            `wrapped ${times(wrapped.seconds.ratio)} bare (plugin ${times(plugin.seconds.ratio)}; bare ` +
            `${bare.seconds.median.toFixed(1)} s)`,
        }),
      );
      const fixed = wrapped.seconds.median - plugin.seconds.median;
      line(
        2,
        `< ${WRAPPER_GOAL_S * 1000} ms`,
        (seconds) => seconds < WRAPPER_GOAL_S,
        [plugin, wrapped],
        () => ({
          figure: fixed,
          text: `wrapper's fixed cost, wrapped − plugin: ${signed(fixed * 1000, 0)} ms`,
        }),
      );
    }
    if (plugin !== undefined) {
      const share = plugin.collectionShare;
      line(
        3,
        `≤ ${COLLECTION_SHARE_GOAL * 100}%`,
        (figure) => figure <= COLLECTION_SHARE_GOAL,
        [plugin],
        () => ({
          figure: share,
          text:
            share === null
              ? `n/a: ${plugin.collectionUntold ?? 'not told'}`
              : `${(share * 100).toFixed(1)}% of the time in full collections`,
        }),
      );
    }
    if (suite.goal === 'small-limit' && bare !== undefined && wrapped !== undefined) {
      const confirming =
        wrapped.confirmSeconds === null ? '' : `; confirming ${wrapped.confirmSeconds.toFixed(1)} s of it`;
      const alone = plugin === undefined ? '' : `plugin ${times(plugin.seconds.ratio)}; `;
      line(
        4,
        `≤ ${SMALL_LIMIT_GOAL.toFixed(1)}×`,
        (ratio) => ratio <= SMALL_LIMIT_GOAL,
        [bare, wrapped],
        () => ({
          figure: wrapped.seconds.ratio,
          text: `wrapped ${times(wrapped.seconds.ratio)} bare (${alone}bare ${bare.seconds.median.toFixed(1)} s${confirming})`,
        }),
      );
    }
    if (suite.goal === 'confirmation' && bare !== undefined && wrapped !== undefined) {
      const { confirmSeconds, confirmStarts, suspectSeconds, confirmRuns, confirmed } = wrapped;
      const start = bare.seconds.median;
      const allowance = CONFIRM_START_FACTOR * start + (confirmRuns ?? 0) * (suspectSeconds ?? 0);
      const starts = confirmStarts === null ? '' : ` in ${confirmStarts} start${confirmStarts === 1 ? '' : 's'}`;
      line(
        5,
        `≤ ${allowance.toFixed(1)} s`,
        (seconds) => seconds <= allowance,
        [bare, wrapped],
        () =>
          confirmSeconds === null
            ? { figure: null, text: "n/a: leakwatch logged no 'confirming took' line" }
            : {
                figure: confirmSeconds,
                text:
                  `confirming ${confirmed ?? '?'} suspects took ${confirmSeconds.toFixed(1)} s${starts}, ` +
                  `${times(confirmSeconds / allowance)} the allowance of ${CONFIRM_START_FACTOR} × ${start.toFixed(2)} s` +
                  ` + ${confirmRuns ?? '?'} × ${(suspectSeconds ?? 0).toFixed(2)} s`,
              },
      );
    }
  }
  return lines;
}

/**
 * The goal lines, by goal, each figure beside its goal and whether it is met.
 * @param {GoalLine[]} lines
 */
function printGoals(lines) {
  console.log(`\nThe cost goals of issue 12: medians of ${rounds} interleaved rounds (fewer where a suite caps them).`);
  const names = { pytest: 'pytest', 'node-test': 'node:test', jest: 'Jest', vitest: 'Vitest', mocha: 'Mocha' };
  const rows = lines.map((line) => [
    names[/** @type {keyof typeof names} */ (line.runner)] ?? line.runner,
    line.suite,
    line.text,
    `goal ${line.target}`,
    line.met === null ? 'n/a' : line.met ? 'MET' : 'OVER',
  ]);
  for (const goal of /** @type {const} */ ([1, 2, 3, 4, 5])) {
    const mine = rows.filter((_, index) => lines[index]?.goal === goal);
    if (mine.length === 0) continue;
    const widths = [0, 1, 2, 3].map((column) => Math.max(...mine.map((row) => (row[column] ?? '').length)));
    console.log(`\n${goal}. ${GOAL_TITLES[goal]}`);
    for (const row of mine) {
      console.log(
        `   ${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd()}`,
      );
    }
  }
  const over = lines.filter((line) => line.met === false).length;
  const unjudged = lines.filter((line) => line.met === null).length;
  console.log(`\n${lines.length - over - unjudged} of ${lines.length} goal lines MET, ${over} OVER, ${unjudged} n/a.`);
}

/**
 * @param {number} value
 * @param {number} digits
 */
function signed(value, digits) {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** @param {number} ratio */
function times(ratio) {
  return `${ratio.toFixed(2)}×`;
}

/**
 * @param {number[]} values
 * @returns {number}
 */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/**
 * @param {(number | null)[]} values
 * @returns {number | null}
 */
function medianOrNull(values) {
  const known = values.filter((value) => value !== null);
  return known.length === 0 ? null : median(known);
}

/**
 * @param {number | null} value
 * @param {number | null} base
 * @returns {number | null}
 */
function ratio(value, base) {
  return value === null || base === null || base === 0 ? null : value / base;
}

/**
 * @param {number | null} bytes
 * @returns {string}
 */
function formatMB(bytes) {
  return bytes === null ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * @param {number | null} seconds
 * @returns {string}
 */
function formatSeconds(seconds) {
  return seconds === null ? 'n/a' : `${seconds.toFixed(2)} s`;
}

/**
 * @param {number} seconds
 * @returns {string}
 */
function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

/**
 * @param {string} text
 * @returns {string}
 */
function lastLine(text) {
  return text.trim().split('\n').at(-1) ?? '';
}

/** @returns {string | null} */
function jestVersion() {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules/jest/package.json'), 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/** What the figures depend on, recorded beside them. */
function environmentFacts() {
  const versions = 'import sys, pytest, xdist; print(sys.version.split()[0], pytest.__version__, xdist.__version__)';
  /** @param {string} file */
  const ask = (file) => {
    try {
      return execFileSync(file, ['-c', versions], {
        env: baseEnv,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return undefined;
    }
  };
  const python = (ask('python3') ?? ask('python') ?? '').split(/\s+/).filter(Boolean);
  /** @param {string[]} args */
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', 'HEAD'),
    dirty: (git('status', '--porcelain') ?? '') !== '',
    platform: `${process.platform} ${os.release()}`,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? null,
    node: process.version,
    python: python[0] ?? null,
    pytest: python[1] ?? null,
    xdist: python[2] ?? null,
    jest: jestVersion(),
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    limit: LIMIT,
  };
}
