/**
 * Where a leak's memory was allocated, in Node runners: in a start of its own after the runs alone (whose figures
 * tracing must not touch), each confirmed leak runs once to warm up, then once more traced: with V8's sampling heap
 * profiler on (the JavaScript heap: which function allocated what is still alive at the run's end), and with the
 * stacks of large Buffers recorded (external memory, which the heap profiler does not see). The heap profiler names functions, not lines: a heap site is the line a function
 * starts on; a Buffer's site is the line that allocated it.
 */
import { Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Site } from '../report.js';

export interface Traced {
  sites: Site[];
  /** All the tracer saw the run keep: the sampled heap's estimate, and the Buffers alive. */
  traced: number;
}

/** Bytes between the heap profiler's samples, on average. */
const SAMPLING_INTERVAL = 16_384;
/** Buffers this large or larger have their stack recorded. */
const SMALLEST_BUFFER = 64 * 1024;
const MAX_SITES = 10;
const MAX_STACK = 8;
const STACK_FRAMES = 25;

interface SamplingNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children: SamplingNode[];
}

interface SamplingProfile {
  head: SamplingNode;
  samples: { size: number; nodeId: number }[];
}

type BufferFactory = (...args: never[]) => Buffer;

interface WatchedBuffer {
  buffer: WeakRef<ArrayBufferLike>;
  size: number;
  stack: Frame[];
}

export class Tracer {
  readonly #rootdir: string;
  readonly #smallest: number;
  #session: Session | undefined;
  #buffers: WatchedBuffer[] = [];
  #restore: (() => void) | undefined;

  readonly #heapSites: boolean;

  /**
   * `limit`: a site that holds under a hundredth of it explains no leak. `heapSites`: the heap profiler's positions
   * are the test files' own, as where Node loads them itself (node:test, Mocha); a runner that transforms them (Jest,
   * Vitest) would have them point at its output, so there only Buffers, whose stacks the runner maps, get sites.
   */
  constructor(rootdir: string, limit: number, heapSites: boolean) {
    this.#rootdir = rootdir;
    this.#smallest = limit / 100;
    this.#heapSites = heapSites;
  }

