/**
 * Merging shards' reports, wherever they come from (a run's artifacts, files given to the CLI): each read in turn,
 * checked, added to the merged report, and its tests written to the merged JSON file, the next one read meanwhile: memory
 * holds two shards' reports at most, however many there are.
 */
import { ReportMerger, type MergedView } from './merge.js';
import { ReportWriter } from './report-file.js';
import { reportProblem } from './report-schema.js';
import { REPORT_VERSION, type MissingShard, type Report } from './report.js';
import type { ReportedShard } from './shards.js';

/** Where one shard's report comes from. */
export interface ShardSource {
  /** What names it to people: `artifact leakwatch-2`, `reports/shard-2.json`. */
  what: string;
  /** Its label: the artifact's name gives it (the report must say the same), or the file's, for a report without one. */
  label: string;
  /** The report must carry a shard's origin saying `label` (an artifact's); else one without is labelled `label`. */
  strict: boolean;
  /** The report's text; `not ours` when the source holds no report of this merge (another report name's artifact). */
  read(): Promise<{ text: string } | { problem: string } | 'not ours'>;
}

/** What every shard must agree with: the report name it was saved under, and the commit its tests ran on. */
export interface ShardExpectations {
  reportName?: string | undefined;
  commit?: string | undefined;
}

export interface ShardsRead {
  reported: ReportedShard[];
  /** Shards whose reports could not be merged, and why: each counts as missing. */
  refused: MissingShard[];
}

/**
 * Reads `sources` in turn into `merger`, each shard's tests written to `writer` (none: no JSON file) as it is added.
 * A source that cannot be read or checked is refused, with why; a write that fails drops the file (`onWriteFailure`)
 * and the merge goes on. Stops reading, the rest refused, once `cancel` aborts.
 */
export async function readShards(
  sources: readonly ShardSource[],
  merger: ReportMerger,
  writer: ReportWriter | undefined,
  {
    expect,
    cancel,
    onWriteFailure,
  }: { expect: ShardExpectations; cancel?: AbortSignal | undefined; onWriteFailure: (error: unknown) => void },
): Promise<ShardsRead & { writer: ReportWriter | undefined }> {
  const reported: ReportedShard[] = [];
  const refused: MissingShard[] = [];
  let output = writer;
  const readSource = (source: ShardSource | undefined) =>
    source?.read().catch((error: unknown) => ({
      problem: `it could not be read: ${error instanceof Error ? error.message : String(error)}`,
    }));
  // The next shard is read (downloaded) while this one is merged.
  let reading = readSource(sources[0]);
  for (const [index, source] of sources.entries()) {
    if (cancel?.aborted === true) {
      refused.push({ label: source.label, why: 'it was not merged: the job was cancelled first' });
      continue;
    }
    const read = await reading;
    reading = readSource(sources[index + 1]);
    if (read === undefined || read === 'not ours') continue;
    const checked = 'problem' in read ? read.problem : await checkShard(read.text, source, expect);
    if (typeof checked === 'string') {
      refused.push({ label: source.label, why: `${source.what} was refused: ${checked}` });
      continue;
    }
    if (reported.some((shard) => shard.label === checked.label)) {
      refused.push({
        label: source.label,
        why: `${source.what} was refused: another report is shard ${checked.label} too`,
      });
      continue;
    }
    const tests = merger.add(checked.label, checked.report);
    reported.push({ label: checked.label, origin: checked.report.shard });
    if (output !== undefined) {
      try {
        await output.addTests(tests);
      } catch (error) {
        await output.abandon();
        output = undefined;
        onWriteFailure(error);
      }
    }
  }
  return { reported, refused, writer: output };
}

/** The merged report, its JSON file finished with all but its tests (written already); the file's path if written. */
export async function finishMerge(
  merger: ReportMerger,
  writer: ReportWriter | undefined,
  missing: readonly MissingShard[],
  onWriteFailure: (error: unknown) => void,
): Promise<MergedView & { written: boolean }> {
  const view = merger.finish(missing);
  if (writer === undefined) return { ...view, written: false };
  try {
    await writer.finish(withoutTests(view.report));
    return { ...view, written: true };
  } catch (error) {
    onWriteFailure(error);
    return { ...view, written: false };
  }
}

/** Starts the merged JSON file at `file`; undefined, with `onWriteFailure` told, when it cannot be made. */
export async function startMergedFile(
  file: string,
  toolVersion: string,
  onWriteFailure: (error: unknown) => void,
): Promise<ReportWriter | undefined> {
  try {
    return await ReportWriter.create(file, {
      version: REPORT_VERSION,
      tool: { name: 'leakwatch', version: toolVersion },
    });
  } catch (error) {
    onWriteFailure(error);
    return undefined;
  }
}

/** The shard's report from its text, checked against the schema and `expect`; or why it is refused. */
async function checkShard(
  text: string,
  source: ShardSource,
  expect: ShardExpectations,
): Promise<{ label: string; report: Report } | string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const problem = await reportProblem(parsed);
  if (problem !== undefined) return `it is not a leakwatch report of this version: ${problem}`;
  const report = parsed as Report;
  if (report.shards !== undefined) return "it is a merged report already: merge the shards' own reports";
  const origin = report.shard;
  if (origin === undefined) {
    return source.strict
      ? "it is not a shard's report (saved by a step with publish: merge-later)"
      : { label: source.label, report };
  }
  if (source.strict && origin.label !== source.label) return `its report says it is shard ${origin.label}`;
  if (expect.reportName !== undefined && origin.reportName !== expect.reportName) {
    return `it is a shard of report ${origin.reportName}, not of ${expect.reportName}`;
  }
  if (expect.commit !== undefined && expect.commit !== '' && origin.commit !== expect.commit) {
    return `its tests ran on commit ${origin.commit.slice(0, 12)}, not on the run's head ${expect.commit.slice(0, 12)}`;
  }
  return { label: origin.label, report };
}

/** All of a report but what a ReportWriter wrote first. */
function withoutTests(report: Report): Omit<Report, 'version' | 'tool' | 'tests'> {
  const rest: Partial<Report> = { ...report };
  delete rest.version;
  delete rest.tool;
  delete rest.tests;
  return rest as Omit<Report, 'version' | 'tool' | 'tests'>;
}
