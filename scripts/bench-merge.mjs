// The merge at scale, for `npm run bench` (`--only merge` runs it alone): `leakwatch merge` on 64 shards' reports of
// 100,000 tests each (6.4 million results), as a matrix of 64 jobs would leave them, timed and its memory read, beside
// the goals of issue 16: under 60 s and under 1 GB, the summary within GitHub's 1 MiB.
//
// The reports are made here, as the action writes a shard's (pretty-printed, with its shard's origin): each shard's
// tests are its own, mostly passing and keeping next to nothing, with a few confirmed leaks (their sites traced) and
// warm-ups, as real suites have.
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';
import { once } from 'node:events';

const SHARDS = 64;
const TESTS_PER_SHARD = 100_000;
const LEAKS_PER_SHARD = 20;
const WARM_UPS_PER_SHARD = 10;
const TIME_GOAL_S = 60;
const MEMORY_GOAL_BYTES = 1_000_000_000;
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
const MB = 1_000_000;
const GNU_TIME = '/usr/bin/time';

/**
 * Writes the 64 shards' reports into `directory`, each as the action writes one: JSON.stringify(report, null, 2).
 * @param {string} directory
 * @returns {Promise<string[]>} their files, in label order
 */
export async function writeShardReports(directory) {
  const files = [];
  for (let shard = 1; shard <= SHARDS; shard += 1) {
    const file = path.join(directory, `shard-${shard}.json`);
    await writeShardReport(file, shard);
    files.push(file);
  }
  return files;
}

/**
 * One shard's report, written a test at a time: the whole would be a string of 90 MB.
 * @param {string} file
 * @param {number} shard
 */
