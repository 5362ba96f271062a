/**
 * docs/report.schema.json, the published format of the JSON report, against the reports real runs write: the bundled
 * CLI and action on small fixtures, one run per kind of report. Every object of leakwatch's own forbids unknown
 * fields, so a field the code adds, drops or retypes without the schema fails here; and the schema's fields are
 * checked against src/report.ts's types, so a field the schema describes that the code lost fails too.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  BaseSource,
  Comparison,
  Confirmation,
  Frame,
  Coverage,
  IncompleteTest,
  MissingShard,
  Report,
  ShardOrigin,
  ShardSummary,
  Site,
  TestResult,
  Unattributed,
  UnmeasuredTest,
} from '../src/report.js';
import { FIXTURES, ROOT, RUNNER_CANCEL, runAction, runCli } from './helpers/run.js';

interface SchemaObject {
  $id?: string;
  $schema?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  $defs?: Record<string, SchemaObject>;
  enum?: string[];
}

const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, 'docs/report.schema.json'), 'utf8')) as SchemaObject;
const pytest = path.join(FIXTURES, 'pytest');
const node = path.join(FIXTURES, 'node');

/** The schema compiled as strictly as Ajv can: unknown keywords, types left out, ignored keywords all fail. */
function compileSchema(): ValidateFunction {
  // Union types (`["number", "null"]`) are standard JSON Schema; strict mode asks for them to be allowed by name.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(SCHEMA);
}

/** What is wrong with `report`, one line per error; empty when it is valid. */
function problems(validate: ValidateFunction, report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

function readReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}

/** The report of each kind, by a name that says what it holds. */
const reports = new Map<string, Report>();

/** Each kind's run: independent ones run at the same time, so the whole takes about as long as the longest. */
async function writeReports(): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-schema-'));
  const json = (name: string): string => path.join(out, `${name}.json`);
  const pytestRuns = async (): Promise<void> => {
    // Confirming off, with a limit low enough that the small leak leaks: the base of the next run.
    await runCli(
      [
        ...['--confirm', '0', '--limit', '500KB', '--no-fail', '--json', json('base')],
        ...['--', 'pytest -p no:cacheprovider -n 2 leaks -k "connection or small_leak or module_state"'],
      ],
      pytest,
    );
    reports.set('pytest-xdist, confirming off', readReport(json('base')));
    // Confirmed: leaks, warm-ups, an unstable test, one whose process dies alone, one ignored, skips, a failure.
    const selected = [
      'connection',
      'small_leak',
      'lazy_import',
      'cache',
      'native',
      'skipped',
      'expected_failure',
      'leak_then_fail',
      'keeps_and_frees',
      'dies_when',
    ].join(' or ');
    await runCli(
      [
        ...['--baseline', json('base'), '--ignore', '*native*', '--no-fail', '--json', json('compared'), '--'],
        `pytest -p no:cacheprovider leaks unstable dies-alone -k "${selected}"`,
      ],
      pytest,
    );
    reports.set('pytest, confirmed, compared with a baseline', readReport(json('compared')));
    // A shard's report, through the action; then merged with another report, and compared with the base.
    const shard = await runAction({
      inputs: {
        command: 'pytest -p no:cacheprovider leaks -k "connection or odd_ids"',
        publish: 'merge-later',
        matrix: '{"os":"ubuntu-latest","python":"3.13"}',
        strategy: '{"fail-fast":true,"job-index":0,"job-total":2,"max-parallel":2}',
        confirm: '0',
      },
      workspace: pytest,
      env: { GITHUB_JOB: 'test' },
    });
    if (shard.report === undefined) throw new Error(`the action wrote no report:\n${shard.stdout}\n${shard.stderr}`);
    reports.set("a shard's, through the action", shard.report);
    await runCli(
      ['merge', shard.outputs.report ?? '', json('base'), '--baseline', json('base'), '--json', json('merged')],
      pytest,
    );
    reports.set('merged, compared with a baseline', readReport(json('merged')));
  };
  const nodeTest = async (): Promise<void> => {
    // Through the action: files relative to the workspace, ids relative to the working directory.
    const run = await runAction({
      inputs: {
        command: 'node --test warmups.test.js esm/default-import.test.mjs esm/named-import.test.mjs',
        'working-directory': 'node-test',
        baseline: 'off',
        'fail-on-leak': 'false',
      },
      workspace: node,
    });
    if (run.report === undefined) throw new Error(`the action wrote no report:\n${run.stdout}\n${run.stderr}`);
    reports.set('node:test, confirmed, through the action', run.report);
  };
  const killed = async (): Promise<void> => {
    await runCli(
      ['--json', json('killed'), '--', 'node --test crash/crash.test.js concurrent.test.js'],
      path.join(node, 'node-test'),
      { LEAKWATCH_FIXTURE_CRASH: '1' },
    );
    reports.set('node:test, a process killed mid-test and concurrent tests', readReport(json('killed')));
  };
  const nothing = async (): Promise<void> => {
    await runCli(
      ['--baseline', path.join(out, 'no-such-base.json'), '--json', json('nothing'), '--', 'echo no tests; exit 3'],
      pytest,
    );
    reports.set('nothing measured, the command failing, no baseline found', readReport(json('nothing')));
  };
  const cancelled = async (): Promise<void> => {
    const started = path.join(out, 'slow-test-started');
    const run = await runAction({
      inputs: { command: 'pytest -p no:cacheprovider slow', baseline: 'off' },
      workspace: pytest,
      env: { SLOW_TEST_STARTED: started },
      cancelWhen: () => existsSync(started),
      cancelWith: RUNNER_CANCEL,
    });
    if (run.report === undefined) throw new Error(`the action wrote no report:\n${run.stdout}\n${run.stderr}`);
    reports.set('pytest, cancelled mid-test, through the action', run.report);
  };
  await Promise.all([pytestRuns(), nodeTest(), killed(), nothing(), cancelled()]);
}

