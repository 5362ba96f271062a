// `npm run bench [-- --rounds N | --quick] [--only TEXT]`: what leakwatch costs a test run, in time and in memory.
//
// Each suite under bench/ (pytest, node:test and Jest ones) runs three ways, side by side in one session:
//   bare     the runner alone;
//   plugin   the runner with leakwatch's pytest plugin or Node preload injected through the environment as leakwatch
//            does it, without the node wrapper: the plugin's own cost;
//   wrapped  `node dist/cli.js --no-fail -- <the bare command>`: what a user pays, plugin plus wrapper (its
//            process-tree sampling, reading the records, the report).
// `--only TEXT` runs only the suites whose name contains TEXT ('detection': only the detection table).
// Then leakwatch runs, as a user runs it, on the test fixtures' planted leaks and look-alikes (scripts/detection.mjs):
// leaks found, false alarms, warm-ups told, and what confirming the suspects cost.
// The machine is noisy, so the variants are interleaved (their order rotating each round, after one untimed warm-up
// round) and the table quotes medians. Every run is also checked: a wrapped run must measure every test and find no
// leak, since these suites keep nothing. A run that fails its checks is reported and left out of the medians.
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
import { printDetection, runDetection } from './detection.mjs';
import { pathWithPytest } from './python-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RESULTS_FILE = path.join(root, 'bench-results/latest.json');
const LIMIT = 10_000_000; // leakwatch's default limit, 10 MB
const SAMPLE_INTERVAL_MS = 20;
const GOAL = 1.1; // the most wrapped may cost, as a multiple of bare, on each runner's headline suite
const GNU_TIME = '/usr/bin/time';

/**
 * @typedef {import('../bench/suites.mjs').Suite} Suite
 * @typedef {'bare' | 'plugin' | 'wrapped'} Variant
 * @typedef {{ seconds: number, treePeak: number | null, largestProcess: number | null,
 *   wrapperPeak: number | null, otherCpu: number | null, ok: boolean }} Run
 * @typedef {{ suite: Suite, variant: Variant, runs: Run[] }} Series
 */

/** @type {Variant[]} */
const VARIANTS = ['bare', 'plugin', 'wrapped'];

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
const suites = only === undefined ? SUITES : SUITES.filter((suite) => suite.name.includes(only));
const detecting = only === undefined || 'detection'.includes(only);
if (suites.length === 0 && !detecting) throw new Error(`No suite's name contains ${JSON.stringify(only)}.`);
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
  VARIANTS.map((variant) => ({ suite, variant, runs: /** @type {Run[]} */ ([]) })),
);

const started = Date.now();
/** @type {object[]} */
let detection = [];
try {
  for (let round = 0; round <= rounds; round += 1) {
    const label = round === 0 ? 'warm-up' : `round ${round}/${rounds}`;
    for (const suite of suites) {
      // Rotating the order keeps any effect of going first or last (caches, CPU clock) from landing on one variant.
      const order = VARIANTS.map((_, index) => VARIANTS[(index + round) % VARIANTS.length] ?? 'bare');
      for (const variant of order) {
        const run = await runOnce(suite, variant, label);
        console.error(
          `${label.padEnd(11)} ${suite.name.padEnd(20)} ${variant.padEnd(8)} ${run.seconds.toFixed(2)} s` +
            `  tree peak ${formatMB(run.treePeak)}  largest process ${formatMB(run.largestProcess)}` +
            (variant === 'wrapped' ? `  wrapper ${formatMB(run.wrapperPeak)}` : '') +
            `  other CPU ${formatSeconds(run.otherCpu)}${run.ok ? '' : '  (failed its checks)'}`,
        );
        // The warm-up round compiles bytecode and fills the file cache; it is checked but not counted.
        if (round > 0) series.find((entry) => entry.suite === suite && entry.variant === variant)?.runs.push(run);
      }
    }
  }
  if (detecting) detection = await runDetection({ root, cli: CLI, env: baseEnv });
} finally {
  await rm(snapshot, { recursive: true, force: true });
}

const results = series.map(summarize);
if (results.length > 0) printTable(results);
if (detection.length > 0) printDetection(detection);
await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
await writeFile(
  RESULTS_FILE,
  `${JSON.stringify({ ...environmentFacts(), rounds, only: only ?? null, seconds: (Date.now() - started) / 1000, results, detection, failures }, null, 2)}\n`,
);
console.log(`Took ${formatDuration((Date.now() - started) / 1000)} in all.`);
console.log(`\nWritten to ${path.relative(root, RESULTS_FILE)}.`);
if (failures.length > 0) {
  console.log(`\n!!! ${failures.length} CHECK(S) FAILED — those runs are left out of the medians above:`);
  for (const failure of failures) console.log(`!!! ${failure}`);
  process.exitCode = 1;
}

// --- Running ------------------------------------------------------------------------------------------------------

/**
 * How many tests the runner says passed, from its output.
 * @param {Suite['runner']} runner
 * @param {string} output
 * @returns {string | undefined}
 */
function passedTests(runner, output) {
  switch (runner) {
    case 'pytest':
      return /(\d+) passed/.exec(output)?.[1];
    case 'jest':
      return /^Tests:.*?(\d+) passed/m.exec(output)?.[1];
    case 'node-test':
      return /^# pass (\d+)$/m.exec(output)?.[1];
  }
}