async function writeShardReport(file, shard) {
  const out = createWriteStream(file);
  const write = async (/** @type {string} */ text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const head = JSON.stringify({ version: 2, tool: { name: 'leakwatch', version: '1.1.0' } }, null, 2).slice(0, -2);
  await write(`${head},\n  "command": "pytest --splits ${SHARDS} --group ${shard}",\n  "runner": "pytest",\n`);
  await write('  "limit": 10000000,\n  "confirmRuns": 3,\n  "exitCode": 0,\n  "peak": 812000000,\n  "tests": [\n');
  for (let index = 0; index < TESTS_PER_SHARD; index += 1) {
    const text = JSON.stringify(syntheticTest(shard, index), null, 2).replace(/^/gm, '    ');
    await write(index === TESTS_PER_SHARD - 1 ? `${text}\n` : `${text},\n`);
  }
  const rest = {
    incomplete: [],
    unmeasured: [],
    warnings: [],
    coverage: { collected: TESTS_PER_SHARD, measured: TESTS_PER_SHARD, unmeasured: 0, reasons: [], unsupported: [] },
    cancelled: false,
    comparison: null,
    baselineProblem: null,
    shard: {
      label: String(shard),
      reportName: 'leakwatch',
      commit: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      runId: 1658821493,
      job: 'test',
      matrix: { group: shard },
      jobIndex: shard - 1,
      jobTotal: SHARDS,
    },
  };
  await write(`  ],\n${JSON.stringify(rest, null, 2).slice(2)}\n`);
  out.end();
  await once(out, 'finish');
}

/**
 * A shard's test: its own file among 100 of the shard's, passing, keeping a few KB; every 5,000th a leak of 20 to 40
 * MB confirmed by 3 runs alone with its site traced, every 10,000th a warm-up.
 * @param {number} shard
 * @param {number} index
 */
function syntheticTest(shard, index) {
  const file = `tests/group_${shard}/test_module_${index % 100}.py`;
  const leaks = index % (TESTS_PER_SHARD / LEAKS_PER_SHARD) === 7;
  const warmsUp = !leaks && index % (TESTS_PER_SHARD / WARM_UPS_PER_SHARD) === 11;
  const kept = leaks ? (20 + (index % 21)) * MB : warmsUp ? 15 * MB : 4096 * (index % 5);
  const before = 60 * MB + index * 10;
  const runs = (/** @type {number[]} */ deltas) =>
    deltas.map((delta) => ({ delta, outcome: 'passed', allocatedBlocks: leaks ? 3 : 1 }));
  const site = {
    file: `src/service_${shard}.py`,
    line: 10 + (index % 40),
    function: 'Service.connect',
    size: kept,
    count: 2,
    stack: [{ file: `src/service_${shard}.py`, line: 10 + (index % 40), function: 'Service.connect' }],
  };
  return {
    id: `${file}::TestCase${index % 7}::test_case_${index}[param-${index % 3}]`,
    titles: null,
    file,
    line: 10 + (index % 400),
    worker: `gw${index % 2}`,
    order: Math.floor(index / 2),
    measures: 'rss',
    before,
    after: before + kept,
    delta: kept,
    heapDelta: null,
    externalDelta: null,
    rssDelta: kept,
    peak: before + kept + 4096,
    allocatedBlocks: null,
    duration: 0.004 + (index % 13) / 1000,
    outcome: 'passed',
    verdict: leaks ? 'leak' : warmsUp ? 'warm-up' : 'ok',
    leaked: leaks,
    ignored: false,
    disturbed: false,
    unsettled: false,
    confirmation: leaks
      ? { runs: runs([kept, kept, kept]), perRun: kept, problem: null }
      : warmsUp
        ? { runs: runs([kept, 0, 0]), perRun: 0, problem: null }
        : null,
    sites: leaks ? [site] : [],
    unattributed: leaks ? { bytes: 0, kind: 'native' } : null,
  };
}

/**
 * Merges the shards `rounds` times with the CLI at `cli`, each run timed and its peak memory read (GNU time's maximum
 * resident set size), and checks what each wrote.
 * @param {{ cli: string, rounds: number, env: NodeJS.ProcessEnv }} options
 */
export async function runMergeBench({ cli, rounds, env }) {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-bench-merge-'));
  try {
    const madeAt = performance.now();
    const files = await writeShardReports(directory);
    const inputBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    console.error(
      `merge: wrote ${SHARDS} shard reports, ${(inputBytes / 1e9).toFixed(1)} GB, in ` +
        `${((performance.now() - madeAt) / 1000).toFixed(0)} s`,
    );
    const runs = [];
    for (let round = 1; round <= rounds; round += 1) {
      const json = path.join(directory, 'merged.json');
      const summary = path.join(directory, 'merged.md');
      const run = await timedMerge(cli, [...files, '--no-fail', '--json', json, '--summary', summary], env);
      const checks = checkMerge(run.output, json, summary);
      const { seconds, maxRss, exitCode } = run;
      runs.push({ seconds, maxRss, exitCode, ...checks, outputBytes: existsSync(json) ? statSync(json).size : 0 });
      console.error(
        `merge round ${round}/${rounds}: ${run.seconds.toFixed(1)} s, peak RSS ${(run.maxRss / MB).toFixed(0)} MB` +
          (checks.problems.length === 0 ? '' : `  (failed its checks: ${checks.problems.join('; ')})`),
      );
      await rm(json, { force: true });
    }
    return { shards: SHARDS, testsPerShard: TESTS_PER_SHARD, inputBytes, runs };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * @param {string} cli
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ seconds: number, maxRss: number, exitCode: number, output: string }>}
 */
async function timedMerge(cli, args, env) {
  const useTime = process.platform === 'linux' && existsSync(GNU_TIME);
  const command = useTime
    ? [GNU_TIME, '-f', 'maxrss-kb=%M', process.execPath, cli, 'merge', ...args]
    : [process.execPath, cli, 'merge', ...args];
  const start = performance.now();
  const child = spawn(command[0] ?? '', command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const [exitCode] = await once(child, 'close');
  const seconds = (performance.now() - start) / 1000;
  const maxRssKb = Number(/maxrss-kb=(\d+)/.exec(output)?.[1] ?? Number.NaN);
  return { seconds, maxRss: maxRssKb * 1024, exitCode: Number(exitCode), output };
}

/**
 * What the merge must have written: every test counted, every leak found, a merged file that ends as a report does,
 * and a summary within GitHub's limit.
 * @param {string} output
 * @param {string} json
 * @param {string} summary
 */
function checkMerge(output, json, summary) {
  const problems = [];
  const tests = SHARDS * TESTS_PER_SHARD;
  const leaks = SHARDS * LEAKS_PER_SHARD;
  const headline = `leakwatch: ${leaks} of ${tests} tests in ${SHARDS} shards leaked more than 10.0 MB`;
  if (!output.includes(headline)) problems.push(`no line '${headline}'`);
  const leakedLines = output.match(/^LEAKED /gm)?.length ?? 0;
  if (leakedLines !== leaks) problems.push(`${leakedLines} LEAKED lines, not ${leaks}`);
  if (!existsSync(json)) problems.push('no merged JSON file');
  else {
    const size = statSync(json).size;
    const tail = readTail(json, 4096);
    if (!/"missingShards": \[\]\n\}\n$/.test(tail)) problems.push('the merged JSON file does not end as a report does');
    if (size < tests * 300) problems.push(`the merged JSON file is ${size} bytes: too small to hold ${tests} tests`);
  }
  const summaryBytes = existsSync(summary) ? statSync(summary).size : 0;
  if (summaryBytes === 0 || summaryBytes > SUMMARY_LIMIT_BYTES) problems.push(`the summary is ${summaryBytes} bytes`);
  return { problems, summaryBytes };
}

/**
 * @param {string} file
 * @param {number} bytes
 */
function readTail(file, bytes) {
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.min(bytes, size));
  const handle = openSync(file, 'r');
  try {
    readSync(handle, buffer, 0, buffer.length, size - buffer.length);
  } finally {
    closeSync(handle);
  }
  return buffer.toString('utf8');
}