describe('docs/report.schema.json', () => {
  it('is a draft 2020-12 schema that compiles in Ajv’s strict mode', () => {
    expect(SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(SCHEMA.$id).toBe('https://github.com/leakwatch/leakwatch/blob/v1/docs/report.schema.json');
    expect(() => compileSchema()).not.toThrow();
  });

  it('describes every field of src/report.ts’s types, required where the types require it', () => {
    const defs = SCHEMA.$defs ?? {};
    const comparison = defs.comparison?.properties ?? {};
    const objects: [string, SchemaObject | undefined, Record<string, Presence>][] = [
      ['report', SCHEMA, FIELDS.report],
      ['tool', SCHEMA.properties?.tool, FIELDS.tool],
      ['test', defs.test, FIELDS.test],
      ['confirmation', defs.confirmation, FIELDS.confirmation],
      ['site', defs.site, FIELDS.site],
      ['frame', defs.frame, FIELDS.frame],
      ['unattributed', defs.unattributed, FIELDS.unattributed],
      ['confirmation run', defs.confirmation?.properties?.runs?.items, FIELDS.confirmationRun],
      ['unmeasured test', defs.unmeasuredTest, FIELDS.unmeasuredTest],
      ['incomplete test', defs.incompleteTest, FIELDS.incompleteTest],
      ['coverage', defs.coverage, FIELDS.coverage],
      ['comparison', defs.comparison, FIELDS.comparison],
      ['comparison base', comparison.base, FIELDS.base],
      ['comparison peak', comparison.peak, FIELDS.peak],
      ['shard origin', defs.shardOrigin, FIELDS.shardOrigin],
      ['shard summary', defs.shardSummary, FIELDS.shardSummary],
      ['missing shard', defs.missingShard, FIELDS.missingShard],
    ];
    for (const [name, object, fields] of objects) {
      expect(Object.keys(object?.properties ?? {}).sort(), name).toEqual(Object.keys(fields).sort());
      const required = Object.entries(fields).filter(([, presence]) => presence === 'required');
      expect([...(object?.required ?? [])].sort(), name).toEqual(required.map(([field]) => field).sort());
    }
  });
});

describe('real reports', () => {
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = compileSchema();
    await writeReports();
  });

  it.each([
    'pytest-xdist, confirming off',
    'pytest, confirmed, compared with a baseline',
    'node:test, confirmed, through the action',
    'node:test, a process killed mid-test and concurrent tests',
    'nothing measured, the command failing, no baseline found',
    'pytest, cancelled mid-test, through the action',
    "a shard's, through the action",
    'merged, compared with a baseline',
  ])('are valid: %s', (kind) => {
    const report = reports.get(kind);
    expect(report, kind).toBeDefined();
    expect(problems(validate, report)).toEqual([]);
  });

  it('cover what a report can hold: every verdict, both measures, a comparison, deaths, concurrency, a cancel', () => {
    const all = [...reports.values()];
    const tests = all.flatMap((report) => report.tests);
    const verdicts = SCHEMA.$defs?.verdict?.enum ?? [];
    expect(verdicts).toHaveLength(7);
    expect(new Set(tests.map((test) => test.verdict))).toEqual(new Set(verdicts));
    expect(new Set(tests.map((test) => test.measures))).toEqual(new Set(['rss', 'heap']));
    expect(new Set(all.map((report) => report.runner))).toEqual(new Set(['pytest', 'node-test', 'auto']));
    const workers = new Set(tests.map((test) => test.worker));
    expect(workers).toContain('main');
    expect([...workers].some((worker) => /^gw\d+$/.test(worker))).toBe(true);
    expect(new Set(all.map((report) => report.confirmRuns))).toEqual(new Set([0, 3]));
    expect(tests.some((test) => test.titles !== null && test.heapDelta !== null)).toBe(true);
    const runsAlone = tests.flatMap((test) => test.confirmation?.runs ?? []);
    expect(runsAlone.some((run) => run.allocatedBlocks !== null)).toBe(true);
    expect(runsAlone.some((run) => typeof run.heapDelta === 'number')).toBe(true);
    expect(tests.some((test) => test.confirmation?.problem != null)).toBe(true);

    const compared = reports.get('pytest, confirmed, compared with a baseline')?.comparison;
    expect(compared?.base.file).toMatch(/base\.json$/);
    for (const list of ['new', 'fixed', 'added', 'removed'] as const) expect(compared?.[list], list).not.toEqual([]);
    expect(Object.keys(compared?.baseKept ?? {})).not.toEqual([]);
    expect(all.some((report) => report.baselineProblem !== null)).toBe(true);

    const killed = reports.get('node:test, a process killed mid-test and concurrent tests');
    expect(killed?.incomplete).toHaveLength(1);
    expect(killed?.unmeasured).toHaveLength(2);
    expect(killed?.coverage.unmeasured).toBeGreaterThan(0);
    expect(killed?.exitCode).not.toBe(0);
    expect(reports.get('nothing measured, the command failing, no baseline found')).toMatchObject({
      tests: [],
      coverage: { collected: null, measured: 0 },
    });
    expect(reports.get('pytest, cancelled mid-test, through the action')?.cancelled).toBe(true);

    expect(reports.get("a shard's, through the action")?.shard).toMatchObject({
      label: 'ubuntu-latest-3.13',
      jobTotal: 2,
    });
    const merged = reports.get('merged, compared with a baseline');
    expect(merged?.shards?.map((shard) => shard.label)).toEqual(['base', 'ubuntu-latest-3.13']);
    // The shard's matrix has 2 jobs, and only one of them reported.
    expect(merged?.missingShards?.map((shard) => shard.label)).toEqual(['unnamed 1']);
    expect(new Set(merged?.tests.map((test) => test.shard))).toEqual(new Set(['base', 'ubuntu-latest-3.13']));
    expect(merged?.comparison?.new.length).toBeGreaterThan(0);
  });

  describe('and the schema fails a report', () => {
    let report: Report;
    beforeAll(() => {
      report = reports.get('pytest, confirmed, compared with a baseline') as Report;
    });
    const changed = (change: (copy: Record<string, unknown> & { tests: Record<string, unknown>[] }) => void) => {
      const copy = structuredClone(report) as unknown as Record<string, unknown> & { tests: Record<string, unknown>[] };
      change(copy);
      return problems(validate, copy);
    };

    it('of another version', () => {
      expect(problems(validate, report)).toEqual([]);
      expect(changed((copy) => (copy.version = 3))).toEqual([
        expect.stringMatching(/^\/version must be equal to constant/),
      ]);
    });

    it('missing a required field', () => {
      expect(changed((copy) => delete copy.coverage)).toEqual([
        expect.stringMatching(/^\/ must have required property 'coverage'/),
      ]);
      expect(changed((copy) => delete copy.tests[0]?.verdict)).toEqual([
        expect.stringMatching(/^\/tests\/0 must have required property 'verdict'/),
      ]);
    });

    it('with a field the schema does not know, at the top or in a test', () => {
      expect(changed((copy) => (copy.leaks = 3))).toEqual([
        expect.stringMatching(/^\/ must NOT have additional properties \{"additionalProperty":"leaks"\}/),
      ]);
      expect(changed((copy) => ((copy.tests[1] ?? {}).kept = 1))).toEqual([
        expect.stringMatching(/^\/tests\/1 must NOT have additional properties \{"additionalProperty":"kept"\}/),
      ]);
    });

    it('with a verdict or a type that is not leakwatch’s', () => {
      expect(changed((copy) => ((copy.tests[0] ?? {}).verdict = 'leaky'))).toEqual([
        expect.stringMatching(/^\/tests\/0\/verdict must be equal to one of the allowed values/),
      ]);
      expect(changed((copy) => (copy.peak = '176 MB'))).toEqual([expect.stringMatching(/^\/peak must be number,null/)]);
    });
  });
});

