/** Turns what the test processes recorded into the report: which tests leaked, which never finished, what went wrong. */
import path from 'node:path';
import { compileGlobs } from './glob.js';
import type { ProcessRun, RecordFrame } from './records.js';
import type { Runner } from './settings.js';
import {
  REPORT_VERSION,
  type Coverage,
  type Frame,
  type IncompleteTest,
  type Report,
  type Site,
  type TestResult,
  type UnmeasuredTest,
} from './report.js';

export interface AnalysisInput {
  runs: readonly ProcessRun[];
  /** Record lines left out as not what the preloads write, each as "file: why". */
  rejectedRecords?: readonly string[];
  command: string;
  /** The runner leakwatch prepared for (`auto`: all of them), reported when no runner reported tests. */
  runner: Runner;
  limit: number;
  /** Runs alone that each suspect gets afterwards (see src/confirm.ts); 0: over the limit is a leak. */
  confirmRuns: number;
  ignore: readonly string[];
  exitCode: number;
  /** What sampling the command's process tree saw. */
  tree: TreeMemory;
  /** Test files are reported relative to this directory. */
  baseDirectory: string;
  /** Where the command ran: Node runners' test ids start with the file relative to it. */
  workingDirectory: string;
  toolVersion: string;
}

export interface TreeMemory {
  /** The highest total resident memory of the whole tree at once. */
  peak: number | null;
  /** The last resident memory seen of each process, by pid. */
  lastSeen: ReadonlyMap<number, number>;
  /** When each process was last sampled, in seconds since the command started. */
  lastSeenAt?: ReadonlyMap<number, number>;
}

export function analyze(input: AnalysisInput): Report {
  const isIgnored = compileGlobs(input.ignore);
  const tests: TestResult[] = [];
  const incomplete: IncompleteTest[] = [];
  const unmeasured: UnmeasuredTest[] = [];
  for (const run of input.runs) {
    const worker = run.header.worker ?? 'main';
    const measures = run.header.measures ?? 'rss';
    const file = (runnerFile: string): string => relativeFile(input.baseDirectory, run.header.rootdir, runnerFile);
    const idOf = (record: { id: string; titles?: string[]; file: string }): string =>
      testId(record, run, input.workingDirectory);
    for (const [order, record] of run.tests.entries()) {
      const id = idOf(record);
      if (record.overlapped === true) {
        unmeasured.push({ id, file: file(record.file), line: record.line, worker, outcome: record.outcome });
        continue;
      }
      const ignored = isIgnored(id);
      const overLimit = record.delta > input.limit;
      // Until a suspect is confirmed (src/confirm.ts), the figure of this run stands.
      const verdict = !overLimit ? 'ok' : ignored ? 'ignored' : 'leak';
      tests.push({
        id,
        titles: record.titles ?? null,
        file: file(record.file),
        line: record.line,
        worker,
        order,
        measures,
        before: record.before,
        after: record.after,
        delta: record.delta,
        heapDelta: record.heapDelta ?? null,
        externalDelta: record.externalDelta ?? null,
        rssDelta: measures === 'rss' ? record.delta : (record.rssDelta ?? null),
        peak: record.peak,
        allocatedBlocks: record.allocatedBlocks,
        duration: record.duration,
        outcome: record.outcome,
        verdict,
        leaked: verdict === 'leak',
        ignored,
        disturbed: record.disturbed === true,
        unsettled: record.unsettled === true,
        confirmation: null,
        sites: [],
        unattributed: null,
      });
    }
    const died = run.unfinished.at(-1);
    // A runner may run a dead worker's file again (Jest does): the test is listed once.
    if (died?.type === 'start' && !incomplete.some((test) => test.id === idOf(died))) {
      const pid = run.header.pid;
      incomplete.push({
        id: idOf(died),
        file: file(died.file),
        line: died.line,
        worker,
        pid,
        before: died.rss ?? died.before,
        lastSeen: Math.max(died.rss ?? died.before, input.tree.lastSeen.get(pid) ?? 0),
        lastSeenAt: input.tree.lastSeenAt?.get(pid) ?? null,
      });
    }
  }
  tests.sort((a, b) => compareText(a.id, b.id));
  const coverage = coverageOf(input.runs, tests.length, unmeasured.length, incomplete.length);
  if (input.runs.length === 0) coverage.reasons.push(NOT_LOADED[input.runner]);
  else if (tests.length === 0 && coverage.reasons.length === 0) {
    coverage.reasons.push(`${input.runs[0]?.header.runner ?? 'the runner'} loaded leakwatch but ran no test`);
  }
  const testPeaks = tests.map((test) => test.peak ?? 0);
  // Sampling every half second misses short runs: each process's own high-water mark is a floor for the peak.
  const highWaterMarks = input.runs.map((run) => run.maxRss ?? 0);
  const peak = Math.max(input.tree.peak ?? 0, ...testPeaks, ...highWaterMarks);
  return {
    version: REPORT_VERSION,
    tool: { name: 'leakwatch', version: input.toolVersion },
    command: input.command,
    runner: [...new Set(input.runs.map((run) => run.header.runner))].join(', ') || input.runner,
    limit: input.limit,
    confirmRuns: input.confirmRuns,
    exitCode: input.exitCode,
    peak: peak > 0 ? peak : null,
    tests,
    incomplete,
    unmeasured,
    warnings: warnings(input, tests.length, coverage),
    coverage,
    cancelled: false,
    comparison: null,
    baselineProblem: null,
  };
}

