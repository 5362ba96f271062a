"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/preload/index.ts
var preload_exports = {};
__export(preload_exports, {
  hookVitestWorker: () => hookVitestWorker,
  mochaHooks: () => mochaHooks,
  vitestProjectsInFiles: () => vitestProjectsInFiles
});
module.exports = __toCommonJS(preload_exports);

// src/preload/jest.ts
var import_node_fs3 = require("node:fs");
var import_node_module = __toESM(require("node:module"), 1);
var import_node_path4 = __toESM(require("node:path"), 1);

// src/preload/confirm.ts
var import_node_path = __toESM(require("node:path"), 1);
var tracing = process.env.LEAKWATCH_CONFIRM !== void 0 && process.env.LEAKWATCH_TRACE === "last-run";
var confirmTargets = readTargets();
var measuredRuns = Math.max(1, (confirmTargets?.runs ?? 1) - 1);
function readTargets() {
  try {
    const value = JSON.parse(process.env.LEAKWATCH_CONFIRM ?? "");
    if (!Array.isArray(value.tests) || typeof value.runs !== "number") return void 0;
    const tests = value.tests.flatMap(
      (test) => typeof test.file === "string" && Array.isArray(test.titles) ? [{ file: import_node_path.default.resolve(test.file), titles: test.titles.map(String) }] : []
    );
    return { tests, runs: Math.max(1, value.runs) };
  } catch {
    return void 0;
  }
}
function targetTitlesIn(targets, file) {
  const resolved = import_node_path.default.resolve(file);
  return targets.tests.filter((test) => test.file === resolved).map((test) => test.titles);
}
function isTarget(targets, file, titles3) {
  return targetTitlesIn(targets, file).some((wanted) => sameTitles(wanted, titles3));
}
function sameTitles(a, b) {
  return a.length === b.length && a.every((title, index) => title === b[index]);
}
function withoutOption(args, option) {
  return args.filter((arg, index) => arg !== option && !arg.startsWith(`${option}=`) && args[index - 1] !== option);
}

// src/preload/recorder.ts
var import_node_fs2 = require("node:fs");
var import_node_path3 = __toESM(require("node:path"), 1);
var import_node_worker_threads = require("node:worker_threads");
var import_node_v8 = __toESM(require("node:v8"), 1);
var import_node_vm = __toESM(require("node:vm"), 1);

// node_modules/signal-exit/dist/mjs/signals.js
var signals = [];
signals.push("SIGHUP", "SIGINT", "SIGTERM");
if (process.platform !== "win32") {
  signals.push(
    "SIGALRM",
    "SIGABRT",
    "SIGVTALRM",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGUSR2",
    "SIGTRAP",
    "SIGSYS",
    "SIGQUIT",
    "SIGIOT"
    // should detect profiler and enable/disable accordingly.
    // see #21
    // 'SIGPROF'
  );
}
if (process.platform === "linux") {
  signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
}

