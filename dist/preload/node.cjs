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
  mochaHooks: () => mochaHooks
});
module.exports = __toCommonJS(preload_exports);

// src/preload/jest.ts
var import_node_fs2 = require("node:fs");
var import_node_module = __toESM(require("node:module"), 1);
var import_node_path = __toESM(require("node:path"), 1);

// src/preload/recorder.ts
var import_node_fs = require("node:fs");
var import_node_worker_threads = require("node:worker_threads");
var import_node_v8 = __toESM(require("node:v8"), 1);
var import_node_vm = __toESM(require("node:vm"), 1);
var NOTHING = { kept: 0, heap: 0, external: 0, rss: 0 };
var Recorder = class {
  #running = /* @__PURE__ */ new Map();
  #collectGarbage;
  #header;
  #fd;
  #broken = false;
  constructor(runner, runnerVersion, worker) {
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
    try {
      this.#collectGarbage = garbageCollector();
    } catch (error) {
      this.#header.error = String(error);
    }
  }
  /**
   * Call before the test's first beforeEach hook. `key` is the runner's own object for the test; `concurrent` says the
   * runner runs it alongside others, so that its figure would not be its own.
   */
  start(key, identity, concurrent = false) {
    if (this.#broken) return;
    this.#guard(() => {
      if (this.#collectGarbage === void 0) {
        this.#broken = true;
        this.#write({ type: "not-run" });
        return;
      }
      const running = [...this.#running.values()];
      const parent = running.reverse().find((test) => isWithin(identity, test.identity));
      for (const test of running) {
        if (test !== parent && !isWithin(test.identity, identity)) test.overlapped = true;
      }
      const before = this.#read();
      this.#running.set(key, {
        identity,
        before,
        startedAt: performance.now(),
        overlapped: concurrent || running.some((test) => test !== parent && !isWithin(identity, test.identity)),
        parent,
        keptBySubtests: NOTHING
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
  /** Call after the test's last afterEach hook. */
  finish(key, outcome) {
    const test = this.#running.get(key);
    if (test === void 0 || this.#broken) return;
    this.#running.delete(key);
    this.#guard(() => {
      const after = this.#read();
      const kept = subtract(subtract(after, test.before), test.keptBySubtests);
      if (test.parent) test.parent.keptBySubtests = add(test.parent.keptBySubtests, kept);
      this.#write({
        type: "test",
        id: test.identity.titles.join(" > "),
        ...test.identity,
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
        ...test.overlapped ? { overlapped: true } : {}
      });
    });
  }
  /** Forgets a test that was started but will not run (a runner that announces skipped tests too). */
  forget(key) {
    if (this.#running.delete(key))
      this.#guard(() => {
        this.#write({ type: "not-run" });
      });
  }
  #read() {
    this.#collectGarbage?.();
    this.#collectGarbage?.();
    const usage = process.memoryUsage();
    return { kept: usage.heapUsed + usage.external, heap: usage.heapUsed, external: usage.external, rss: usage.rss };
  }
  #write(record2) {
    if (this.#fd === void 0) {
      const directory = process.env.LEAKWATCH_DIR ?? "";
      this.#fd = (0, import_node_fs.openSync)(`${directory}/node-${process.pid}-${import_node_worker_threads.threadId}-${Date.now()}.jsonl`, "a");
      this.#append(this.#header);
      process.on("exit", () => {
        this.#guard(() => {
          this.#append({ type: "end" });
        });
        if (this.#fd !== void 0) (0, import_node_fs.closeSync)(this.#fd);
      });
    }
    this.#append(record2);
  }
  #append(record2) {
    if (this.#fd !== void 0) (0, import_node_fs.writeSync)(this.#fd, JSON.stringify(record2) + "\n");
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
function isWithin(inner, outer) {
  return inner.file === outer.file && inner.titles.length > outer.titles.length && outer.titles.every((title, index) => inner.titles[index] === title);
}
function subtract(a, b) {
  return { kept: a.kept - b.kept, heap: a.heap - b.heap, external: a.external - b.external, rss: a.rss - b.rss };
}
function add(a, b) {
  return { kept: a.kept + b.kept, heap: a.heap + b.heap, external: a.external + b.external, rss: a.rss + b.rss };
}
function garbageCollector() {
  for (let attempt = 0; attempt < 5; attempt++) {
    import_node_v8.default.setFlagsFromString("--expose-gc");
    const gc = import_node_vm.default.runInNewContext('typeof gc === "function" ? gc : undefined');
    import_node_v8.default.setFlagsFromString("--no-expose-gc");
    if (typeof gc === "function") return gc;
  }
  throw new Error("leakwatch could not reach V8 garbage collection in this process");
}

// src/preload/jest.ts
var CIRCUS_RUNNER = /[\\/]jest-circus[\\/](?:build[\\/])?runner\.js$/;
function hookJest() {
  const loader = import_node_module.default;
  const load = loader._load;
  const wrapped = /* @__PURE__ */ new WeakMap();
  loader._load = function(request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    if (!CIRCUS_RUNNER.test(request) || typeof loaded !== "object" && typeof loaded !== "function" || !loaded) {
      return loaded;
    }
    if (!wrapped.has(loaded)) {
      const recorder3 = new Recorder("jest", circusVersion(request), workerName());
      if (typeof loaded === "function") wrapped.set(loaded, wrapAdapter(loaded, recorder3));
      else {
        const exports2 = loaded;
        if (typeof exports2.default === "function") exports2.default = wrapAdapter(exports2.default, recorder3);
        wrapped.set(loaded, loaded);
      }
    }
    return wrapped.get(loaded);
  };
}
function wrapAdapter(adapter, recorder3) {
  return function(globalConfig, config, environment, runtime, testPath, ...rest) {
    const own = environment.handleTestEvent;
    environment.handleTestEvent = async function(event, state) {
      if (event.name !== "test_done") observe(recorder3, event, testPath);
      await own?.call(this, event, state);
      if (event.name === "test_done") observe(recorder3, event, testPath);
    };
    return adapter.call(this, globalConfig, config, environment, runtime, testPath, ...rest);
  };
}
function observe(recorder3, event, testPath) {
  try {
    record(recorder3, event, testPath);
  } catch {
  }
}
function record(recorder3, event, testPath) {
  const test = event.test;
  if (test === void 0) return;
  switch (event.name) {
    case "test_start":
      if (test.mode === "skip" || test.mode === "todo") return;
      recorder3.start(test, { titles: titles(test), file: testPath, line: lineOf(test, testPath) }, test.concurrent);
      return;
    case "test_skip":
    case "test_todo":
      recorder3.forget(test);
      return;
    case "test_done":
      recorder3.finish(test, test.errors.length > 0 ? "failed" : "passed");
      return;
  }
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
function circusVersion(runnerPath) {
  try {
    const packageDirectory = import_node_path.default.dirname(runnerPath).replace(/[\\/]build$/, "");
    const { version } = JSON.parse((0, import_node_fs2.readFileSync)(import_node_path.default.join(packageDirectory, "package.json"), "utf8"));
    return version;
  } catch {
    return "unknown";
  }
}
function workerName() {
  const id = process.env.JEST_WORKER_ID;
  return id === void 0 ? "main" : `worker ${id}`;
}

// src/preload/node-test.ts
var import_node_module2 = require("node:module");
var import_node_path2 = __toESM(require("node:path"), 1);
var PARENT_PID = "LEAKWATCH_NODE_TEST_PARENT";
function hookNodeTest() {
  if (process.env.NODE_TEST_CONTEXT === void 0) {
    if (process.execArgv.includes("--test")) process.env[PARENT_PID] = String(process.pid);
    return;
  }
  if (process.env[PARENT_PID] !== String(process.ppid)) return;
  const nodeTest = (0, import_node_module2.createRequire)(import_node_path2.default.join(process.cwd(), "index.js"))("node:test");
  const recorder3 = new Recorder("node-test", process.version, null);
  nodeTest.beforeEach((context) => {
    const titles3 = (context.fullName ?? context.name).split(" > ");
    recorder3.start(context, { titles: titles3, file: context.filePath ?? process.argv[1] ?? "", line: null });
  });
  nodeTest.afterEach((context) => {
    recorder3.finish(context, context.passed === false ? "failed" : "passed");
  });
}

// src/preload/vitest.ts
var import_node_fs3 = require("node:fs");
var import_node_path3 = __toESM(require("node:path"), 1);
var CONFIG_FILES = ["vitest.config", "vite.config"].flatMap(
  (name) => [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].map((extension) => name + extension)
);
var VITEST_CLI = /[\\/]vitest[\\/]vitest\.mjs$/;
function hookVitestCli(preloadFile) {
  const script = realScript();
  if (!VITEST_CLI.test(script)) return;
  const args = process.argv.slice(2);
  const given = takeOption(args, ["--config", "-c"]);
  if (given === "false") return;
  const root = import_node_path3.default.resolve(takeOption([...args], ["--root", "-r"]) ?? ".");
  const userConfig = given === void 0 ? findConfig(root) : import_node_path3.default.resolve(root, given);
  const directory = import_node_path3.default.join(nearestNodeModules(userConfig ?? root, script), ".cache", "leakwatch");
  (0, import_node_fs3.mkdirSync)(directory, { recursive: true });
  const base = import_node_path3.default.join(directory, `vitest-${process.pid}`);
  const setupFile = `${base}.setup.mjs`;
  const configFile = `${base}.config.mjs`;
  (0, import_node_fs3.writeFileSync)(
    setupFile,
    [
      "import { afterEach, beforeEach } from 'vitest';",
      "import { createRequire } from 'node:module';",
      `createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).hookVitestWorker(beforeEach, afterEach);`,
      ""
    ].join("\n")
  );
  (0, import_node_fs3.writeFileSync)(configFile, generatedConfig(userConfig, setupFile));
  process.on("exit", () => {
    (0, import_node_fs3.rmSync)(setupFile, { force: true });
    (0, import_node_fs3.rmSync)(configFile, { force: true });
  });
  process.argv = [...process.argv.slice(0, 2), ...args, "--config", configFile];
  process.env.LEAKWATCH_VITEST_VERSION = packageVersion(import_node_path3.default.dirname(script));
}
function realScript() {
  try {
    return (0, import_node_fs3.realpathSync)(process.argv[1] ?? "");
  } catch {
    return "";
  }
}
function generatedConfig(userConfig, setupFile) {
  return [
    userConfig === void 0 ? "const project = {};" : `import project from ${JSON.stringify(userConfig)};`,
    "",
    "export default async (env) => {",
    "  const config = (await (typeof project === 'function' ? project(env) : project)) ?? {};",
    "  const test = config.test ?? {};",
    `  const setupFiles = [...[test.setupFiles ?? []].flat(), ${JSON.stringify(setupFile)}];`,
    "  return { ...config, test: { ...test, setupFiles } };",
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
function findConfig(root) {
  for (let directory = root; ; directory = import_node_path3.default.dirname(directory)) {
    const found = CONFIG_FILES.map((name) => import_node_path3.default.join(directory, name)).find((file) => (0, import_node_fs3.existsSync)(file));
    if (found !== void 0) return found;
    if (import_node_path3.default.dirname(directory) === directory) return void 0;
  }
}
function nearestNodeModules(from, vitestScript) {
  for (let directory = import_node_path3.default.dirname(from); ; directory = import_node_path3.default.dirname(directory)) {
    const candidate = import_node_path3.default.join(directory, "node_modules");
    if ((0, import_node_fs3.existsSync)(candidate)) return candidate;
    if (import_node_path3.default.dirname(directory) === directory) break;
  }
  return import_node_path3.default.resolve(vitestScript, "..", "..");
}
var recorder;
function hookVitestWorker(beforeEach, afterEach) {
  recorder ??= new Recorder("vitest", vitestVersion(), workerName2());
  const active = recorder;
  beforeEach(({ task }) => {
    const file = task.file?.filepath ?? "";
    active.start(task, { titles: titles2(task), file, line: task.location?.line ?? null }, task.concurrent);
  });
  afterEach(({ task }) => {
    active.finish(task, task.result?.state === "fail" ? "failed" : "passed");
  });
}
function titles2(task) {
  const names = [task.name];
  for (let suite = task.suite; suite !== void 0 && !("filepath" in suite); suite = suite.suite) {
    names.unshift(suite.name);
  }
  return names;
}
function vitestVersion() {
  return process.env.LEAKWATCH_VITEST_VERSION ?? "unknown";
}
function packageVersion(directory) {
  try {
    return JSON.parse((0, import_node_fs3.readFileSync)(import_node_path3.default.join(directory, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}
function workerName2() {
  const id = process.env.VITEST_POOL_ID;
  return id === void 0 ? "main" : `worker ${id}`;
}

// src/preload/mocha.ts
var import_node_fs4 = require("node:fs");
var import_node_module3 = require("node:module");
var import_node_path4 = __toESM(require("node:path"), 1);
var recorder2;
var mochaHooks = {
  beforeEach() {
    const test = this.currentTest;
    if (test === void 0) return;
    recorder2 ??= new Recorder("mocha", mochaVersion(), workerName3());
    recorder2.start(test, { titles: test.titlePath(), file: test.file ?? "", line: null });
  },
  afterEach() {
    const test = this.currentTest;
    if (test !== void 0) recorder2?.finish(test, test.state === "failed" ? "failed" : "passed");
  }
};
function mochaVersion() {
  const require2 = (0, import_node_module3.createRequire)(import_node_path4.default.join(process.cwd(), "index.js"));
  const mochaFile = Object.keys(require2.cache).find((file) => /[\\/]mocha[\\/]lib[\\/]/.test(file));
  if (mochaFile === void 0) return "unknown";
  try {
    const packageFile = import_node_path4.default.join(mochaFile.slice(0, mochaFile.search(/[\\/]lib[\\/]/)), "package.json");
    return JSON.parse((0, import_node_fs4.readFileSync)(packageFile, "utf8")).version;
  } catch {
    return "unknown";
  }
}
function workerName3() {
  return /[\\/]worker\.js$/.test(process.argv[1] ?? "") ? `worker ${process.pid}` : "main";
}

// src/preload/index.ts
if (process.env.LEAKWATCH_DIR) {
  const runner = process.env.LEAKWATCH_RUNNER ?? "auto";
  const wanted = (name) => runner === name || runner === "auto";
  try {
    if (wanted("jest")) hookJest();
    if (wanted("node-test")) hookNodeTest();
    if (wanted("vitest")) hookVitestCli(__filename);
  } catch (error) {
    process.emitWarning(`leakwatch could not hook the test runner: ${String(error)}`);
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  hookVitestWorker,
  mochaHooks
});