/** What the runners said they would run, against what has a figure; and why the rest has none. */
function coverageOf(runs: readonly ProcessRun[], measured: number, concurrent: number, died: number): Coverage {
  // Every xdist worker collects the whole session; what they began adds up, where each said at its end.
  const collecting = runs.filter((run) => run.collected !== null);
  const allSaidWhatRan = collecting.length > 0 && collecting.every((run) => run.ended && run.ran !== null);
  let session = allSaidWhatRan ? collecting.reduce((sum, run) => sum + (run.ran ?? 0), 0) : 0;
  const byFile = new Map<string, number>();
  for (const run of runs) {
    if (!allSaidWhatRan) session = Math.max(session, run.collected ?? 0);
    for (const [file, count] of run.collectedByFile) {
      const key = path.resolve(run.header.rootdir, file);
      byFile.set(key, Math.max(byFile.get(key) ?? 0, count));
    }
  }
  const told = runs.some((run) => run.collected !== null || run.collectedByFile.size > 0);
  const collected = told ? session + [...byFile.values()].reduce((sum, count) => sum + count, 0) : null;
  const reasons = new Set<string>();
  let counted = concurrent;
  const notRun = runs.reduce((sum, run) => sum + run.notRun, 0);
  if (concurrent > 0) reasons.add('they ran at the same time as other tests (concurrent tests)');
  if (died > 0) reasons.add('their process died while they ran');
  counted += died;
  for (const run of runs) {
    for (const { reason, count } of run.unmeasured) {
      counted += count;
      reasons.add(reason);
    }
    if (run.header.unsupported !== undefined) reasons.add(run.header.unsupported);
    else if (run.header.error !== undefined)
      reasons.add(`a ${run.header.runner} process could not measure: ${run.header.error}`);
    else if (run.error !== undefined) reasons.add(`measuring stopped in a ${run.header.runner} process: ${run.error}`);
  }
  // Tests the runner announced and nobody measured, nor counted: a process that stopped measuring, or died.
  const missing = collected === null ? 0 : Math.max(0, collected - notRun - measured - counted);
  if (missing > 0 && reasons.size === 0) {
    reasons.add(
      'no record of them reached leakwatch: their process stopped writing records (a full disk, a test that closed ' +
        "leakwatch's file, a process that died) or never ran them",
    );
  }
  const unmeasured = counted + missing;
  const unsupported = [...new Set(runs.flatMap((run) => run.header.unsupported ?? []))];
  return { collected, measured, unmeasured, reasons: [...reasons], unsupported };
}

/** pytest's node id; for Node runners, the file relative to where the command ran, then the titles. */
function testId(
  record: { id: string; titles?: string[]; file: string },
  run: ProcessRun,
  workingDirectory: string,
): string {
  return record.titles === undefined
    ? record.id
    : [relativeFile(workingDirectory, run.header.rootdir, record.file), ...record.titles].join(' > ');
}

/** What a suspect's traced run saw: its sites, with files as the report gives them, and all it kept that was traced. */
export interface TracedRun {
  sites: Site[];
  /** Null when tracing stopped before this run could tell. */
  traced: number | null;
  /** Node runners: of what it saw, the external memory it placed (Buffers); null for pytest. */
  external: number | null;
  /** Why tracing stopped, when it did at this run. */
  stopped: string | null;
}

/** The traced runs of runs alone, by test id. */
export function tracedRuns(
  runs: readonly ProcessRun[],
  baseDirectory: string,
  workingDirectory: string,
): Map<string, TracedRun> {
  const traced = new Map<string, TracedRun>();
  for (const run of runs) {
    // A frame outside the directory leakwatch ran in (the standard library, say) keeps its absolute path.
    const frame = ({ file, line, function: name }: RecordFrame): Frame => {
      const relative = relativeFile(baseDirectory, run.header.rootdir, file);
      return {
        file: relative.startsWith('../') ? path.resolve(run.header.rootdir, file) : relative,
        line,
        function: name,
      };
    };
    for (const record of run.traces) {
      traced.set(testId(record, run, workingDirectory), {
        sites: (record.sites ?? []).map((site) => ({
          ...frame(site),
          size: site.size,
          count: site.count,
          stack: site.stack.map(frame),
        })),
        traced: record.traced ?? null,
        external: record.external ?? null,
        stopped: record.stopped ?? null,
      });
    }
  }
  return traced;
}

