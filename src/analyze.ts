/** Turns what the test processes recorded into the report: which tests leaked, which never finished, what went wrong. */
import path from 'node:path';
import { compileGlobs } from './glob.js';
import type { ProcessRun, TestRecord } from './records.js';
import { REPORT_VERSION, type IncompleteTest, type Repeat, type Report, type TestResult } from './report.js';

export interface AnalysisInput {
  runs: readonly ProcessRun[];
  command: string;
  /** The `runner` setting, reported when no runner reported tests. */
  runner: string;
  limit: number;
  ignore: readonly string[];
  exitCode: number;
  /** What sampling the command's process tree saw. */
  tree: TreeMemory;
  /** Test files are reported relative to this directory. */
  baseDirectory: string;
  toolVersion: string;
}

export interface TreeMemory {
  /** The highest total resident memory of the whole tree at once. */
  peak: number | null;
  /** The last resident memory seen of each process, by pid. */
  lastSeen: ReadonlyMap<number, number>;
}

export function analyze(input: AnalysisInput): Report {
  const isIgnored = compileGlobs(input.ignore);
  const tests: TestResult[] = [];
  const incomplete: IncompleteTest[] = [];
  for (const run of input.runs) {
    const worker = run.header.worker ?? 'main';
    const file = (runnerFile: string): string => relativeFile(input.baseDirectory, run.header.rootdir, runnerFile);
    for (const record of run.tests) {
      const repeat = judgeRepeat(record, run, input.limit);
      const ignored = isIgnored(record.id);
      tests.push({
        id: record.id,
        file: file(record.file),
        line: record.line,
        worker,
        before: record.before,
        after: record.after,
        delta: record.delta,
        peak: record.peak,
        allocatedBlocks: record.allocatedBlocks,
        duration: record.duration,
        outcome: record.outcome,
        leaked: record.delta > input.limit && !ignored && repeat?.status !== 'kept-once',
        ignored,
        repeat,
      });
    }
    const died = run.unfinished;
    if (died?.type === 'start') {
      const pid = run.header.pid;
      incomplete.push({
        id: died.id,
        file: file(died.file),
        line: died.line,
        worker,
        pid,
        before: died.before,
        lastSeen: Math.max(died.before, input.tree.lastSeen.get(pid) ?? 0),
      });
    }
  }
  tests.sort((a, b) => compareText(a.id, b.id));
  const testPeaks = tests.map((test) => test.peak ?? 0);
  const peak = Math.max(input.tree.peak ?? 0, ...testPeaks);
  return {
    version: REPORT_VERSION,
    tool: { name: 'leakwatch', version: input.toolVersion },
    command: input.command,
    runner: [...new Set(input.runs.map((run) => run.header.runner))].join(', ') || input.runner,
    limit: input.limit,
    exitCode: input.exitCode,
    peak: peak > 0 ? peak : null,
    tests,
    incomplete,
    warnings: warnings(input.runs, tests.length),
  };
}

/**
 * A test over the limit is run once more at the end of its process. A leak keeps memory again; a one-time cost (a
 * lazy import, a cache filled once) keeps next to nothing: at most half the limit counts as "kept once". When the
 * second run could not tell, the first run's figure stands.
 */
function judgeRepeat(first: TestRecord, run: ProcessRun, limit: number): Repeat | null {
  if (first.delta <= limit || first.outcome === 'skipped') return null;
  const second = run.repeats.get(first.id);
  if (second === undefined) {
    const skipped = run.repeatsSkipped.get(first.id);
    if (skipped !== undefined) return { status: 'inconclusive', reason: `not run again: ${skipped}` };
    if (run.unfinished?.type === 'repeat-start' && run.unfinished.id === first.id) {
      return { status: 'inconclusive', reason: 'its process died while running it again' };
    }
    return {
      status: 'inconclusive',
      reason: run.ended
        ? 'not run again: the run stopped early'
        : 'not run again: its process ended before leakwatch could',
    };
  }
  if (second.outcome !== first.outcome) {
    return { status: 'inconclusive', reason: `its second run ${second.outcome} where the first ${first.outcome}` };
  }
  const status = second.delta <= limit / 2 ? 'kept-once' : 'kept-again';
  return { status, delta: second.delta, outcome: second.outcome };
}

function relativeFile(baseDirectory: string, rootdir: string, runnerFile: string): string {
  const relative = path.relative(baseDirectory, path.resolve(rootdir, runnerFile));
  return relative.split(path.sep).join('/');
}

function warnings(runs: readonly ProcessRun[], testCount: number): string[] {
  const found: string[] = [];
  if (runs.length === 0) {
    found.push(
      'leakwatch measured no tests: no test process loaded its plugin. Check that the command runs pytest, and that ' +
        'whatever wraps pytest passes the environment on (tox: pass_env = PYTHONPATH, PYTEST_PLUGINS, LEAKWATCH_*). ' +
        "'-p no:leakwatch_pytest', and python's -I and -E flags, keep it out.",
    );
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
  if (testCount === 0 && found.length === 0) {
    found.push(
      `leakwatch measured no tests: ${runs[0]?.header.runner ?? 'the runner'} loaded its plugin but ran no test. ` +
        'Did the command collect any tests?',
    );
  }
  return found;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