// node_modules/signal-exit/dist/mjs/index.js
var processOk = (process3) => !!process3 && typeof process3 === "object" && typeof process3.removeListener === "function" && typeof process3.emit === "function" && typeof process3.reallyExit === "function" && typeof process3.listeners === "function" && typeof process3.kill === "function" && typeof process3.pid === "number" && typeof process3.on === "function";
var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
var global = globalThis;
var ObjectDefineProperty = Object.defineProperty.bind(Object);
var Emitter = class {
  emitted = {
    afterExit: false,
    exit: false
  };
  listeners = {
    afterExit: [],
    exit: []
  };
  count = 0;
  id = Math.random();
  constructor() {
    if (global[kExitEmitter]) {
      return global[kExitEmitter];
    }
    ObjectDefineProperty(global, kExitEmitter, {
      value: this,
      writable: false,
      enumerable: false,
      configurable: false
    });
  }
  on(ev, fn) {
    this.listeners[ev].push(fn);
  }
  removeListener(ev, fn) {
    const list = this.listeners[ev];
    const i = list.indexOf(fn);
    if (i === -1) {
      return;
    }
    if (i === 0 && list.length === 1) {
      list.length = 0;
    } else {
      list.splice(i, 1);
    }
  }
  emit(ev, code, signal) {
    if (this.emitted[ev]) {
      return false;
    }
    this.emitted[ev] = true;
    let ret = false;
    for (const fn of this.listeners[ev]) {
      ret = fn(code, signal) === true || ret;
    }
    if (ev === "exit") {
      ret = this.emit("afterExit", code, signal) || ret;
    }
    return ret;
  }
};
var SignalExitBase = class {
};
var signalExitWrap = (handler) => {
  return {
    onExit(cb, opts) {
      return handler.onExit(cb, opts);
    },
    load() {
      return handler.load();
    },
    unload() {
      return handler.unload();
    }
  };
};
var SignalExitFallback = class extends SignalExitBase {
  onExit() {
    return () => {
    };
  }
  load() {
  }
  unload() {
  }
};
var SignalExit = class extends SignalExitBase {
  // "SIGHUP" throws an `ENOSYS` error on Windows,
  // so use a supported signal instead
  /* c8 ignore start */
  #hupSig = process2.platform === "win32" ? "SIGINT" : "SIGHUP";
  /* c8 ignore stop */
  #emitter = new Emitter();
  #process;
  #originalProcessEmit;
  #originalProcessReallyExit;
  #sigListeners = {};
  #loaded = false;
  constructor(process3) {
    super();
    this.#process = process3;
    this.#sigListeners = {};
    for (const sig of signals) {
      this.#sigListeners[sig] = () => {
        const listeners = this.#process.listeners(sig);
        let { count } = this.#emitter;
        const p = process3;
        if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
          count += p.__signal_exit_emitter__.count;
        }
        if (listeners.length === count) {
          this.unload();
          const ret = this.#emitter.emit("exit", null, sig);
          const s = sig === "SIGHUP" ? this.#hupSig : sig;
          if (!ret)
            process3.kill(process3.pid, s);
        }
      };
    }
    this.#originalProcessReallyExit = process3.reallyExit;
    this.#originalProcessEmit = process3.emit;
  }
  onExit(cb, opts) {
    if (!processOk(this.#process)) {
      return () => {
      };
    }
    if (this.#loaded === false) {
      this.load();
    }
    const ev = opts?.alwaysLast ? "afterExit" : "exit";
    this.#emitter.on(ev, cb);
    return () => {
      this.#emitter.removeListener(ev, cb);
      if (this.#emitter.listeners["exit"].length === 0 && this.#emitter.listeners["afterExit"].length === 0) {
        this.unload();
      }
    };
  }
  load() {
    if (this.#loaded) {
      return;
    }
    this.#loaded = true;
    this.#emitter.count += 1;
    for (const sig of signals) {
      try {
        const fn = this.#sigListeners[sig];
        if (fn)
          this.#process.on(sig, fn);
      } catch (_) {
      }
    }
    this.#process.emit = (ev, ...a) => {
      return this.#processEmit(ev, ...a);
    };
    this.#process.reallyExit = (code) => {
      return this.#processReallyExit(code);
    };
  }
  unload() {
    if (!this.#loaded) {
      return;
    }
    this.#loaded = false;
    signals.forEach((sig) => {
      const listener = this.#sigListeners[sig];
      if (!listener) {
        throw new Error("Listener not defined for signal: " + sig);
      }
      try {
        this.#process.removeListener(sig, listener);
      } catch (_) {
      }
    });
    this.#process.emit = this.#originalProcessEmit;
    this.#process.reallyExit = this.#originalProcessReallyExit;
    this.#emitter.count -= 1;
  }
  #processReallyExit(code) {
    if (!processOk(this.#process)) {
      return 0;
    }
    this.#process.exitCode = code || 0;
    this.#emitter.emit("exit", this.#process.exitCode, null);
    return this.#originalProcessReallyExit.call(this.#process, this.#process.exitCode);
  }
  #processEmit(ev, ...args) {
    const og = this.#originalProcessEmit;
    if (ev === "exit" && processOk(this.#process)) {
      if (typeof args[0] === "number") {
        this.#process.exitCode = args[0];
      }
      const ret = og.call(this.#process, ev, ...args);
      this.#emitter.emit("exit", this.#process.exitCode, null);
      return ret;
    } else {
      return og.call(this.#process, ev, ...args);
    }
  }
};
var process2 = globalThis.process;
var {
  /**
   * Called when the process is exiting, whether via signal, explicit
   * exit, or running out of stuff to do.
   *
   * If the global process object is not suitable for instrumentation,
   * then this will be a no-op.
   *
   * Returns a function that may be used to unload signal-exit.
   */
  onExit,
  /**
   * Load the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  load,
  /**
   * Unload the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  unload
} = signalExitWrap(processOk(process2) ? new SignalExit(process2) : new SignalExitFallback());

// src/preload/nesting.ts
function isWithin(inner, outer) {
  const [innerTitles, outerTitles] = [inner.titles ?? [], outer.titles ?? []];
  return inner.file === outer.file && outerTitles.length > 0 && innerTitles.length > outerTitles.length && outerTitles.every((title, index) => innerTitles[index] === title);
}

// src/preload/records-file.ts
var import_node_fs = require("node:fs");
var MAX_PENDING_LINES = 1e4;
var MAX_PENDING_BYTES = 8e6;
var RESERVE_BYTES = 4096;
var RecordsFile = class {
  #path;
  #reservePath;
  #header;
  #fd;
  #identity;
  /** Bytes written to the file: a line written in part is cut off again. */
  #size = 0;
  #pending = [];
  #pendingBytes = 0;
  /** Tests whose start is in the file and whose end is not yet: by key, their identity. */
  #startedInFile = /* @__PURE__ */ new Map();
  /** Tests written into this file, for a file deleted from under it. */
  #testsInFile = 0;
  /** Lost tests not yet written down: counted per reason, and named ones. */
  #lost = /* @__PURE__ */ new Map();
  #lostNamed = [];
  /** Starts dropped with their tests: their end is dropped too. */
  #dropped = /* @__PURE__ */ new Set();
  #lastFailure = "leakwatch could not write its records";
  constructor(path6, header) {
    this.#path = path6;
    this.#reservePath = path6.replace(/([^/\\]+)\.jsonl$/, ".$1.reserve");
    this.#header = header;
  }
  /** Writes the record, or keeps it to write later. Never throws. */
  write(record) {
    const key = testKey(record);
    if (key !== void 0 && record.type !== "start" && this.#dropped.delete(key)) {
      if (record.type === "test") this.#lose(this.#lastFailure, 1);
      return;
    }
    const line = JSON.stringify(record) + "\n";
    if (this.#pending.length >= MAX_PENDING_LINES || this.#pendingBytes + line.length > MAX_PENDING_BYTES) {
      if (record.type === "start" && key !== void 0) this.#dropped.add(key);
      else if (record.type === "test") this.#lose(this.#lastFailure, 1);
      return;
    }
    this.#pending.push({ record, line });
    this.#pendingBytes += line.length;
    this.#flush();
  }
  /** At exit: the last lines, in the room the reserve kept if the disk is full; then the file is closed. */
  close(end) {
    this.#flush();
    if (this.#pending.length > 0) {
      const kept = [];
      for (const pending of this.#pending.splice(0)) {
        const { record } = pending;
        const key = testKey(record);
        if (key === void 0) kept.push(pending);
        else if (record.type === "test") {
          const started = this.#startedInFile.get(key);
          if (started === void 0) this.#lose(this.#lastFailure, 1);
          else this.#lostNamed.push({ ...started, reason: this.#lastFailure });
        }
      }
      this.#pending.push(...kept);
    }
    (0, import_node_fs.rmSync)(this.#reservePath, { force: true });
    this.#writeLost();
    this.#pending.push({ record: end, line: JSON.stringify(end) + "\n" });
    this.#flush();
    if (this.#fd !== void 0 && this.#isOwn(this.#fd)) (0, import_node_fs.closeSync)(this.#fd);
    this.#fd = void 0;
  }
  #lose(reason, count) {
    this.#lost.set(reason, (this.#lost.get(reason) ?? 0) + count);
  }
  /** Writes the pending lines in order, as far as it can. */
  #flush() {
    while (this.#pending.length > 0) {
      const fd = this.#open();
      if (fd === void 0) return;
      const next = this.#pending[0];
      if (next === void 0) return;
      if (!this.#writeLine(fd, next.line)) return;
      this.#pending.shift();
      this.#pendingBytes -= next.line.length;
      this.#written(next.record);
      if (this.#lost.size > 0 || this.#lostNamed.length > 0) this.#writeLost();
    }
  }
  #writeLost() {
    const fd = this.#open();
    if (fd === void 0) return;
    for (const named of this.#lostNamed) {
      const { reason, ...identity } = named;
      if (!this.#writeLine(fd, JSON.stringify({ type: "unmeasured", reason, ...identity }) + "\n")) return;
    }
    this.#lostNamed.length = 0;
    for (const [reason, count] of [...this.#lost]) {
      if (!this.#writeLine(fd, JSON.stringify({ type: "unmeasured", reason, count }) + "\n")) return;
      this.#lost.delete(reason);
    }
  }
  #written(record) {
    const key = testKey(record);
    if (key === void 0) return;
    if (record.type === "start") {
      const { id, file, titles: titles3, line } = record;
      this.#startedInFile.set(key, { id, file, titles: titles3, line });
    } else {
      this.#startedInFile.delete(key);
      if (record.type === "test") this.#testsInFile += 1;
    }
  }
  /** The whole line, or nothing of it. */
  #writeLine(fd, line) {
    try {
      const length = Buffer.byteLength(line);
      const written = (0, import_node_fs.writeSync)(fd, line);
      if (written === length) {
        this.#size += written;
        return true;
      }
      this.#lastFailure = "leakwatch could not write its records: no space left on the disk";
      (0, import_node_fs.ftruncateSync)(fd, this.#size);
    } catch (error) {
      this.#lastFailure = `leakwatch could not write its records (${error.message})`;
    }
    return false;
  }
  /** This file's descriptor, opened (again) if it is not open or no longer this file. */
  #open() {
    if (this.#fd !== void 0 && this.#isOwn(this.#fd)) return this.#fd;
    const reopening = this.#fd !== void 0;
    this.#fd = void 0;
    try {
      let existing;
      try {
        existing = (0, import_node_fs.statSync)(this.#path);
      } catch {
        existing = void 0;
      }
      const fd = (0, import_node_fs.openSync)(this.#path, "a");
      const { dev, ino, size } = (0, import_node_fs.fstatSync)(fd);
      this.#fd = fd;
      this.#identity = { dev, ino };
      this.#size = size;
      const sameFile = existing !== void 0 && existing.dev === dev && existing.ino === ino;
      if (!sameFile || !reopening) {
        if (reopening && this.#testsInFile > 0) {
          this.#lose("leakwatch's records file was deleted while the tests ran", this.#testsInFile);
        }
        this.#testsInFile = 0;
        this.#startedInFile.clear();
        if (!this.#writeLine(fd, JSON.stringify(this.#header()) + "\n")) {
          (0, import_node_fs.closeSync)(fd);
          this.#fd = void 0;
          (0, import_node_fs.rmSync)(this.#path, { force: true });
          return void 0;
        }
        if (!reopening) this.#makeReserve();
      }
      return fd;
    } catch (error) {
      this.#lastFailure = `leakwatch could not open its records file (${error.message})`;
      return void 0;
    }
  }
  /** One fstat: the descriptor is open, on this file, and the file is not deleted. */
  #isOwn(fd) {
    try {
      const { dev, ino, nlink } = (0, import_node_fs.fstatSync)(fd);
      const own = dev === this.#identity?.dev && ino === this.#identity.ino;
      if (own && nlink === 0) (0, import_node_fs.closeSync)(fd);
      return own && nlink > 0;
    } catch {
      return false;
    }
  }
  #makeReserve() {
    try {
      (0, import_node_fs.writeFileSync)(this.#reservePath, Buffer.alloc(RESERVE_BYTES));
    } catch {
      (0, import_node_fs.rmSync)(this.#reservePath, { force: true });
    }
  }
};
function testKey(record) {
  if (record.type !== "start" && record.type !== "test" && record.type !== "not-run") return void 0;
  if (typeof record.id !== "string") return void 0;
  return `${String(record.file)}\0${record.id}`;
}

// src/preload/tracer.ts
var import_node_inspector = require("node:inspector");
var import_node_path2 = __toESM(require("node:path"), 1);
var import_node_url = require("node:url");
var import_types = require("node:util/types");
var SAMPLING_INTERVAL = 16384;
var SMALLEST_BUFFER = 64 * 1024;
var MAX_SITES = 10;
var MAX_STACK = 8;
var STACK_FRAMES = 25;
var Tracer = class {
  #rootdir;
  #smallest;
  #session;
  #buffers = [];
  #restore;
  /** `limit`: a site that holds under a hundredth of it explains no leak. */
  constructor(rootdir, limit) {
    this.#rootdir = rootdir;
    this.#smallest = limit / 100;
  }
  begin() {
    const session = new import_node_inspector.Session();
    session.connect();
    this.#session = session;
    post(session, "HeapProfiler.enable");
    post(session, "HeapProfiler.startSampling", { samplingInterval: SAMPLING_INTERVAL });
    this.#watchBuffers();
  }
  /** What the run allocated and still holds, by site: call after a full collection. */
  end() {
    const watched = this.#buffers;
    this.#buffers = [];
    const session = this.#session;
    this.#session = void 0;
    this.#restore?.();
    this.#restore = void 0;
    if (session === void 0) return { sites: [], traced: 0, external: 0 };
    let profile;
    try {
      profile = post(session, "HeapProfiler.getSamplingProfile").profile;
    } finally {
      post(session, "HeapProfiler.stopSampling");
      session.disconnect();
    }
    const places = /* @__PURE__ */ new Map();
    let traced = 0;
    const add2 = (stack, size, count) => {
      traced += size;
      const frames = stack.filter((frame) => !this.#isPlumbing(frame.file));
      const where = frames.find((frame) => this.#isProject(frame.file)) ?? frames[0];
      if (where === void 0) return;
      const key = `${where.file}
${where.line}
${where.function}`;
      const place = places.get(key);
      const from = frames.slice(frames.indexOf(where), frames.indexOf(where) + MAX_STACK);
      if (place === void 0) places.set(key, { ...where, size, count, stack: from });
      else {
        place.size += size;
        place.count += count;
      }
    };
    const stacks = heapStacks(profile.head, asRunnerPlaces());
    for (const sample of profile.samples) {
      const stack = stacks(sample.nodeId);
      if (stack.some((frame) => frame.file === __filename && frame.function === callers.name)) continue;
      const scale = 1 / (1 - Math.exp(-sample.size / SAMPLING_INTERVAL));
      add2(stack, sample.size * scale, scale);
    }
    const heap = traced;
    const alive = watched.filter((kept) => kept.buffer.deref() !== void 0);
    for (const kept of alive) add2(kept.stack, kept.size, 1);
    const sites = [...places.values()].filter((site) => site.size >= this.#smallest).sort((a, b) => b.size - a.size).slice(0, MAX_SITES).map((site) => ({ ...site, size: Math.round(site.size), count: Math.round(site.count) }));
    return { sites, traced: Math.round(traced), external: Math.round(traced - heap) };
  }
  /** Records the stack of each large Buffer made while the run is traced, with a weak hold on its memory. */
  #watchBuffers() {
    const factories = ["alloc", "allocUnsafe", "allocUnsafeSlow", "from"];
    const buffers = Buffer;
    const originals = factories.map((name) => [name, buffers[name]]);
    const watched = this.#buffers;
    for (const [name, original] of originals) {
      if (original === void 0) continue;
      const wrapped = function(...args) {
        const buffer = original.apply(this, args);
        const memory = buffer.buffer;
        const made = buffer.byteOffset === 0 && !(name === "from" && (0, import_types.isAnyArrayBuffer)(args[0])) && (memory.byteLength >= SMALLEST_BUFFER || memory.byteLength === Buffer.poolSize && buffer.byteLength < memory.byteLength);
        if (made) watched.push({ buffer: new WeakRef(memory), size: memory.byteLength, stack: callers(wrapped) });
        return buffer;
      };
      buffers[name] = wrapped;
    }
    this.#restore = () => {
      for (const [name, original] of originals) if (original !== void 0) buffers[name] = original;
    };
  }
  #isPlumbing(file) {
    return file === "" || file.startsWith("node:") || file === __filename || /[\\/]node_modules[\\/]/.test(file) || !import_node_path2.default.isAbsolute(file);
  }
  #isProject(file) {
    const relative = import_node_path2.default.relative(this.#rootdir, file);
    return !relative.startsWith("..") && !import_node_path2.default.isAbsolute(relative);
  }
};
function post(session, method, params) {
  const answer = {};
  session.post(method, params ?? {}, (error, result) => {
    if (error) answer.error = error;
    answer.result = result;
  });
  if (answer.error !== void 0) throw answer.error;
  return answer.result;
}
function heapStacks(head, place) {
  const parents = /* @__PURE__ */ new Map();
  const nodes = /* @__PURE__ */ new Map();
  const visit = (node, parent) => {
    nodes.set(node.id, node);
    parents.set(node.id, parent);
    for (const child of node.children) visit(child, node);
  };
  visit(head, void 0);
  const placed = /* @__PURE__ */ new Map();
  const stackOf = (id) => {
    const known = placed.get(id);
    if (known !== void 0) return known;
    const node = nodes.get(id);
    if (node === void 0) return [];
    const outer = parents.get(id);
    const outerStack = outer === void 0 ? [] : stackOf(outer.id);
    const stack = node.callFrame.url === "" ? outerStack : [place(node.callFrame), ...outerStack];
    placed.set(id, stack);
    return stack;
  };
  return stackOf;
}
function asRunnerPlaces() {
  const prepare = Error.prepareStackTrace;
  const known = /* @__PURE__ */ new Map();
  return ({ functionName, url, lineNumber, columnNumber }) => {
    const key = `${url}:${lineNumber}:${columnNumber}`;
    const function_ = functionName || "(anonymous)";
    let frame = known.get(key);
    if (frame === void 0) {
      frame = { file: fromUrl(url), line: lineNumber + 1, function: function_ };
      if (prepare !== void 0) {
        try {
          const site = new PositionCallSite(frame.file, lineNumber + 1, columnNumber + 1, functionName);
          const shown = prepare.call(Error, new Error(), [site]);
          const placed = typeof shown === "string" ? parseFrames(shown)[0] : void 0;
          if (placed !== void 0) frame = { ...placed, function: function_ };
        } catch {
        }
      }
      known.set(key, frame);
    }
    return frame;
  };
}
var PositionCallSite = class {
  #file;
  #line;
  #column;
  #function;
  constructor(file, line, column, name) {
    this.#file = file;
    this.#line = line;
    this.#column = column;
    this.#function = name;
  }
  getThis() {
    return void 0;
  }
  getTypeName() {
    return null;
  }
  getFunction() {
    return void 0;
  }
  getFunctionName() {
    return this.#function || null;
  }
  getMethodName() {
    return null;
  }
  getFileName() {
    return this.#file;
  }
  getScriptNameOrSourceURL() {
    return this.#file;
  }
  getScriptHash() {
    return "";
  }
  getLineNumber() {
    return this.#line;
  }
  getColumnNumber() {
    return this.#column;
  }
  getEnclosingLineNumber() {
    return this.#line;
  }
  getEnclosingColumnNumber() {
    return this.#column;
  }
  getPosition() {
    return 0;
  }
  getEvalOrigin() {
    return void 0;
  }
  getPromiseIndex() {
    return null;
  }
  isToplevel() {
    return false;
  }
  isEval() {
    return false;
  }
  isNative() {
    return false;
  }
  isConstructor() {
    return false;
  }
  isAsync() {
    return false;
  }
  isPromiseAll() {
    return false;
  }
  toString() {
    return `${this.#function || "<anonymous>"} (${this.#file}:${this.#line}:${this.#column})`;
  }
};
function parseFrames(stack) {
  const lines = stack.split("\n").filter((text) => /^\s+at /.test(text));
  return lines.flatMap((text, at) => {
    const match = /^\s+at (?:(.*?) \()?(.+?):(\d+):\d+\)?$/.exec(text);
    if (!match) return [];
    const [, shown, file = "", line = "0"] = match;
    return [{ file: fromUrl(file), line: Number(line), function: shown ?? "", shown, at }];
  });
}
function fromUrl(url) {
  if (!url.startsWith("file:")) return url;
  try {
    return (0, import_node_url.fileURLToPath)(url);
  } catch {
    return url;
  }
}
function callers(below) {
  const stackTraceLimit = Error.stackTraceLimit;
  const prepareStackTrace = Error.prepareStackTrace;
  const formatted = {};
  const structured = {};
  let text;
  let callSites;
  try {
    Error.stackTraceLimit = STACK_FRAMES;
    Error.captureStackTrace(formatted, below);
    text = formatted.stack;
    Error.prepareStackTrace = (_error, sites2) => sites2;
    Error.captureStackTrace(structured, below);
    callSites = structured.stack;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (typeof text !== "string") return [];
  const lines = text.split("\n").filter((line) => /^\s+at /.test(line)).length;
  const sites = Array.isArray(callSites) ? callSites : [];
  return parseFrames(text).map(({ file, line, shown, at }) => {
    const mapped = at === 0 && /(^|\.)(alloc|allocUnsafe|allocUnsafeSlow|from)$/.test(shown ?? "") ? "" : shown;
    const name = sites.length === lines ? sites[at]?.getFunctionName() : mapped?.replace(/^async /, "");
    return { file, line, function: name || "(anonymous)" };
  });
}

// src/preload/recorder.ts
var realSetImmediate = setImmediate;
var confirming = process.env.LEAKWATCH_CONFIRM !== void 0;
var NOTHING = { kept: 0, heap: 0, external: 0, rss: 0, young: 0 };
var YOUNG_SPACES = /* @__PURE__ */ new Set(["new_space", "new_large_object_space"]);
var COLLECTION_SHARE = 0.025;
var COLLECTION_ALLOWANCE_MS = 50;
var HEAP_COLLECTED_PER_MS = 1e6;
var FULL_COLLECTIONS = /* @__PURE__ */ new Set(["MarkSweepCompact", "Unknown"]);
var YOUNG_COLLECTIONS = /* @__PURE__ */ new Set(["Scavenge", "MinorMarkSweep", "MinorMarkCompact"]);
var Recorder = class {
  #running = /* @__PURE__ */ new Map();
  #collectGarbage;
  #header;
  #directory = process.env.LEAKWATCH_DIR;
  /** A test keeping more than this (LEAKWATCH_LIMIT) leaks. */
  #limit = Number(process.env.LEAKWATCH_LIMIT) || 1e7;
  /**
   * How much the cheap readings grew since the last full collection: an upper bound on the garbage that full
   * collection would free, which a cheap reading before a test counts as memory the test may later seem to free.
   */
  #growthSinceSettled = Number.POSITIVE_INFINITY;
  /**
   * What the last reading at a test's end (or a full collection) showed. What the runner allocates between tests (Jest
   * transforms and caches files) shows in no test's change, yet may be garbage by the next test: it counts as growth.
   */
  #lastReading;
  #testsSinceSettled = 0;
  /** When the last full collection was, how long it took (ms), and the heap it walked (see #expectedSettleCost). */
  #settledAt = 0;
  #settleCost = 0;
  #heapAtSettle = 0;
  #fullCollections = 0;
  #collectionMs = 0;
  /** With no runs alone to come, the suite's figures are the verdict: every one near the limit is settled. */
  #figuresAreVerdicts = process.env.LEAKWATCH_CONFIRM_RUNS === "0";
  /**
   * Runners free a finished test file's state when the next file starts (Jest its module registry, a Mocha --parallel
   * worker its suite): the first test of each file starts settled. Mocha in one process loads every file at once and
   * frees nothing between them.
   */
  #freesStateBetweenFiles;
  #glanceAtNextStart = false;
  /** The file of the last test started: a runner frees a finished file's module state as the next file starts. */
  #lastFile;
  #file;
  /** When tracing, how many runs of each test were measured, by file and titles: the run after them is traced. */
  #runsMeasured = /* @__PURE__ */ new Map();
  /** The traced run under way, by the runner's object for it. */
  #traced = /* @__PURE__ */ new Map();
  #tracer;
  /** Why tracing stopped, when it failed. */
  #tracingFailed;
  /** Nothing more is measured: leakwatch is not running this process, or measuring failed. */
  #broken = this.#directory === void 0;
  constructor(runner, runnerVersion, worker) {
    this.#freesStateBetweenFiles = runner !== "mocha" || worker !== "main";
    this.#header = {
      type: "process",
      runner,
      runnerVersion,
      pid: process.pid,
      worker,
      rootdir: process.cwd(),
      platform: process.platform,
      measures: "heap",
      sharedProcess: !import_node_worker_threads.isMainThread
    };
    const collector = threadCollector ?? reachGarbageCollector();
    if (typeof collector === "function") this.#collectGarbage = collector;
    else this.#header.error = collector;
    import_node_v8.default.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
  }
  /** Call before the test's first beforeEach hook. `key` is the runner's own object for the test. */
  start(key, identity, options = {}) {
    if (this.#broken) return;
    delete process.env.LEAKWATCH_DIR;
    if (tracing && (this.#runsMeasured.get(runKey(identity)) ?? 0) >= measuredRuns) {
      this.#beginTraced(key, identity);
      return;
    }
    this.#guard(() => {
      if (this.#collectGarbage === void 0) {
        this.#broken = true;
        this.#write({ type: "not-run" });
        return;
      }
      const running = [...this.#running.values()];
      const others = running.filter((test) => !isWithin(identity, test.identity));
      for (const test of others) test.overlapped = true;
      const firstOfFile = this.#lastFile === void 0 || this.#freesStateBetweenFiles && identity.file !== this.#lastFile;
      this.#lastFile = identity.file;
      const settle = firstOfFile ? this.#canSettle(true) : this.#settleIsDue() && this.#canSettle();
      if (firstOfFile && !settle) this.#growthSinceSettled = Number.POSITIVE_INFINITY;
      const before = settle ? this.#settle() : firstOfFile ? this.#glance() : this.#startReading();
      if (!settle && this.#lastReading !== void 0) {
        this.#growthSinceSettled += Math.max(0, before.kept - this.#lastReading);
      }
      this.#glanceAtNextStart = false;
      const collections = watchCollections();
      this.#running.set(key, {
        identity,
        attempt: options.attempt ?? 0,
        locate: options.locate,
        before,
        startedAt: performance.now(),
        overlapped: options.concurrent === true || others.length > 0,
        parent: running.reverse().find((test) => isWithin(identity, test.identity)),
        keptBySubtests: NOTHING,
        garbageAtStart: this.#growthSinceSettled,
        collections
      });
      this.#write({
        type: "start",
        id: identity.titles.join(" > "),
        ...identity,
        before: before.kept,
        rss: before.rss
      });
    });
  }
  /**
   * The number of tests the runner will run in a test file (`file` absolute), or in the whole process, told as soon as
   * the runner knows. Runs alone, which run one test, tell nothing.
   */
  collected(count, file) {
    if (this.#directory === void 0 || confirming) return;
    this.#guard(() => {
      this.#write({ type: "collected", count, ...file === void 0 ? {} : { file } });
    });
  }
  /** This runner version cannot be measured: says so, in words that name it and what is supported, and stops. */
  unsupported(message) {
    if (this.#broken) return;
    this.#header.unsupported = message;
    this.#header.error = message;
    this.#guard(() => {
      this.#write({ type: "not-run" });
    });
    this.#broken = true;
  }
  /**
   * Call after the test's last afterEach hook. A promise when the test's figure waits for the event loop to turn: the
   * runner's hook returns it, and the runner waits for it.
   */
  finish(key, outcome) {
    const traced = this.#traced.get(key);
    if (traced !== void 0) return this.#endTraced(key, traced);
    const test = this.#running.get(key);
    if (test === void 0 || this.#broken) return void 0;
    this.#running.delete(key);
    let settling;
    this.#guard(() => {
      const collections = test.collections?.stop()?.statistics ?? [];
      const freedByFull = freedBy(collections, FULL_COLLECTIONS);
      const youngGarbageAtStart = test.before.young + test.garbageAtStart;
      let freedByYoung = freedBy(collections, YOUNG_COLLECTIONS);
      let hidden = freedByFull + Math.min(youngGarbageAtStart, freedByYoung);
      let after = this.#readUsage();
      let change = subtract(after, test.before);
      if (change.kept + hidden > this.#limit / 4) {
        const unglanced = after.kept;
        after = this.#glance();
        change = subtract(after, test.before);
        freedByYoung += Math.max(0, unglanced - after.kept);
        hidden = freedByFull + Math.min(youngGarbageAtStart, freedByYoung);
      }
      const high = change.kept > this.#limit / 4;
      let unsettled = high && !this.#canSettle(true);
      if (high && !unsettled) {
        const glanced = after.kept;
        after = this.#settle();
        hidden += Math.min(glanced - after.kept, test.garbageAtStart);
        const stillHigh = subtract(after, test.before).kept > this.#limit / 4;
        unsettled = stillHigh && !this.#canSettle(true);
        if (stillHigh && !unsettled) {
          settling = turnEventLoop().then(() => {
            this.#guard(() => {
              this.#conclude(test, this.#settle(), hidden, outcome);
              this.#glanceAtNextStart = true;
            });
          });
          return;
        }
      } else {
        this.#growthSinceSettled += Math.max(0, change.kept);
        this.#testsSinceSettled += 1;
      }
      this.#conclude(test, after, hidden, outcome, unsettled);
    });
    return settling;
  }
  /**
   * Writes the test's figure: what it kept from `before` to `after`, and how much garbage could have hidden;
   * `unsettled`: no full collection fitted in the time, so garbage may make up part of it.
   */
  #conclude(test, after, hidden, outcome, unsettled = false) {
    const change = subtract(after, test.before);
    const kept = subtract(change, test.keptBySubtests);
    this.#lastReading = after.kept;
    const limit = this.#limit;
    const disturbed = kept.kept + hidden < -limit / 4 || kept.kept <= limit && kept.kept + hidden > limit;
    const notable = disturbed || kept.kept > limit / 4;
    let line = test.identity.line;
    if (line === null && notable && test.locate !== void 0) line = test.locate();
    if (test.parent) test.parent.keptBySubtests = add(test.parent.keptBySubtests, change);
    if (tracing) {
      const key = runKey(test.identity);
      this.#runsMeasured.set(key, (this.#runsMeasured.get(key) ?? 0) + 1);
    }
    this.#write({
      type: "test",
      id: test.identity.titles.join(" > "),
      ...test.identity,
      line,
      before: test.before.kept,
      after: after.kept,
      delta: kept.kept,
      heapDelta: kept.heap,
      externalDelta: kept.external,
      rssDelta: import_node_worker_threads.isMainThread ? kept.rss : null,
      peak: null,
      allocatedBlocks: null,
      duration: (performance.now() - test.startedAt) / 1e3,
      outcome,
      ...test.overlapped ? { overlapped: true } : {},
      ...disturbed ? { disturbed: true } : {},
      ...unsettled ? { unsettled: true } : {},
      ...test.attempt > 0 ? { attempt: test.attempt } : {}
    });
  }
  /** Forgets a test that was started but will not run (a runner that announces skipped tests too). */
  forget(key) {
    const test = this.#running.get(key);
    if (test === void 0) return;
    this.#running.delete(key);
    test.collections?.stop();
    this.#guard(() => {
      this.#write({ type: "not-run", id: test.identity.titles.join(" > "), ...test.identity });
    });
  }
  /**
   * Memory freed between tests (an afterAll hook, a cache a test clears) stays as garbage that no cheap reading shows,
   * and a full collection at a later test's end would credit it to that test. Starts are settled now and then to keep
   * such garbage from piling up: after 50 tests at least, and no more than a twentieth of the time. A test whose
   * figure garbage could still have hidden is marked disturbed, and run again alone.
   */
  #settleIsDue() {
    return this.#testsSinceSettled >= 50 && performance.now() - this.#settledAt > 20 * this.#settleCost;
  }
  /**
   * Whether a full collection, at what it is expected to cost, keeps them all within COLLECTION_SHARE of the time so
   * far. Runs alone always settle; so do a suspect's figure and a file's first start when no run alone is to come
   * after them, as then those figures are the verdicts.
   */
  #canSettle(forVerdict = false) {
    if (confirming || forVerdict && this.#figuresAreVerdicts) return true;
    const expected = this.#collectionMs + this.#expectedSettleCost();
    return expected <= COLLECTION_ALLOWANCE_MS + COLLECTION_SHARE * performance.now();
  }
  /**
   * What the next full collection should cost (ms): the last one's, grown with the heap since; before any, what the
   * heap's size says. The first one is budgeted too: on a large heap it alone is a tenth of a one-second run.
   */
  #expectedSettleCost() {
    const heap = import_node_v8.default.getHeapStatistics().used_heap_size;
    if (this.#heapAtSettle === 0) return heap / HEAP_COLLECTED_PER_MS;
    return this.#settleCost * Math.max(1, heap / this.#heapAtSettle);
  }
  /**
   * A cheap reading, after a young-generation collection (a tenth of a millisecond): it frees a test's short-lived
   * objects and Buffers, and counts old-generation garbage as kept. So it shows less than a test kept only by garbage
   * from before the test that a collection freed meanwhile, which is bounded and checked (see `disturbed`): a test it
   * shows under a quarter of the limit did not leak, and its figure stands; any other is read again after a full
   * collection.
   */
  #glance() {
    this.#collectGarbage?.({ type: "minor" });
    return this.#readUsage();
  }
  /**
   * A test's start, read with no collection at all (microseconds). V8 may free young garbage from before the test while
   * it runs, which makes its figure smaller by as much: that is bounded (see finish), and a figure it could matter to
   * is run again alone. Runs alone, whose figures are the verdict, collect the young generation first.
   */
  #startReading() {
    return confirming || this.#glanceAtNextStart ? this.#glance() : this.#readUsage();
  }
  /** A settled reading, after a full collection: milliseconds, and more on a large heap. */
  #settle() {
    const started = performance.now();
    this.#collectGarbage?.();
    this.#collectGarbage?.({ type: "minor" });
    this.#growthSinceSettled = 0;
    this.#testsSinceSettled = 0;
    this.#settledAt = performance.now();
    this.#settleCost = this.#settledAt - started;
    this.#collectionMs += this.#settleCost;
    this.#fullCollections += 1;
    const reading = this.#readUsage();
    this.#heapAtSettle = Math.max(1, reading.heap);
    this.#lastReading = reading.kept;
    return reading;
  }
  /** The heap's figures cost microseconds; resident memory ten (it is read from the system). */
  #readUsage() {
    const { used_heap_size: heap, external_memory: external } = import_node_v8.default.getHeapStatistics();
    let young = 0;
    for (const space of import_node_v8.default.getHeapSpaceStatistics()) {
      if (YOUNG_SPACES.has(space.space_name)) young += space.space_used_size;
    }
    const rss = import_node_worker_threads.isMainThread ? residentMemory() : 0;
    return { kept: heap + external, heap, external, rss, young };
  }
  #write(record) {
    if (this.#file === void 0) {
      const file = new RecordsFile(
        `${this.#directory ?? ""}/node-${process.pid}-${import_node_worker_threads.threadId}-${Date.now()}.jsonl`,
        () => this.#header
      );
      this.#file = file;
      const atExit = import_node_worker_threads.isMainThread ? onExit : (close) => process.on("exit", close);
      atExit(() => {
        file.close({
          type: "end",
          ...import_node_worker_threads.isMainThread ? { maxRss: process.resourceUsage().maxRSS * 1024 } : {},
          fullCollections: this.#fullCollections,
          collectionSeconds: this.#collectionMs / 1e3,
          elapsed: performance.now() / 1e3
        });
      });
    }
    this.#file.write(record);
  }
  /** A confirmed leak's traced run, after the run that warms it up: it writes no figure, only where its memory went. */
  #beginTraced(key, identity) {
    const traced = this.#tracingFailed === void 0;
    this.#traced.set(key, { identity, traced });
    if (!traced) return;
    this.#traceSafely(identity, () => {
      this.#settle();
      this.#tracer ??= new Tracer(process.cwd(), this.#limit);
      this.#tracer.begin();
    });
  }
  /** After the traced run: what it still holds once WeakRefs may go (a turn of the event loop) and all is collected. */
  #endTraced(key, { identity, traced }) {
    this.#traced.delete(key);
    return turnEventLoop().then(() => {
      this.#traceSafely(identity, () => {
        this.#settle();
        if (!traced || this.#tracer === void 0) return;
        const found = this.#tracer.end();
        this.#write({ type: "trace", id: identity.titles.join(" > "), ...identity, ...found });
        this.#settle();
      });
    });
  }
  /** Tracing is an extra: its failure ends tracing, says why, and never ends measuring. */
  #traceSafely(identity, action) {
    try {
      action();
    } catch (error) {
      this.#tracingFailed = `tracing allocations failed: ${String(error)}`;
      try {
        this.#tracer?.end();
      } catch {
      }
      this.#guard(() => {
        this.#write({ type: "trace", id: identity.titles.join(" > "), ...identity, stopped: this.#tracingFailed });
      });
    }
  }
  /** Measuring must never break the run: the first failure is written down, if it can be, and measuring stops. */
  #guard(action) {
    try {
      action();
    } catch (error) {
      this.#broken = true;
      try {
        this.#write({ type: "error", error: String(error) });
      } catch {
      }
    }
  }
};
var statm;
function residentMemory() {
  if (statm === void 0) {
    try {
      const pages = Number(/^\s*\d+\s+(\d+)/.exec((0, import_node_fs2.readFileSync)("/proc/self/statm", "latin1"))?.[1]);
      const pageSize = 2 ** Math.round(Math.log2(process.memoryUsage.rss() / pages));
      const usable = Number.isFinite(pageSize) && pageSize >= 1024;
      statm = usable ? { fd: (0, import_node_fs2.openSync)("/proc/self/statm", "r"), buffer: Buffer.alloc(128), pageSize } : null;
    } catch {
      statm = null;
    }
  }
  if (statm === null) return process.memoryUsage.rss();
  try {
    const length = (0, import_node_fs2.readSync)(statm.fd, statm.buffer, 0, statm.buffer.length, 0);
    const pages = /^\d+ (\d+) \d+ \d+ \d+ \d+ \d+\n$/.exec(statm.buffer.toString("latin1", 0, length))?.[1];
    if (pages !== void 0) return Number(pages) * statm.pageSize;
  } catch {
  }
  statm = void 0;
  return process.memoryUsage.rss();
}
function runKey(identity) {
  return [identity.file, ...identity.titles].join("\0");
}
function turnEventLoop() {
  return new Promise((resolve) => {
    realSetImmediate(() => {
      realSetImmediate(resolve);
    });
  });
}
function watchCollections() {
  const Profiler = import_node_v8.default.GCProfiler;
  if (Profiler === void 0) return void 0;
  const profiler = new Profiler();
  profiler.start();
  return profiler;
}
function freedBy(collections, kinds) {
  let freed = 0;
  for (const { gcType, beforeGC, afterGC } of collections) {
    if (kinds.has(gcType)) freed += Math.max(0, figure(beforeGC) - figure(afterGC));
  }
  return freed;
}
function figure({ heapStatistics }) {
  return heapStatistics.usedHeapSize + (heapStatistics.externalMemory ?? 0);
}
function subtract(a, b) {
  return {
    kept: a.kept - b.kept,
    heap: a.heap - b.heap,
    external: a.external - b.external,
    rss: a.rss - b.rss,
    young: a.young - b.young
  };
}
function add(a, b) {
  return {
    kept: a.kept + b.kept,
    heap: a.heap + b.heap,
    external: a.external + b.external,
    rss: a.rss + b.rss,
    young: a.young + b.young
  };
}
function reachGarbageCollector() {
  try {
    return garbageCollector();
  } catch (error) {
    return String(error);
  }
}
var threadCollector = import_node_worker_threads.isMainThread || process.env.LEAKWATCH_DIR === void 0 ? void 0 : reachGarbageCollector();
function garbageCollector() {
  const exposed = globalThis.gc;
  if (typeof exposed === "function") return exposed;
  for (let attempt = 0; attempt < 5; attempt++) {
    import_node_v8.default.setFlagsFromString("--expose-gc");
    const gc = import_node_vm.default.runInNewContext('typeof gc === "function" ? gc : undefined');
    import_node_v8.default.setFlagsFromString("--no-expose-gc");
    if (typeof gc === "function") return gc;
  }
  throw new Error("leakwatch could not reach V8 garbage collection in this process");
}
function packageVersion(packageDirectory) {
  try {
    const { version } = JSON.parse((0, import_node_fs2.readFileSync)(import_node_path3.default.join(packageDirectory, "package.json"), "utf8"));
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

// src/preload/jest.ts
var CIRCUS_RUNNER = /[\\/]jest-circus[\\/](?:build[\\/])?runner\.js$/;
var JEST_CLI = /[\\/]jest(?:-cli)?[\\/]bin[\\/]jest\.js$/;
function hookJest() {
  if (confirmTargets !== void 0) narrowJestCli(confirmTargets);
  const loader = import_node_module.default;
  const load2 = loader._load;
  const replacements = /* @__PURE__ */ new WeakMap();
  loader._load = function(request, ...rest) {
    const loaded = load2.call(this, request, ...rest);
    if (!CIRCUS_RUNNER.test(request) || typeof loaded !== "object" && typeof loaded !== "function" || !loaded) {
      return loaded;
    }
    if (!replacements.has(loaded)) {
      const version = packageVersion(import_node_path4.default.dirname(request).replace(/[\\/]build$/, ""));
      const recorder3 = new Recorder("jest", version, workerName());
      const [major = 0, minor = 0] = version.split(".").map(Number);
      if (major < 29) {
        recorder3.unsupported(`Jest ${version} is not supported: leakwatch measures Jest 29 and 30 (jest-circus)`);
      }
      const startEvent = major > 29 || major === 29 && minor >= 6 ? "test_started" : "test_start";
      const jest = new JestObserver(recorder3, major, startEvent);
      if (typeof loaded === "function") replacements.set(loaded, jest.wrap(loaded));
      else {
        const exports2 = loaded;
        if (typeof exports2.default === "function") exports2.default = jest.wrap(exports2.default);
        replacements.set(loaded, loaded);
      }
    }
    return replacements.get(loaded);
  };
}
function narrowJestCli(targets) {
  let script;
  try {
    script = (0, import_node_fs3.realpathSync)(process.argv[1] ?? "");
  } catch {
    return;
  }
  if (!JEST_CLI.test(script)) return;
  const names = new Set(targets.tests.map((test) => import_node_path4.default.basename(test.file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  const end = process.argv.includes("--") ? process.argv.indexOf("--") : process.argv.length;
  const options = withoutOption(withoutWorkerCounts(process.argv.slice(0, end)), "--shard");
  process.argv = [...options, "--runInBand", "--no-bail", ...names, ...process.argv.slice(end)];
}
var WORKER_COUNT = /^(?:--maxWorkers|--max-workers|-w)$/;
function withoutWorkerCounts(args) {
  return args.filter((arg, index) => {
    const isCount = WORKER_COUNT.test(arg) || /^(?:--maxWorkers=|--max-workers=|-w=?\d)/.test(arg);
    return !isCount && !WORKER_COUNT.test(args[index - 1] ?? "");
  });
}
var JestObserver = class {
  constructor(recorder3, majorVersion, startEvent) {
    this.recorder = recorder3;
    this.majorVersion = majorVersion;
    this.startEvent = startEvent;
  }
  recorder;
  majorVersion;
  startEvent;
  /** Test files (their root blocks) that hold concurrent tests, which Jest 29 starts all at once. */
  #withConcurrentTests = /* @__PURE__ */ new WeakMap();
  wrap(adapter) {
    const observe = this.observe.bind(this);
    const recorder3 = this.recorder;
    return function(globalConfig, config, environment, runtime, testPath, ...rest) {
      const own = environment.handleTestEvent;
      environment.handleTestEvent = function(event, state) {
        if (event.name === "run_start") {
          const circus = state;
          if (confirmTargets !== void 0) keepOnlyTargets(confirmTargets, circus.rootDescribeBlock, testPath);
          countTests(recorder3, circus, testPath);
        }
        if (event.name !== "test_done") void observe(event, testPath);
        const result = own?.call(this, event, state);
        if (event.name !== "test_done") return result;
        const pending = result;
        if (typeof pending?.then === "function") return Promise.resolve(result).then(() => observe(event, testPath));
        return observe(event, testPath);
      };
      return adapter.call(this, globalConfig, config, environment, runtime, testPath, ...rest);
    };
  }
  observe(event, testPath) {
    const test = event.test;
    try {
      if (test === void 0) return void 0;
      if (event.name === this.startEvent) {
        if (this.startEvent === "test_start" && isMarkedSkipped(test)) return void 0;
        const identity = { titles: titles(test), file: testPath, line: null };
        const concurrent = test.concurrent === true || this.majorVersion < 30 && this.#fileHasConcurrentTests(test);
        const attempt = (test.invocations ?? 1) - 1;
        this.recorder.start(test, identity, { concurrent, attempt, locate: () => lineOf(test, testPath) });
      } else if (event.name === "test_done") {
        return this.recorder.finish(test, test.errors.length > 0 ? "failed" : "passed");
      } else if (event.name === "test_skip" || event.name === "test_todo") {
        this.recorder.forget(test);
      }
    } catch {
    }
    return void 0;
  }
  #fileHasConcurrentTests(test) {
    let root = test.parent;
    while (root?.parent !== void 0) root = root.parent;
    if (root === void 0) return false;
    let found = this.#withConcurrentTests.get(root);
    if (found === void 0) {
      found = holdsConcurrentTests(root);
      this.#withConcurrentTests.set(root, found);
    }
    return found;
  }
};
function keepOnlyTargets(targets, root, testPath) {
  const visit = (block) => {
    const children = block.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (child === void 0) continue;
      if (child.type === "describeBlock") visit(child);
      else if (!isTarget(targets, testPath, titles(child))) child.mode = "skip";
      else {
        const copies = Array.from({ length: targets.runs - 1 }, () => ({
          ...child,
          duration: null,
          errors: [],
          invocations: 0,
          numPassingAsserts: 0,
          retryReasons: [],
          seenDone: false,
          startedAt: null,
          status: null,
          unhandledRejectionErrorByPromise: /* @__PURE__ */ new Map()
        }));
        children.splice(index + 1, 0, ...copies);
      }
    }
  };
  if (root !== void 0) visit(root);
}
function countTests(recorder3, state, testPath) {
  try {
    let count = 0;
    const visit = (block, skipped) => {
      for (const child of block.children ?? []) {
        const skip = skipped || child.mode === "skip";
        if (child.type === "describeBlock") visit(child, skip);
        else if (!skip && child.mode !== "todo" && (state.hasFocusedTests !== true || child.mode === "only") && (!state.testNamePattern || state.testNamePattern.test(titles(child).join(" ")))) {
          count += 1;
        }
      }
    };
    if (state.rootDescribeBlock === void 0) return;
    visit(state.rootDescribeBlock, false);
    recorder3.collected(count, testPath);
  } catch {
  }
}
function isMarkedSkipped(test) {
  if (test.mode === "skip" || test.mode === "todo") return true;
  for (let block = test.parent; block !== void 0; block = block.parent) if (block.mode === "skip") return true;
  return false;
}
function holdsConcurrentTests(block) {
  return (block.children ?? []).some(
    (child) => child.type === "test" ? child.concurrent === true : holdsConcurrentTests(child)
  );
}
function titles(test) {
  const names = [test.name];
  for (let block = test.parent; block?.parent !== void 0; block = block.parent) names.unshift(block.name);
  return names;
}
function lineOf(test, testPath) {
  const error = test.asyncError;
  const stack = typeof error === "object" && error !== null ? error.stack : void 0;
  if (typeof stack !== "string") return null;
  for (const frame of stack.split("\n")) {
    const index = frame.indexOf(testPath);
    if (index === -1) continue;
    const match = /^:(\d+):\d+/.exec(frame.slice(index + testPath.length));
    if (match?.[1] !== void 0) return Number(match[1]);
  }
  return null;
}
function workerName() {
  const id = process.env.JEST_WORKER_ID;
  return id === void 0 ? "main" : `worker ${id}`;
}

// src/preload/mocha.ts
var import_node_fs4 = require("node:fs");
var recorder;
function beforeEach() {
  const test = this.currentTest;
  if (test === void 0) return;
  recorder ??= new Recorder("mocha", mochaVersion(), workerName2());
  const identity = { titles: test.titlePath(), file: test.file ?? "", line: null };
  recorder.start(test, identity, { attempt: test.currentRetry() });
}
function afterEach() {
  const test = this.currentTest;
  if (test === void 0) return void 0;
  if (test.state === "pending") {
    recorder?.forget(test);
    return void 0;
  }
  return recorder?.finish(test, test.state === "passed" ? "passed" : test.state === "failed" ? "failed" : "error");
}
var mochaHooks = {
  beforeAll() {
    const root = this.test?.parent;
    moveHook(root?._beforeEach, beforeEach, "first");
    moveHook(root?._afterEach, afterEach, "last");
    if (confirmTargets !== void 0 && root !== void 0) keepOnlyTargets2(confirmTargets, root);
    if (root !== void 0) countTests2(root);
  },
  beforeEach,
  afterEach
};
function keepOnlyTargets2(targets, suite) {
  suite._bail = false;
  const tests = suite.tests ?? [];
  const kept = tests.filter((test) => isTarget(targets, test.file ?? "", test.titlePath()));
  tests.splice(
    0,
    tests.length,
    ...kept.flatMap((test) => [test, ...Array.from({ length: targets.runs - 1 }, () => test.clone())])
  );
  for (const child of suite.suites ?? []) keepOnlyTargets2(targets, child);
}
function countTests2(root) {
  const counts = /* @__PURE__ */ new Map();
  const visit = (suite) => {
    if (suite.pending === true) return;
    for (const test of suite.tests ?? []) {
      if (test.pending !== true && test.file !== void 0) counts.set(test.file, (counts.get(test.file) ?? 0) + 1);
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  visit(root);
  if (counts.size === 0) return;
  recorder ??= new Recorder("mocha", mochaVersion(), workerName2());
  for (const [file, count] of counts) recorder.collected(count, file);
}
function checkMochaCli() {
  let script;
  try {
    script = (0, import_node_fs4.realpathSync)(process.argv[1] ?? "");
  } catch {
    return;
  }
  if (!/[\\/]mocha[\\/](?:bin[\\/](?:_?mocha|mocha\.js)|lib[\\/]cli[\\/]cli\.js)$/.test(script)) return;
  const version = packageVersion(script.slice(0, script.search(/[\\/](?:bin|lib)[\\/][^\\/]*(?:[\\/]cli\.js)?$/)));
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > 10 || major === 10 && minor >= 5) return;
  new Recorder("mocha", version, "main").unsupported(
    `Mocha ${version} is not supported: leakwatch reaches Mocha's tests through MOCHA_OPTIONS, which Mocha reads from 10.5 on; upgrade to Mocha 10.5 or later`
  );
}
function moveHook(hooks, fn, where) {
  const index = hooks?.findIndex((hook2) => hook2.fn === fn) ?? -1;
  if (hooks === void 0 || index === -1) return;
  const [hook] = hooks.splice(index, 1);
  if (hook === void 0) return;
  if (where === "first") hooks.unshift(hook);
  else hooks.push(hook);
}
function mochaVersion() {
  const mochaFile = Object.keys(require.cache).find((file) => /[\\/]mocha[\\/]lib[\\/]/.test(file));
  return mochaFile === void 0 ? "unknown" : packageVersion(mochaFile.slice(0, mochaFile.search(/[\\/]lib[\\/]/)));
}
function workerName2() {
  return /[\\/]worker\.js$/.test(process.argv[1] ?? "") ? `worker ${process.pid}` : "main";
}

// src/preload/node-test.ts
var import_node_module2 = __toESM(require("node:module"), 1);
var import_node_child_process = require("node:child_process");
var PARENT_PID = "LEAKWATCH_NODE_TEST_PARENT";
function hookNodeTest() {
  const runsFilesHere = process.execArgv.some((arg) => /^--(experimental-)?test-isolation=none$/.test(arg));
  if (confirmTargets !== void 0 && process.env.NODE_TEST_CONTEXT === void 0 && process.execArgv.includes("--test")) {
    const files = [...new Set(confirmTargets.tests.map((test) => test.file))];
    if (process.execArgv.some((arg) => arg.startsWith("--test-shard"))) {
      const { status } = (0, import_node_child_process.spawnSync)(process.execPath, [...withoutOption(process.execArgv, "--test-shard"), ...files], {
        stdio: "inherit"
      });
      process.exit(status ?? 1);
    }
    process.argv = [process.argv[0] ?? process.execPath, ...files];
  }
  if (process.env.NODE_TEST_CONTEXT === void 0 && !runsFilesHere) {
    if (process.execArgv.includes("--test")) process.env[PARENT_PID] = String(process.pid);
    return;
  }
  if (!runsFilesHere && process.env[PARENT_PID] !== String(process.ppid)) return;
  const nodeTest = (0, import_node_module2.createRequire)(__filename)("node:test");
  const confine = confirmTargets === void 0 ? void 0 : keepOnlyTargets3(
    confirmTargets.runs,
    runsFilesHere ? confirmTargets.tests.map((test) => test.titles) : targetTitlesIn(confirmTargets, process.argv[1] ?? ""),
    nodeTest
  );
  const recorder3 = new Recorder("node-test", process.version, null);
  const ran = /* @__PURE__ */ new Map();
  process.on("exit", () => {
    for (const [file, count] of ran) recorder3.collected(count, file);
  });
  nodeTest.beforeEach((context) => {
    confine?.(context);
    const titles3 = titlesOfContext(context);
    const file = context.filePath ?? process.argv[1] ?? "";
    ran.set(file, (ran.get(file) ?? 0) + 1);
    recorder3.start(context, { titles: titles3, file, line: null });
    context.after(() => recorder3.finish(context, context.passed === false ? "failed" : "passed"));
  });
}
function titlesOfContext(context) {
  return (context.fullName ?? context.name).split(" > ");
}
function keepOnlyTargets3(runs, targets, nodeTest) {
  const path6 = [];
  const nameOf = (args) => {
    const fn = args.find((arg) => typeof arg === "function");
    return typeof args[0] === "string" ? args[0] : fn?.name || "<anonymous>";
  };
  const titlesOf = (args) => [...path6, nameOf(args)];
  const wanted = targets.map((titles3) => titles3.join(" > "));
  const onTargetPath = (titles3) => {
    const joined = titles3.join(" > ");
    return wanted.some((target) => target === joined || target.startsWith(`${joined} > `));
  };
  const isTarget2 = (titles3) => wanted.includes(titles3.join(" > "));
  const wrapSuite = (register) => Object.assign(function(...args) {
    const titles3 = titlesOf(args);
    if (!onTargetPath(titles3) || isTarget2(titles3)) return Promise.resolve();
    const index = args.findIndex((arg) => typeof arg === "function");
    const body = args[index];
    if (body !== void 0) {
      args[index] = function(...inner) {
        path6.push(titles3.at(-1) ?? "");
        try {
          return body.apply(this, inner);
        } finally {
          path6.pop();
        }
      };
    }
    return register.apply(this, args);
  }, register);
  const wrapTest = (register, titlesIn = (_, args) => titlesOf(args)) => Object.assign(function(...args) {
    const titles3 = titlesIn(this, args);
    if (!onTargetPath(titles3)) return Promise.resolve();
    if (!isTarget2(titles3)) return register.apply(this, args);
    let registered;
    for (let run = 0; run < runs; run++) registered = register.apply(this, args);
    return registered;
  }, register);
  const wrapped = { test: wrapTest(nodeTest.test), it: wrapTest(nodeTest.it) };
  const suites = { describe: wrapSuite(nodeTest.describe), suite: wrapSuite(nodeTest.suite) };
  Object.assign(nodeTest, wrapped, suites);
  (0, import_node_module2.syncBuiltinESMExports)();
  const asModule = Object.assign(wrapTest(nodeTest), nodeTest);
  const loader = import_node_module2.default;
  const load2 = loader._load;
  loader._load = function(request, ...rest) {
    const loaded = load2.call(this, request, ...rest);
    return loaded === nodeTest ? asModule : loaded;
  };
  importAs(asModule);
  let contextPatched = false;
  return (context) => {
    const prototype = Object.getPrototypeOf(context);
    if (contextPatched || typeof prototype?.test !== "function") return;
    contextPatched = true;
    prototype.test = wrapTest(prototype.test, (parent, args) => [
      ...titlesOfContext(parent),
      nameOf(args)
    ]);
  };
}
function importAs(wrapped) {
  const register = import_node_module2.default.register;
  if (register === void 0) return;
  const key = "leakwatch.node-test";
  globalThis[Symbol.for(key)] = wrapped;
  const names = Object.keys(wrapped).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
  const source = [
    `const wrapped = globalThis[Symbol.for(${JSON.stringify(key)})];`,
    "export default wrapped;",
    ...names.map((name) => `export const ${name} = wrapped[${JSON.stringify(name)}];`)
  ].join("\n");
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const hooks = [
    "export async function resolve(specifier, context, next) {",
    `  if (specifier === 'node:test' && !context.parentURL?.startsWith('data:')) return { url: ${JSON.stringify(url)}, shortCircuit: true };`,
    "  return next(specifier, context);",
    "}"
  ].join("\n");
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

// src/preload/vitest.ts
var import_node_fs5 = require("node:fs");
var import_node_path5 = __toESM(require("node:path"), 1);
var import_node_module3 = require("node:module");
var CONFIG_FILES = ["vitest.config", "vite.config"].flatMap(
  (name) => [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].map((extension) => name + extension)
);
var WORKSPACE_FILES = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"].map((ext) => `vitest.workspace${ext}`);
var VITEST_CLI = /[\\/]vitest[\\/]vitest\.mjs$/;
function hookVitestCli(preloadFile) {
  const script = realScript();
  if (!VITEST_CLI.test(script)) return;
  const args = process.argv.slice(2);
  const given = takeOption(args, ["--config", "-c"]);
  if (given === "false") return;
  const root = import_node_path5.default.resolve(takeOption([...args], ["--root", "-r"]) ?? ".");
  const userConfig = given === void 0 ? findConfig(root) : resolveConfig(given, root);
  const version = packageVersion(import_node_path5.default.dirname(script));
  if (Number.parseInt(version, 10) < 3) {
    new Recorder("vitest", version, "main").unsupported(
      `Vitest ${version} is not supported: leakwatch measures Vitest 3 and 4`
    );
    return;
  }
  const directory = import_node_path5.default.join(
    nearestNodeModules(userConfig ?? import_node_path5.default.join(root, "index"), script),
    ".cache",
    "leakwatch"
  );
  (0, import_node_fs5.mkdirSync)(directory, { recursive: true });
  const base = import_node_path5.default.join(directory, `vitest-${process.pid}`);
  const setupFile = `${base}.setup.mjs`;
  const configFile = `${base}.config.mjs`;
  (0, import_node_fs5.writeFileSync)(
    setupFile,
    [
      "import { beforeAll, beforeEach } from 'vitest';",
      "import { createRequire } from 'node:module';",
      `createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).hookVitestWorker(beforeEach, beforeAll);`,
      ""
    ].join("\n")
  );
  const workspace = Number.parseInt(version, 10) < 4 ? findWorkspace(userConfig, root) : void 0;
  (0, import_node_fs5.writeFileSync)(configFile, generatedConfig(userConfig, setupFile, workspace, preloadFile));
  process.on("exit", () => {
    (0, import_node_fs5.rmSync)(setupFile, { force: true });
    (0, import_node_fs5.rmSync)(configFile, { force: true });
  });
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  const options = confirmTargets === void 0 ? args.slice(0, end) : withoutOption(args.slice(0, end), "--shard");
  process.argv = [
    ...process.argv.slice(0, 2),
    ...options,
    "--config",
    configFile,
    ...confirmFilter(),
    ...args.slice(end)
  ];
  process.env.LEAKWATCH_VITEST_VERSION = version;
}
function confirmFilter() {
  if (confirmTargets === void 0) return [];
  return ["--no-file-parallelism", ...new Set(confirmTargets.tests.map((test) => import_node_path5.default.basename(test.file)))];
}
function realScript() {
  try {
    return (0, import_node_fs5.realpathSync)(process.argv[1] ?? "");
  } catch {
    return "";
  }
}
function generatedConfig(userConfig, setupFile, workspace, preloadFile) {
  return [
    "import { createRequire } from 'node:module';",
    userConfig === void 0 ? "const project = {};" : `import project from ${JSON.stringify(userConfig)};`,
    "",
    "const withSetup = (test = {}) => ({",
    "  ...test,",
    `  setupFiles: [${JSON.stringify(setupFile)}, ...[test.setupFiles ?? []].flat()],`,
    "});",
    "",
    "export default async (env) => {",
    "  const config = (await (typeof project === 'function' ? project(env) : project)) ?? {};",
    "  const test = withSetup(config.test);",
    ...workspace === void 0 ? [] : [`  test.workspace ??= ${JSON.stringify(workspace)};`],
    // Inline projects get the setup file too, unless they extend this configuration and so inherit it.
    '  for (const key of ["projects", "workspace"]) {',
    "    if (!Array.isArray(test[key])) continue;",
    "    test[key] = test[key].map((inline) =>",
    "      inline && typeof inline === 'object' && inline.extends !== true",
    "        ? { ...inline, test: withSetup(inline.test) }",
    "        : inline,",
    "    );",
    // Projects named by their files (or globs of them) load their own configurations, which no setup file reaches.
    "    const inFiles = test[key].filter((entry) => typeof entry === 'string');",
    "    if (inFiles.length > 0) {",
    `      createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).vitestProjectsInFiles(inFiles);`,
    "    }",
    "  }",
    "  return { ...config, test };",
    "};",
    ""
  ].join("\n");
}
function takeOption(args, names) {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg === "--") return void 0;
    if (arg === "--no-config" && names.includes("--config")) return "false";
    for (const name of names) {
      if (arg === name && index + 1 < args.length) return args.splice(index, 2)[1];
      if (arg.startsWith(`${name}=`)) return args.splice(index, 1)[0]?.slice(name.length + 1);
    }
  }
  return void 0;
}
function resolveConfig(given, root) {
  try {
    return (0, import_node_module3.createRequire)(import_node_path5.default.join(root, "index.js")).resolve(given);
  } catch {
    return import_node_path5.default.resolve(root, given);
  }
}
function findWorkspace(userConfig, root) {
  const directory = userConfig === void 0 ? root : import_node_path5.default.dirname(userConfig);
  return WORKSPACE_FILES.map((name) => import_node_path5.default.join(directory, name)).find((file) => (0, import_node_fs5.existsSync)(file));
}
function findConfig(root) {
  for (let directory = root; ; directory = import_node_path5.default.dirname(directory)) {
    const found = CONFIG_FILES.map((name) => import_node_path5.default.join(directory, name)).find((file) => (0, import_node_fs5.existsSync)(file));
    if (found !== void 0) return found;
    if (import_node_path5.default.dirname(directory) === directory) return void 0;
  }
}
function nearestNodeModules(from, vitestScript) {
  for (let directory = import_node_path5.default.dirname(from); ; directory = import_node_path5.default.dirname(directory)) {
    const candidate = import_node_path5.default.join(directory, "node_modules");
    if ((0, import_node_fs5.existsSync)(candidate)) return candidate;
    if (import_node_path5.default.dirname(directory) === directory) break;
  }
  return import_node_path5.default.resolve(vitestScript, "..", "..");
}
function vitestProjectsInFiles(projects) {
  const version = process.env.LEAKWATCH_VITEST_VERSION ?? "unknown";
  new Recorder("vitest", version, "main").unsupported(
    `Vitest ${version} projects defined in files of their own (${projects.join(", ")}) are not supported: leakwatch reaches only projects written inline in the configuration's test.projects`
  );
}
var recorder2;
var unfinished;
function hookVitestWorker(beforeEach2, beforeAll) {
  recorder2 ??= new Recorder("vitest", process.env.LEAKWATCH_VITEST_VERSION ?? "unknown", workerName3());
  const active = recorder2;
  const targets = confirmTargets;
  beforeAll(function() {
    const file = [...arguments].find((arg) => Array.isArray(arg?.tasks));
    if (file === void 0) return;
    if (targets !== void 0) keepOnlyTargets4(targets, file);
    else active.collected(countTests3(file), file.filepath);
  });
  beforeEach2(function() {
    const context = arguments[0];
    const { task } = context;
    if (unfinished !== void 0 && unfinished.result?.state === "skip") active.forget(unfinished);
    unfinished = task;
    const identity = { titles: titles2(task), file: task.file?.filepath ?? "", line: task.location?.line ?? null };
    active.start(task, identity, { concurrent: task.concurrent === true, attempt: task.result?.retryCount ?? 0 });
    context.onTestFinished(() => {
      unfinished = void 0;
      const state = task.result?.state;
      if (state !== "skip" && state !== "todo") return active.finish(task, state === "fail" ? "failed" : "passed");
      active.forget(task);
      return void 0;
    });
  });
}
function countTests3(task) {
  if (task.mode === "skip" || task.mode === "todo") return 0;
  if (task.tasks === void 0) return 1;
  return task.tasks.reduce((sum, child) => sum + countTests3(child), 0);
}
function keepOnlyTargets4(targets, file) {
  const visit = (task) => {
    if (task.type === "suite") {
      const holdsTarget = (task.tasks ?? []).map(visit).some(Boolean);
      if (!holdsTarget) task.mode = "skip";
      return holdsTarget;
    }
    const wanted = isTarget(targets, file.filepath ?? "", titles2(task));
    if (wanted) task.repeats = targets.runs - 1;
    else task.mode = "skip";
    return wanted;
  };
  for (const task of file.tasks ?? []) visit(task);
}
function titles2(task) {
  const names = [task.name];
  for (let suite = task.suite; suite !== void 0 && !("filepath" in suite); suite = suite.suite) {
    names.unshift(suite.name);
  }
  return names;
}
function workerName3() {
  const id = process.env.VITEST_POOL_ID;
  return id === void 0 ? "main" : `worker ${id}`;
}

// src/preload/index.ts
if (process.env.LEAKWATCH_DIR) {
  const runner = process.env.LEAKWATCH_RUNNER ?? "auto";
  const wanted = (name) => runner === name || runner === "auto";
  try {
    if (wanted("jest")) hookJest();
    if (wanted("node-test")) hookNodeTest();
    if (wanted("vitest")) hookVitestCli(__filename);
    if (wanted("mocha")) checkMochaCli();
  } catch (error) {
    process.emitWarning(`leakwatch could not hook the test runner: ${String(error)}`);
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  hookVitestWorker,
  mochaHooks,
  vitestProjectsInFiles
});
