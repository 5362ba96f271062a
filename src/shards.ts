/**
 * The shards of a matrix, as the merge step sees them: what a shard is called (its label), which shards were
 * expected, and which of them left no report. Pure: the jobs of the run are given, as the REST API lists them.
 */
import type { MissingShard, ShardOrigin } from './report.js';

/** A label: what a shard's artifact and its tests are named by. */
export const SHARD_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The label of this job's shard: the `shard` input where given, else the job's matrix values joined by `-` (each cut to
 * letters, digits, `.`, `_` and `-`), else the job's id. Never `report`, which would name the base's artifact.
 */
export function shardLabel(given: string, matrix: Record<string, unknown> | null, job: string): string {
  if (given !== '') return given;
  const values = matrix === null ? [] : Object.values(matrix).map(matrixValueText);
  const label = cutToLabel(values.length > 0 ? values.map(cutToLabel).join('-') : job) || 'shard';
  return label === 'report' ? 'report-shard' : label;
}

/** A matrix value as GitHub writes it in a job's name: `test (ubuntu-latest, 3.9)`. */
function matrixValueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function cutToLabel(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 100);
}

/** The `matrix` and `strategy` contexts as the hidden inputs give them (`${{ toJSON(matrix) }}`); null when empty. */
export function parseContext(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The shards the merge expects: as many as the input `shards` says, or those it names. */
export type ExpectedShards = { count: number } | { labels: string[] };

/** A job of the run, as the REST API lists it. */
export interface RunJob {
  name: string;
  status: string;
  conclusion: string | null;
}

/** A shard that reported: its label, and where its report says it was made (absent for reports merged by hand). */
export interface ReportedShard {
  label: string;
  origin: ShardOrigin | undefined;
}

/**
 * The shards missing: each `refused` one (it reported, but its report could not be merged), then the shards expected
 * that left no report: those `expected` names or counts, else for each matrix of the reports' jobs the jobs its
 * `strategy.job-total` counts, named from the run's `jobs` where their names tell (GitHub names a matrix job
 * `<job> (<values>)`), else by their place in the matrix.
 */
export function missingShards(
  reported: readonly ReportedShard[],
  refused: readonly MissingShard[],
  expected: ExpectedShards | undefined,
  jobs: readonly RunJob[] | undefined,
): MissingShard[] {
  const labels = new Set([...reported, ...refused].map((shard) => shard.label));
  const byLabel = new Map((jobs ?? []).flatMap((job) => matrixJobLabel(job)).map(([label, job]) => [label, job]));
  const why = (label: string): string => jobWhy(byLabel.get(label));
  const absent = (names: readonly string[]): MissingShard[] =>
    names.filter((label) => !labels.has(label)).map((label) => ({ label, why: why(label) }));
  if (expected !== undefined && 'labels' in expected) return [...refused, ...absent(expected.labels)];
  if (expected !== undefined) {
    const numbered = Array.from({ length: expected.count }, (_, index) => String(index + 1));
    if ([...labels].every((label) => numbered.includes(label))) return [...refused, ...absent(numbered)];
    const why = `${expected.count} shards were expected, and the labels of those that reported`;
    return [...refused, ...unnamed(expected.count - labels.size, why)];
  }
  const groups = new Map<string, ShardOrigin[]>();
  for (const { origin } of reported) {
    if (origin !== undefined) groups.set(origin.job, [...(groups.get(origin.job) ?? []), origin]);
  }
  const matrices = [...groups.values()].map((origins) => missingOfMatrix(origins, jobs ?? []));
  const named = matrices.flatMap((matrix) => matrix.named).filter((shard) => !labels.has(shard.label));
  // The refused shards are among those the jobs do not name: they are not counted twice.
  const left = matrices.reduce((sum, matrix) => sum + matrix.unnamed, 0) - refused.length;
  return [
    ...refused,
    ...named,
    ...unnamed(left, "the matrix of the shards that reported has more jobs than reported, and the run's job names"),
  ];
}

/** Shards counted missing that nothing names: `unnamed 1`, `unnamed 2`... */
function unnamed(count: number, why: string): MissingShard[] {
  return Array.from({ length: Math.max(0, count) }, (_, index) => ({
    label: `unnamed ${index + 1}`,
    why: `${why} do not tell which are missing`,
  }));
}

/**
 * The jobs of one matrix (one job id) that left no report: by name where the run's jobs tell them, else how many.
 */
function missingOfMatrix(
  origins: readonly ShardOrigin[],
  jobs: readonly RunJob[],
): { named: MissingShard[]; unnamed: number } {
  const [first] = origins;
  const total = first?.jobTotal ?? null;
  const places = new Set(origins.map((origin) => origin.jobIndex));
  if (first === undefined || total === null || places.size >= total) return { named: [], unnamed: 0 };
  // The matrix's jobs in the run: named like the reported ones, `<name> (<values>)`, with the same name.
  const named = jobs.flatMap((job) => {
    const parts = /^(.*) \((.*)\)$/.exec(job.name);
    return parts === null ? [] : [{ job, name: parts[1] ?? '', values: parts[2] ?? '' }];
  });
  const valuesOf = (origin: ShardOrigin): string =>
    Object.values(origin.matrix ?? {})
      .map(matrixValueText)
      .join(', ');
  const names = new Set(
    origins.flatMap((origin) => named.filter((entry) => entry.values === valuesOf(origin)).map((entry) => entry.name)),
  );
  const reportedValues = new Set(origins.map(valuesOf));
  const others = named.filter((entry) => names.has(entry.name) && !reportedValues.has(entry.values));
  if (names.size === 1 && others.length === total - places.size) {
    const named = others.map(({ job, values }) => ({
      label: shardLabel('', Object.fromEntries(values.split(', ').map((value, index) => [index, value])), ''),
      why: jobWhy(job),
    }));
    return { named, unnamed: 0 };
  }
  // The run's jobs do not tell (a job `name:` of its own, or no jobs listed): only how many are missing is known.
  return { named: [], unnamed: total - places.size };
}

/** A matrix job's label from its name, `test (ubuntu-latest, 3.9)`, as shardLabel makes it from the values. */
function matrixJobLabel(job: RunJob): [string, RunJob][] {
  const parts = /^.* \((.*)\)$/.exec(job.name);
  if (parts === null) return [];
  const values = (parts[1] ?? '').split(', ');
  return [[shardLabel('', Object.fromEntries(values.map((value, index) => [index, value])), ''), job]];
}

/** Why a job left no report, from how it ended. */
function jobWhy(job: RunJob | undefined): string {
  if (job === undefined) return 'it left no report';
  if (job.status !== 'completed') return `its job ${job.name} had not finished when the merge ran (is it in needs:?)`;
  switch (job.conclusion) {
    case 'cancelled':
      return `its job ${job.name} was cancelled before leakwatch saved its report`;
    case 'skipped':
      return `its job ${job.name} was skipped`;
    case 'failure':
    case 'timed_out':
      return `its job ${job.name} failed before leakwatch saved its report`;
    case 'success':
    case 'neutral':
    case 'action_required':
    case 'stale':
    case null:
    default:
      return `its job ${job.name} left no report`;
  }
}