/**
 * The merge's figures beside its goals.
 * @param {{ shards: number, testsPerShard: number, inputBytes: number, runs: { seconds: number, maxRss: number, problems: string[], summaryBytes: number, outputBytes: number }[] }} result
 */
export function printMerge(result) {
  const good = result.runs.filter((run) => run.problems.length === 0);
  const median = (/** @type {number[]} */ values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  };
  const seconds = median(good.map((run) => run.seconds));
  const memory = median(good.map((run) => run.maxRss));
  const summary = Math.max(0, ...good.map((run) => run.summaryBytes));
  const verdict = (/** @type {boolean} */ met) => (met ? 'MET' : 'OVER');
  const total = (result.shards * result.testsPerShard).toLocaleString('en-US');
  console.log(
    `\nMerging ${result.shards} shards' reports of ${result.testsPerShard.toLocaleString('en-US')} tests each ` +
      `(${total} results, ${(result.inputBytes / 1e9).toFixed(1)} GB of JSON), \`leakwatch merge --json --summary\`, ` +
      `median of ${good.length} of ${result.runs.length} runs:`,
  );
  if (good.length === 0) {
    console.log('   every run failed its checks: no figure.');
    return;
  }
  const line = (
    /** @type {string} */ what,
    /** @type {string} */ figure,
    /** @type {string} */ goal,
    /** @type {boolean} */ met,
  ) => console.log(`   ${what.padEnd(8)} ${figure.padEnd(16)} ${goal.padEnd(18)} ${verdict(met)}`);
  line('time', `${seconds.toFixed(1)} s`, `goal < ${TIME_GOAL_S} s`, seconds < TIME_GOAL_S);
  line(
    'memory',
    `${(memory / MB).toFixed(0)} MB peak RSS`,
    `goal < ${MEMORY_GOAL_BYTES / MB} MB`,
    memory < MEMORY_GOAL_BYTES,
  );
  line('summary', `${(summary / 1024).toFixed(0)} KiB`, 'goal <= 1024 KiB', summary <= SUMMARY_LIMIT_BYTES);
  console.log(`   (the merged JSON report: ${(Math.max(...good.map((run) => run.outputBytes)) / 1e9).toFixed(1)} GB)`);
}