  begin(): void {
    const session = new Session();
    session.connect();
    this.#session = session;
    post(session, 'HeapProfiler.enable');
    post(session, 'HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL });
    this.#watchBuffers();
  }

  /** What the run allocated and still holds, by site: call after a full collection. */
  end(): Traced {
    const watched = this.#buffers;
    this.#buffers = [];
    const session = this.#session;
    this.#session = undefined;
    this.#restore?.();
    this.#restore = undefined;
    if (session === undefined) return { sites: [], traced: 0 };
    let profile: SamplingProfile;
    try {
      profile = (post(session, 'HeapProfiler.getSamplingProfile') as { profile: SamplingProfile }).profile;
    } finally {
      post(session, 'HeapProfiler.stopSampling');
      session.disconnect();
    }
    const places = new Map<string, Site>();
    let traced = 0;
    const add = (stack: Frame[], size: number, count: number): void => {
      traced += size;
      const frames = stack.filter((frame) => !this.#isPlumbing(frame.file));
      const where = frames.find((frame) => this.#isProject(frame.file)) ?? frames[0];
      if (where === undefined) return;
      const key = `${where.file}\n${where.line}\n${where.function}`;
      const place = places.get(key);
      const from = frames.slice(frames.indexOf(where), frames.indexOf(where) + MAX_STACK);
      if (place === undefined) places.set(key, { ...where, size, count, stack: from });
      else {
        place.size += size;
        place.count += count;
      }
    };
    const stacks = heapStacks(profile.head);
    for (const sample of this.#heapSites ? profile.samples : []) {
      // A sample stands for about this many bytes of allocations of its size (V8's own scaling).
      const scale = 1 / (1 - Math.exp(-sample.size / SAMPLING_INTERVAL));
      add(stacks.get(sample.nodeId) ?? [], sample.size * scale, scale);
    }
    const alive = watched.filter((kept) => kept.buffer.deref() !== undefined);
    for (const kept of alive) add(kept.stack, kept.size, 1);
    const sites = [...places.values()]
      .filter((site) => site.size >= this.#smallest)
      .sort((a, b) => b.size - a.size)
      .slice(0, MAX_SITES)
      .map((site) => ({ ...site, size: Math.round(site.size), count: Math.round(site.count) }));
    return { sites, traced: Math.round(traced) };
  }

  /** Records the stack of each large Buffer made while the run is traced, with a weak hold on its memory. */
  #watchBuffers(): void {
    const factories = ['alloc', 'allocUnsafe', 'allocUnsafeSlow', 'from'] as const;
    const buffers = Buffer as unknown as Record<string, BufferFactory>;
    const originals = factories.map((name) => [name, buffers[name]] as const);
    const watched = this.#buffers;
    for (const [name, original] of originals) {
      if (original === undefined) continue;
      const wrapped = function (this: unknown, ...args: never[]): Buffer {
        const buffer = original.apply(this, args);
        // A Buffer of its own memory, not a view of the shared pool or of memory given to it.
        if (buffer.byteLength >= SMALLEST_BUFFER && buffer.byteOffset === 0) {
          watched.push({ buffer: new WeakRef(buffer.buffer), size: buffer.buffer.byteLength, stack: callers(wrapped) });
        }
        return buffer;
      };
      buffers[name] = wrapped;
    }
    this.#restore = () => {
      for (const [name, original] of originals) if (original !== undefined) buffers[name] = original;
    };
  }

  #isPlumbing(file: string): boolean {
    return (
      file === '' ||
      file.startsWith('node:') ||
      file === __filename ||
      /[\\/]node_modules[\\/]/.test(file) ||
      !path.isAbsolute(file)
    );
  }

  #isProject(file: string): boolean {
    const relative = path.relative(this.#rootdir, file);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  }
}

/** A same-thread inspector session answers at once: its callback runs before post returns. */
function post(session: Session, method: string, params?: object): unknown {
  const answer: { result?: unknown; error?: Error } = {};
  session.post(method, params ?? {}, (error, result) => {
    if (error) answer.error = error;
    answer.result = result;
  });
  if (answer.error !== undefined) throw answer.error;
  return answer.result;
}

/** Each profile node's stack, innermost frame first. */
function heapStacks(head: SamplingNode): Map<number, Frame[]> {
  const stacks = new Map<number, Frame[]>();
  const visit = (node: SamplingNode, outer: Frame[]): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const stack =
      url === ''
        ? outer
        : [{ file: fromUrl(url), line: lineNumber + 1, function: functionName || '(anonymous)' }, ...outer];
    stacks.set(node.id, stack);
    for (const child of node.children) visit(child, stack);
  };
  visit(head, []);
  return stacks;
}

function fromUrl(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/**
 * The frames that called `below`, innermost first. Their places are as the process formats stacks: a runner that
 * transforms test files (Jest, Vitest) maps them back to the source there, through its source maps. Their function
 * names are V8's own, which such mapping may replace with a name found near the call.
 */
function callers(below: (...args: never[]) => unknown): Frame[] {
  const stackTraceLimit = Error.stackTraceLimit;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called here
  const prepareStackTrace = Error.prepareStackTrace;
  const formatted: { stack?: unknown } = {};
  const structured: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = STACK_FRAMES;
    Error.captureStackTrace(formatted, below);
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.captureStackTrace(structured, below);
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (typeof formatted.stack !== 'string') return [];
  const lines = formatted.stack.split('\n').filter((text) => /^\s+at /.test(text));
  const sites = Array.isArray(structured.stack) ? (structured.stack as NodeJS.CallSite[]) : [];
  return lines.flatMap((text, index) => {
    const match = /^\s+at (?:(.*?) \()?(.+?):(\d+):\d+\)?$/.exec(text);
    if (!match) return [];
    const [, shown, file = '', line = '0'] = match;
    // A runner's source map names the innermost frame after the call it maps to (`Object.alloc`): not its function.
    const mapped = index === 0 && /(^|\.)(alloc|allocUnsafe|allocUnsafeSlow|from)$/.test(shown ?? '') ? '' : shown;
    const name = sites.length === lines.length ? sites[index]?.getFunctionName() : mapped?.replace(/^async /, '');
    return [{ file: fromUrl(file), line: Number(line), function: name || '(anonymous)' }];
  });
}