/** Whether a field of a type must be present: optional fields (`field?:`) may be left out of a report. */
type Presence = 'required' | 'optional';
type Fields<T> = { [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' };

/** Every field of the report's types, by object: the compiler checks that each is listed, and how. */
const FIELDS = {
  report: {
    version: 'required',
    tool: 'required',
    command: 'required',
    runner: 'required',
    limit: 'required',
    confirmRuns: 'required',
    exitCode: 'required',
    peak: 'required',
    tests: 'required',
    incomplete: 'required',
    unmeasured: 'required',
    warnings: 'required',
    coverage: 'required',
    cancelled: 'required',
    comparison: 'required',
    baselineProblem: 'required',
    shard: 'optional',
    shards: 'optional',
    missingShards: 'optional',
  } satisfies Fields<Report>,
  shardOrigin: {
    label: 'required',
    reportName: 'required',
    commit: 'required',
    runId: 'required',
    job: 'required',
    matrix: 'required',
    jobIndex: 'required',
    jobTotal: 'required',
  } satisfies Fields<ShardOrigin>,
  shardSummary: {
    label: 'required',
    command: 'required',
    runner: 'required',
    limit: 'required',
    confirmRuns: 'required',
    exitCode: 'required',
    cancelled: 'required',
    peak: 'required',
    tests: 'required',
    leaks: 'required',
    unmeasured: 'required',
    incomplete: 'required',
    commit: 'required',
    job: 'required',
  } satisfies Fields<ShardSummary>,
  missingShard: { label: 'required', why: 'required' } satisfies Fields<MissingShard>,
  tool: { name: 'required', version: 'required' } satisfies Fields<Report['tool']>,
  test: {
    id: 'required',
    titles: 'required',
    file: 'required',
    line: 'required',
    worker: 'required',
    order: 'optional',
    shard: 'optional',
    measures: 'required',
    before: 'required',
    after: 'required',
    delta: 'required',
    heapDelta: 'required',
    externalDelta: 'required',
    rssDelta: 'required',
    peak: 'required',
    allocatedBlocks: 'required',
    duration: 'required',
    outcome: 'required',
    verdict: 'required',
    leaked: 'required',
    ignored: 'required',
    disturbed: 'required',
    unsettled: 'required',
    confirmation: 'required',
    sites: 'required',
    unattributed: 'required',
  } satisfies Fields<TestResult>,
  site: {
    file: 'required',
    line: 'required',
    function: 'required',
    size: 'required',
    count: 'required',
    stack: 'required',
  } satisfies Fields<Site>,
  frame: { file: 'required', line: 'required', function: 'required' } satisfies Fields<Frame>,
  unattributed: { bytes: 'required', kind: 'required' } satisfies Fields<Unattributed>,
  confirmation: { runs: 'required', perRun: 'required', problem: 'required' } satisfies Fields<Confirmation>,
  confirmationRun: {
    delta: 'required',
    outcome: 'required',
    allocatedBlocks: 'required',
    heapDelta: 'optional',
    externalDelta: 'optional',
  } satisfies Fields<Confirmation['runs'][number]>,
  unmeasuredTest: {
    id: 'required',
    file: 'required',
    line: 'required',
    worker: 'required',
    shard: 'optional',
    outcome: 'required',
  } satisfies Fields<UnmeasuredTest>,
  incompleteTest: {
    id: 'required',
    file: 'required',
    line: 'required',
    worker: 'required',
    shard: 'optional',
    pid: 'required',
    before: 'required',
    lastSeen: 'required',
    lastSeenAt: 'required',
  } satisfies Fields<IncompleteTest>,
  coverage: {
    collected: 'required',
    measured: 'required',
    unmeasured: 'required',
    reasons: 'required',
    unsupported: 'required',
  } satisfies Fields<Coverage>,
  comparison: {
    base: 'required',
    new: 'required',
    fixed: 'required',
    regressed: 'required',
    added: 'required',
    removed: 'required',
    peak: 'required',
    baseKept: 'required',
  } satisfies Fields<Comparison>,
  base: { commit: 'required', runId: 'required', file: 'required' } satisfies Fields<BaseSource>,
  peak: { base: 'required', current: 'required' } satisfies Fields<Comparison['peak']>,
} as const;