/**
 * The environment leakwatch injects (src/inject.ts, injectionEnvironment), for the runner leakwatch detects.
 * @param {Suite['runner']} runner
 * @param {string} recordsDirectory
 * @returns {NodeJS.ProcessEnv}
 */
function pluginEnvironment(runner, recordsDirectory) {
  const env = { ...baseEnv, LEAKWATCH_DIR: recordsDirectory, LEAKWATCH_LIMIT: String(LIMIT) };
  if (runner === 'pytest') {
    // The plugin ignores LEAKWATCH_RUNNER; left out as the benchmark always has.
    return {
      ...env,
      PYTHONPATH: [PLUGIN_DIRECTORY, baseEnv.PYTHONPATH].filter(Boolean).join(path.delimiter),
      PYTEST_PLUGINS: 'leakwatch_pytest',
    };
  }
  // NODE_OPTIONS splits on spaces outside double quotes; forward slashes need no escaping.
  const preload = `--require ${JSON.stringify(NODE_PRELOAD.split(path.sep).join('/'))}`;
  return { ...env, LEAKWATCH_RUNNER: runner, NODE_OPTIONS: preload };
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
      command = [process.execPath, CLI, '--no-fail', '--json', reportFile, '--', ...bare];
    } else if (variant === 'plugin') {
      // leakwatch makes the directory before it starts the command; the Node preload does not make it.
      await mkdir(recordsDirectory);
      env = pluginEnvironment(suite.runner, recordsDirectory);
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
    if (variant === 'plugin') problems.push(...(await checkRecords(recordsDirectory, suite.tests)));
    if (variant === 'wrapped') problems.push(...(await checkReport(reportFile, suite.tests)));
    for (const problem of problems) {
      failures.push(`${where}: ${problem}`);
      console.error(`!!! CHECK FAILED: ${where}: ${problem}`);
    }
    if (exitCode !== 0) console.error(output.slice(-3000));
    return { seconds, treePeak, largestProcess, wrapperPeak, otherCpu, ok: problems.length === 0 };
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
 * The plugin alone writes records and judges nothing: check that it recorded every test, without errors.
 * @param {string} directory
 * @param {number} expected
 * @returns {Promise<string[]>} problems
 */
async function checkRecords(directory, expected) {
  const files = existsSync(directory) ? await readdir(directory) : [];
  /** @type {{ type: string, delta?: number, error?: string }[]} */
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
  if (tests.length !== expected) problems.push(`the plugin recorded ${tests.length} tests, not ${expected}`);
  for (const record of records) if (record.type === 'error') problems.push(`the plugin failed: ${record.error}`);
  const over = tests.filter((record) => (record.delta ?? 0) > LIMIT).length;
  if (over > 0) problems.push(`${over} tests kept more than the limit in a suite that keeps nothing`);
  return problems;
}

/**
 * @param {string} file leakwatch's JSON report
 * @param {number} expected
 * @returns {Promise<string[]>} problems
 */
async function checkReport(file, expected) {
  if (!existsSync(file)) return ['leakwatch wrote no JSON report'];
  /** @type {import('../src/report.js').Report} */
  const report = JSON.parse(await readFile(file, 'utf8'));
  const problems = [];
  if (report.tests.length !== expected)
    problems.push(`leakwatch measured ${report.tests.length} tests, not ${expected}`);
  const leaked = report.tests.filter((test) => test.leaked).length;
  if (leaked > 0) problems.push(`leakwatch found ${leaked} leaks in a suite that keeps nothing`);
  if (report.incomplete.length > 0) problems.push(`${report.incomplete.length} tests never finished`);
  for (const warning of report.warnings) problems.push(`leakwatch warned: ${warning}`);
  return problems;
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
      "bare          the suite's runner command alone (pytest, node --test, or Jest)",
      "plugin        the same with leakwatch's plugin injected by environment as leakwatch does it, no wrapper:",
      '              PYTHONPATH and PYTEST_PLUGINS for pytest, NODE_OPTIONS=--require <preload> for Node runners',
      "wrapped       node dist/cli.js --no-fail -- <the same>: the plugin, plus the wrapper's sampling and report",
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
      ? wrappedRatio <= GOAL
        ? `within the ${GOAL.toFixed(2)}x goal`
        : `OVER the ${GOAL.toFixed(2)}x goal`
      : 'no valid runs to compare';
    const own = wrapped.wrapperPeak === null ? '' : `; wrapper's own peak RSS ${formatMB(wrapped.wrapperPeak)}`;
    lines.push(
      `${suite.runner}: wrapped/bare ${wrappedRatio.toFixed(2)}x (plugin/bare ${plugin.seconds.ratio.toFixed(2)}x) ` +
        `on ${suite.name}, ${verdict}${own}`,
    );
  }
  if (lines.length === 0) return;
  console.log(`
Goal: wrapped at most ${GOAL.toFixed(2)}x bare, medians of ${rounds} interleaved rounds per runner.`);
  for (const line of lines) console.log(line);
  if (onLinux) {
    console.log(
      "(wrapper's own peak RSS: the VmHWM of the `node dist/cli.js` process alone, the median over wrapped runs; read" +
        ` every ${SAMPLE_INTERVAL_MS} ms, it misses only growth in the wrapper's last moments)`,
    );
  }
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