function relativeFile(baseDirectory: string, rootdir: string, runnerFile: string): string {
  const relative = path.relative(baseDirectory, path.resolve(rootdir, runnerFile));
  return relative.split(path.sep).join('/');
}

function warnings(input: AnalysisInput, testCount: number, coverage: Coverage): string[] {
  const { runs } = input;
  const found: string[] = [];
  const rejected = input.rejectedRecords ?? [];
  if (rejected.length > 0) {
    found.push(
      `leakwatch left out ${rejected.length} record line${rejected.length === 1 ? '' : 's'} that its preloads do not ` +
        `write (a test may have written into its records directory): ${rejected[0] ?? ''}.`,
    );
  }
  for (const unsupported of coverage.unsupported) found.push(`leakwatch cannot measure this runner: ${unsupported}`);
  if (coverage.measured > 0 && coverage.unmeasured > 0) {
    const of = coverage.collected === null ? `${testCount + coverage.unmeasured}` : `${coverage.collected}`;
    found.push(
      `leakwatch measured ${testCount} of ${of} tests; ${coverage.unmeasured} ` +
        `${coverage.unmeasured === 1 ? 'has' : 'have'} no figure, so this is no clean pass: ${coverage.reasons.join('; ')}.`,
    );
  }
  if (runs.length === 0) {
    found.push(`leakwatch measured no tests: ${NOT_LOADED[input.runner]}`);
    return found;
  }
  for (const run of runs) {
    const where = `${run.header.runner} process ${run.header.pid}${run.header.worker ? ` (${run.header.worker})` : ''}`;
    if (run.header.error !== undefined) {
      found.push(`leakwatch could not measure memory in ${where}; its tests ran unmeasured. ${run.header.error}`);
    } else if (run.error !== undefined) {
      found.push(`leakwatch stopped measuring in ${where} after ${run.tests.length} tests: ${run.error}`);
    }
  }
  if (runs.some((run) => run.header.platform === 'linux' && run.header.trims === false)) {
    found.push(
      "This system's C library has no malloc_trim (it is not glibc), so figures include free memory the allocator keeps.",
    );
  }
  if (runs.some((run) => run.header.sharedProcess === true && run.tests.length > 0)) {
    found.push(
      'Tests ran in worker threads, which share one process: no test has a resident memory figure of its own. ' +
        "Each test's figure is its thread's JavaScript heap and external memory.",
    );
  }
  if (testCount === 0 && coverage.unmeasured === 0 && found.length === 0) {
    found.push(
      `leakwatch measured no tests: ${runs[0]?.header.runner ?? 'the runner'} loaded its plugin but ran no test. ` +
        'Did the command collect any tests?',
    );
  }
  return found;
}

const RUNNER_HINT = "Set the 'runner' input (CLI: --runner) to pytest, jest, vitest, mocha or node-test.";
const NODE_HINT =
  'that whatever starts it passes the environment on (NODE_OPTIONS, LEAKWATCH_*), and that it runs on Node.js 20 or later.';

/** Why no test process may have loaded leakwatch, by the runner it prepared for. */
const NOT_LOADED: Record<Runner, string> = {
  auto: `leakwatch could not tell which test runner the command runs, and no runner loaded leakwatch. ${RUNNER_HINT}`,
  pytest:
    'no test process loaded its plugin. Check that the command runs pytest, and that whatever wraps pytest passes ' +
    "the environment on (tox: pass_env = PYTHONPATH, PYTEST_PLUGINS, LEAKWATCH_*). '-p no:leakwatch_pytest', and " +
    "python's -I and -E flags, keep it out.",
  jest: `no Jest test file ran under leakwatch. Check that the command runs Jest with jest-circus (its default), ${NODE_HINT}`,
  vitest:
    'no Vitest worker loaded leakwatch. Projects defined in files of their own (a Vitest 3 workspace file, ' +
    `or projects: ['packages/*']) are not measured. Check that the command runs the vitest command-line tool, ${NODE_HINT}`,
  mocha:
    'no Mocha process loaded leakwatch. Check that the command runs Mocha 10.5 or later and that whatever starts ' +
    'it passes MOCHA_OPTIONS and LEAKWATCH_* on.',
  'node-test': `no node:test file ran under leakwatch. Check that the command runs node --test, ${NODE_HINT}`,
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
