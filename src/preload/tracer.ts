/**
 * Where a leak's memory was allocated, in Node runners: in a start of its own after the runs alone (whose figures
 * tracing must not touch), each confirmed leak runs once to warm up, then once more traced: with V8's sampling heap
 * profiler on (the JavaScript heap: which function allocated what is still alive at the run's end), and with the
 * stacks of large Buffers recorded (external memory, which the heap profiler does not see). The heap profiler names
 * functions, not lines: a heap site is the line a function starts on; a Buffer's site is the line that allocated it.
 * Both are placed as the runner places the lines of its stack traces: in the source, where it transformed the code.
 */
import { Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAnyArrayBuffer } from 'node:util/types';
import type { Frame, Site } from '../report.js';

export interface Traced {
  sites: Site[];
  /** All the tracer saw the run keep: the sampled heap's estimate, and the Buffers alive. */
  traced: number;
  /** Of it, the Buffers alive. */
  external: number;
}

/** Bytes between the heap profiler's samples, on average. */
const SAMPLING_INTERVAL = 16_384;
/** Buffers this large or larger have their stack recorded, and the pool's slabs that small ones share. */
const SMALLEST_BUFFER = 64 * 1024;
const MAX_SITES = 10;
const MAX_STACK = 8;
const STACK_FRAMES = 25;

interface SamplingNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
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

  /** `limit`: a site that holds under a hundredth of it explains no leak. */
  constructor(rootdir: string, limit: number) {
    this.#rootdir = rootdir;
    this.#smallest = limit / 100;
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
    if (session === undefined) return { sites: [], traced: 0, external: 0 };
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
    const stacks = heapStacks(profile.head, asRunnerPlaces());
    for (const sample of profile.samples) {
      const stack = stacks(sample.nodeId);
      // The stacks this tracer records of Buffers are its own memory, not the test's.
      if (stack.some((frame) => frame.file === __filename && frame.function === callers.name)) continue;
      // A sample stands for about this many bytes of allocations of its size (V8's own scaling).
      const scale = 1 / (1 - Math.exp(-sample.size / SAMPLING_INTERVAL));
      add(stack, sample.size * scale, scale);
    }
    const heap = traced;
    const alive = watched.filter((kept) => kept.buffer.deref() !== undefined);
    for (const kept of alive) add(kept.stack, kept.size, 1);
    const sites = [...places.values()]
      .filter((site) => site.size >= this.#smallest)
      .sort((a, b) => b.size - a.size)
      .slice(0, MAX_SITES)
      .map((site) => ({ ...site, size: Math.round(site.size), count: Math.round(site.count) }));
    return { sites, traced: Math.round(traced), external: Math.round(traced - heap) };
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
        const memory = buffer.buffer;
        // Memory this call made, never memory given to it: a large Buffer of its own, or a new slab of the pool that
        // small Buffers share (a slab is alive while any of them is, so each slab stands for the calls that fill it).
        const made =
          buffer.byteOffset === 0 &&
          !(name === 'from' && isAnyArrayBuffer(args[0])) &&
          (memory.byteLength >= SMALLEST_BUFFER ||
            (memory.byteLength === Buffer.poolSize && buffer.byteLength < memory.byteLength));
        if (made) watched.push({ buffer: new WeakRef(memory), size: memory.byteLength, stack: callers(wrapped) });
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

/** Each profile node's stack, innermost frame first, its frames placed by `place` (only those of nodes asked for). */
function heapStacks(head: SamplingNode, place: (frame: SamplingNode['callFrame']) => Frame): (id: number) => Frame[] {
  const parents = new Map<number, SamplingNode | undefined>();
  const nodes = new Map<number, SamplingNode>();
  const visit = (node: SamplingNode, parent: SamplingNode | undefined): void => {
    nodes.set(node.id, node);
    parents.set(node.id, parent);
    for (const child of node.children) visit(child, node);
  };
  visit(head, undefined);
  const placed = new Map<number, Frame[]>();
  const stackOf = (id: number): Frame[] => {
    const known = placed.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    if (node === undefined) return [];
    const outer = parents.get(id);
    const outerStack = outer === undefined ? [] : stackOf(outer.id);
    const stack = node.callFrame.url === '' ? outerStack : [place(node.callFrame), ...outerStack];
    placed.set(id, stack);
    return stack;
  };
  return stackOf;
}

/**
 * Places a profile's frame as the runner places the lines of stack traces: a runner that transforms test files (Jest,
 * Vitest) sets `Error.prepareStackTrace` to map them through its source maps, and given a call site at the
 * function's position, it says where in the source that function is. The function's name stays V8's.
 */
function asRunnerPlaces(): (frame: SamplingNode['callFrame']) => Frame {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with Error as `this`, as V8 does
  const prepare = Error.prepareStackTrace as typeof Error.prepareStackTrace | undefined;
  const known = new Map<string, Frame>();
  return ({ functionName, url, lineNumber, columnNumber }) => {
    const key = `${url}:${lineNumber}:${columnNumber}`;
    const function_ = functionName || '(anonymous)';
    let frame = known.get(key);
    if (frame === undefined) {
      frame = { file: fromUrl(url), line: lineNumber + 1, function: function_ };
      if (prepare !== undefined) {
        try {
          const site = new PositionCallSite(frame.file, lineNumber + 1, columnNumber + 1, functionName);
          const shown: unknown = prepare.call(Error, new Error(), [site as unknown as NodeJS.CallSite]);
          const placed = typeof shown === 'string' ? parseFrames(shown)[0] : undefined;
          if (placed !== undefined) frame = { ...placed, function: function_ };
        } catch {
          // The runner could not place it: V8's own position stands.
        }
      }
      known.set(key, frame);
    }
    return frame;
  };
}

/** A call site at a function's start, for a runner's `prepareStackTrace` (which may copy its prototype's methods). */
class PositionCallSite {
  readonly #file: string;
  readonly #line: number;
  readonly #column: number;
  readonly #function: string;
  constructor(file: string, line: number, column: number, name: string) {
    this.#file = file;
    this.#line = line;
    this.#column = column;
    this.#function = name;
  }
  getThis(): undefined {
    return undefined;
  }
  getTypeName(): null {
    return null;
  }
  getFunction(): undefined {
    return undefined;
  }
  getFunctionName(): string | null {
    return this.#function || null;
  }
  getMethodName(): null {
    return null;
  }
  getFileName(): string {
    return this.#file;
  }
  getScriptNameOrSourceURL(): string {
    return this.#file;
  }
  getScriptHash(): string {
    return '';
  }
  getLineNumber(): number {
    return this.#line;
  }
  getColumnNumber(): number {
    return this.#column;
  }
  getEnclosingLineNumber(): number {
    return this.#line;
  }
  getEnclosingColumnNumber(): number {
    return this.#column;
  }
  getPosition(): number {
    return 0;
  }
  getEvalOrigin(): undefined {
    return undefined;
  }
  getPromiseIndex(): null {
    return null;
  }
  isToplevel(): boolean {
    return false;
  }
  isEval(): boolean {
    return false;
  }
  isNative(): boolean {
    return false;
  }
  isConstructor(): boolean {
    return false;
  }
  isAsync(): boolean {
    return false;
  }
  isPromiseAll(): boolean {
    return false;
  }
  toString(): string {
    return `${this.#function || '<anonymous>'} (${this.#file}:${this.#line}:${this.#column})`;
  }
}

/** The frames of a formatted stack's `at function (file:line:column)` lines; `at`: which of its `at` lines. */
function parseFrames(stack: string): (Frame & { shown: string | undefined; at: number })[] {
  const lines = stack.split('\n').filter((text) => /^\s+at /.test(text));
  return lines.flatMap((text, at) => {
    const match = /^\s+at (?:(.*?) \()?(.+?):(\d+):\d+\)?$/.exec(text);
    if (!match) return [];
    const [, shown, file = '', line = '0'] = match;
    return [{ file: fromUrl(file), line: Number(line), function: shown ?? '', shown, at }];
  });
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
  // A stack is made when first read: each is read under the formatter it is for.
  let text: unknown;
  let callSites: unknown;
  try {
    Error.stackTraceLimit = STACK_FRAMES;
    Error.captureStackTrace(formatted, below);
    text = formatted.stack;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(structured, below);
    callSites = structured.stack;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (typeof text !== 'string') return [];
  const lines = text.split('\n').filter((line) => /^\s+at /.test(line)).length;
  const sites = Array.isArray(callSites) ? (callSites as NodeJS.CallSite[]) : [];
  return parseFrames(text).map(({ file, line, shown, at }) => {
    // A runner's source map names the innermost frame after the call it maps to (`Object.alloc`): not its function.
    const mapped = at === 0 && /(^|\.)(alloc|allocUnsafe|allocUnsafeSlow|from)$/.test(shown ?? '') ? '' : shown;
    const name = sites.length === lines ? sites[at]?.getFunctionName() : mapped?.replace(/^async /, '');
    return { file, line, function: name || '(anonymous)' };
  });
}
