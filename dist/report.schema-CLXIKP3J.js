import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import "./chunk-NV5WPINZ.js";

// docs/report.schema.json
var report_schema_default = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://github.com/leakwatch/leakwatch/blob/v1/docs/report.schema.json",
  title: "leakwatch JSON report, version 2",
  description: "What leakwatch found in one run of a test command: each test's kept memory, the leaks, and what could not be measured. Sizes are in bytes, durations in seconds. Described in docs/report.md.",
  type: "object",
  additionalProperties: false,
  required: [
    "version",
    "tool",
    "command",
    "runner",
    "limit",
    "confirmRuns",
    "exitCode",
    "peak",
    "tests",
    "incomplete",
    "unmeasured",
    "warnings",
    "coverage",
    "cancelled",
    "comparison",
    "baselineProblem"
  ],
  properties: {
    version: {
      description: "The report format's version. Fields are only added within a version; a field removed or changed gets a new number.",
      const: 2
    },
    tool: {
      description: "The tool that wrote the report.",
      type: "object",
      additionalProperties: false,
      required: ["name", "version"],
      properties: {
        name: {
          const: "leakwatch"
        },
        version: {
          description: "leakwatch's own version, such as 1.0.0.",
          type: "string"
        }
      }
    },
    command: {
      description: "The test command leakwatch ran, as one shell command line.",
      type: "string"
    },
    runner: {
      description: 'The runner that reported tests (several joined by ", " when more than one did), or the runner leakwatch prepared for when none did: `auto` when it could not tell.',
      type: "string",
      pattern: "^(auto|(pytest|jest|vitest|mocha|node-test)(, (pytest|jest|vitest|mocha|node-test))*)$"
    },
    limit: {
      description: "The memory a test may keep before it is a suspect, in bytes.",
      type: "integer",
      minimum: 1e5
    },
    confirmRuns: {
      description: "How many times each suspect was run again alone to confirm it: 2 to 10, or 0 when confirming was off.",
      type: "integer",
      minimum: 0,
      maximum: 10,
      not: {
        const: 1
      }
    },
    exitCode: {
      description: "The test command's exit code. When a cancel stopped it and it still exited 0, 128 plus the signal's number, as in bash.",
      type: "integer",
      minimum: 0
    },
    peak: {
      description: "The highest resident memory (RSS) of the command's whole process tree at once; null when it was never sampled.",
      type: ["number", "null"],
      minimum: 0
    },
    tests: {
      description: "Every test measured, sorted by id.",
      type: "array",
      items: {
        $ref: "#/$defs/test"
      }
    },
    incomplete: {
      description: "Tests that started and never finished: their process died in them.",
      type: "array",
      items: {
        $ref: "#/$defs/incompleteTest"
      }
    },
    unmeasured: {
      description: "Tests that ran at the same time as others (concurrent tests), so with no figure of their own.",
      type: "array",
      items: {
        $ref: "#/$defs/unmeasuredTest"
      }
    },
    warnings: {
      description: "What leakwatch could not do, in words for people.",
      type: "array",
      items: {
        type: "string"
      }
    },
    coverage: {
      $ref: "#/$defs/coverage"
    },
    cancelled: {
      description: "The job was cancelled (or the CLI interrupted): the command was stopped, what was measured is reported, and suspects not yet run alone are unconfirmed.",
      type: "boolean"
    },
    comparison: {
      description: "What changed since the base's report (a pull request's base branch, or a file given); null when not compared.",
      anyOf: [
        {
          $ref: "#/$defs/comparison"
        },
        {
          type: "null"
        }
      ]
    },
    baselineProblem: {
      description: "Why there is no comparison though one was asked for (no base report, expired, damaged, another version, refused); null otherwise.",
      type: ["string", "null"]
    },
    shard: {
      description: "A shard's report (publish: merge-later): which job of the matrix made it. Absent from other reports.",
      $ref: "#/$defs/shardOrigin"
    },
    shards: {
      description: "A merged report (merge: true, leakwatch merge): each shard that reported, in label order. Absent from other reports.",
      type: "array",
      items: {
        $ref: "#/$defs/shardSummary"
      }
    },
    missingShards: {
      description: "A merged report: each shard expected that left no report, or whose report was refused. Absent from other reports.",
      type: "array",
      items: {
        $ref: "#/$defs/missingShard"
      }
    }
  },
  $defs: {
    size: {
      description: "Bytes; negative when memory was freed.",
      type: "number",
      minimum: -1e15,
      maximum: 1e15
    },
    line: {
      description: "The test's line in its file, 1-based; null when unknown.",
      type: ["integer", "null"],
      minimum: 1
    },
    test: {
      description: "One measured test.",
      type: "object",
      additionalProperties: false,
      required: [
        "id",
        "titles",
        "file",
        "line",
        "worker",
        "measures",
        "before",
        "after",
        "delta",
        "heapDelta",
        "externalDelta",
        "rssDelta",
        "peak",
        "allocatedBlocks",
        "duration",
        "outcome",
        "verdict",
        "leaked",
        "ignored",
        "disturbed",
        "unsettled",
        "confirmation",
        "sites",
        "unattributed"
      ],
      properties: {
        id: {
          description: `The runner's own id: pytest's node id; for Node runners the file (relative to where the command ran), the describe blocks and the title, joined by " > ".`,
          type: "string",
          maxLength: 65536
        },
        titles: {
          description: "Node runners: the describe blocks, then the test's title; null for pytest.",
          type: ["array", "null"],
          items: {
            type: "string"
          }
        },
        file: {
          description: "The test's file, relative to the directory leakwatch ran in (the workspace in Actions), with forward slashes.",
          type: "string"
        },
        line: {
          $ref: "#/$defs/line"
        },
        worker: {
          description: "The process that ran it: `main`, a pytest-xdist worker (`gw0`), a Jest or Vitest worker (`worker 2`), a Mocha --parallel worker (`worker <pid>`).",
          type: "string"
        },
        order: {
          description: "Its place among the tests its process ran, from 0. Absent in reports of leakwatch before 1.1.",
          type: "integer",
          minimum: 0
        },
        shard: {
          description: "In a merged report: the label of the shard that ran it (the same id may run in several shards, as in an OS matrix). Absent from other reports.",
          $ref: "#/$defs/shardLabel"
        },
        measures: {
          description: "What before, after and delta count: `rss`, resident memory after garbage collection (pytest); `heap`, the JavaScript heap plus external memory after a full garbage collection (Node runners).",
          enum: ["rss", "heap"]
        },
        before: {
          description: "That memory before the test's setup.",
          type: "number",
          minimum: 0
        },
        after: {
          description: "That memory after the test's teardown.",
          type: "number",
          minimum: 0
        },
        delta: {
          description: "What the test kept: after - before, less what fixtures of wider scope (or subtests) took or gave back while it ran.",
          $ref: "#/$defs/size"
        },
        heapDelta: {
          description: "Node runners: the JavaScript heap's part of delta; null for pytest.",
          type: ["number", "null"]
        },
        externalDelta: {
          description: "Node runners: external memory's part of delta (Buffers, ArrayBuffers); null for pytest.",
          type: ["number", "null"]
        },
        rssDelta: {
          description: "The change in resident memory. For Node runners a footprint, not what was kept; null in worker threads, which share their process's.",
          type: ["number", "null"]
        },
        peak: {
          description: "The highest resident memory while the test ran, where the platform tells (pytest on Linux); else null.",
          type: ["number", "null"],
          minimum: 0
        },
        allocatedBlocks: {
          description: "Always null: counting Python's memory blocks costs too much per test. Each run alone counts them, in confirmation.runs.",
          type: ["number", "null"]
        },
        duration: {
          description: "Seconds, setup to teardown.",
          type: "number",
          minimum: 0
        },
        outcome: {
          description: "As the runner counts it: passed, failed, error, skipped, xfailed or xpassed; unknown when its end was not seen (a cancelled run).",
          type: "string"
        },
        verdict: {
          description: "leak: kept more than the limit, and again on each run alone (or was not confirmed). warm-up: kept memory the first run alone only. noise: kept next to nothing alone. unstable: its runs alone disagreed. unconfirmed: could not be run again alone; counts as a leak. ignored: over the limit, matched by `ignore`. ok: within the limit.",
          $ref: "#/$defs/verdict"
        },
        leaked: {
          description: "The verdict is leak or unconfirmed: what fails the build.",
          type: "boolean"
        },
        ignored: {
          description: "Its id matched an `ignore` glob.",
          type: "boolean"
        },
        disturbed: {
          description: "Far more memory was freed while it ran than it could have held (garbage of earlier tests, collected on its watch), so its figure may hide what it kept: it was run again alone like a suspect.",
          type: "boolean"
        },
        unsettled: {
          description: "No full garbage collection fitted in the time at its end: garbage may make up part of its figure. Over the limit, its runs alone tell.",
          type: "boolean"
        },
        confirmation: {
          description: "How the test did when run again alone; null when it was not a suspect or confirming was off.",
          anyOf: [
            {
              $ref: "#/$defs/confirmation"
            },
            {
              type: "null"
            }
          ]
        },
        sites: {
          description: "A leak confirmed alone with its allocations traced there (pytest, node:test, Jest, Vitest): where what it keeps per run was allocated, largest first, at most 5. Empty for every other test.",
          type: "array",
          maxItems: 5,
          items: {
            $ref: "#/$defs/site"
          }
        },
        unattributed: {
          description: "Of what the leak keeps per run, what no site explains, and what kind of memory that is; null when its runs alone were not traced.",
          anyOf: [
            {
              $ref: "#/$defs/unattributed"
            },
            {
              type: "null"
            }
          ]
        }
      }
    },
    verdict: {
      enum: ["leak", "warm-up", "noise", "unstable", "unconfirmed", "ignored", "ok"]
    },
    confirmation: {
      type: "object",
      additionalProperties: false,
      required: ["runs", "perRun", "problem"],
      properties: {
        runs: {
          description: "Each run alone, in order.",
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["delta", "outcome", "allocatedBlocks"],
            properties: {
              delta: {
                description: "What this run kept.",
                $ref: "#/$defs/size"
              },
              outcome: {
                description: "How this run ended, as the runner counts it.",
                type: "string"
              },
              allocatedBlocks: {
                description: "pytest: the change in Python's allocated memory blocks (near 0 with a large delta points at native memory); null for Node runners.",
                type: ["integer", "null"]
              },
              heapDelta: {
                description: "Node runners: the JavaScript heap's part of delta; null for pytest. Absent from reports of development builds before 1.0.0.",
                type: ["number", "null"]
              },
              externalDelta: {
                description: "Node runners: external memory's part of delta; null for pytest. Absent from reports of development builds before 1.0.0.",
                type: ["number", "null"]
              }
            }
          }
        },
        perRun: {
          description: "What it keeps per run: the median of the runs after the first (the first may warm up); null when fewer than 2 runs finished.",
          type: ["number", "null"]
        },
        problem: {
          description: "Why it could not be told (verdict unconfirmed); null otherwise.",
          type: ["string", "null"]
        }
      }
    },
    unmeasuredTest: {
      type: "object",
      additionalProperties: false,
      required: ["id", "file", "line", "worker", "outcome"],
      properties: {
        id: {
          type: "string"
        },
        file: {
          type: "string"
        },
        line: {
          $ref: "#/$defs/line"
        },
        worker: {
          type: "string"
        },
        shard: {
          description: "In a merged report: the label of the shard that ran it.",
          $ref: "#/$defs/shardLabel"
        },
        outcome: {
          type: "string"
        }
      }
    },
    incompleteTest: {
      type: "object",
      additionalProperties: false,
      required: ["id", "file", "line", "worker", "pid", "before", "lastSeen", "lastSeenAt"],
      properties: {
        id: {
          type: "string"
        },
        file: {
          type: "string"
        },
        line: {
          $ref: "#/$defs/line"
        },
        worker: {
          type: "string"
        },
        shard: {
          description: "In a merged report: the label of the shard that ran it.",
          $ref: "#/$defs/shardLabel"
        },
        pid: {
          description: "The process that died.",
          type: "integer",
          minimum: 0
        },
        before: {
          description: "Its process's resident memory when the test started.",
          type: "number",
          minimum: 0
        },
        lastSeen: {
          description: "The last resident memory sampled of its process before it died (sampled every half second: it may have grown after).",
          type: "number",
          minimum: 0
        },
        lastSeenAt: {
          description: "When that sample was taken, in seconds since the command started; null when the process was never sampled.",
          type: ["number", "null"],
          minimum: 0
        }
      }
    },
    coverage: {
      description: "How much of the run was measured. A run with unmeasured above 0 is never a clean pass; one with measured 0 found nothing.",
      type: "object",
      additionalProperties: false,
      required: ["collected", "measured", "unmeasured", "reasons", "unsupported"],
      properties: {
        collected: {
          description: "The tests the runners said they would run (pytest's collection, each test file's tests); null when none said.",
          type: ["integer", "null"],
          minimum: 0
        },
        measured: {
          description: "Tests with a figure.",
          type: "integer",
          minimum: 0
        },
        unmeasured: {
          description: "Tests that ran, or were to run, without a figure.",
          type: "integer",
          minimum: 0
        },
        reasons: {
          description: "Why tests went unmeasured, in words for people, each once.",
          type: "array",
          items: {
            type: "string"
          }
        },
        unsupported: {
          description: "Runner versions leakwatch cannot measure, in words that say which are supported.",
          type: "array",
          items: {
            type: "string"
          }
        }
      }
    },
    testIds: {
      type: "array",
      items: {
        type: "string"
      }
    },
    comparison: {
      type: "object",
      additionalProperties: false,
      required: ["base", "new", "fixed", "regressed", "added", "removed", "peak", "baseKept"],
      properties: {
        base: {
          description: "Where the base report came from: a workflow run's artifact (commit and runId), or a file (file).",
          type: "object",
          additionalProperties: false,
          required: ["commit", "runId", "file"],
          properties: {
            commit: {
              description: "The base commit the report was made on; null for a file.",
              type: ["string", "null"]
            },
            runId: {
              description: "The workflow run that made it; null for a file.",
              type: ["integer", "null"]
            },
            file: {
              description: "The report file given as the baseline (relative to where leakwatch ran, when inside it); null for a workflow run's.",
              type: ["string", "null"]
            }
          }
        },
        new: {
          description: "Tests (by id; in a merged report, by id and shard: `<id> [shard <label>]`) that leak now and did not in the base (or were not in it).",
          $ref: "#/$defs/testIds"
        },
        fixed: {
          description: "Tests (by id; in a merged report, by id and shard: `<id> [shard <label>]`) that leaked in the base and do not now.",
          $ref: "#/$defs/testIds"
        },
        regressed: {
          description: "Tests (by id; in a merged report, by id and shard: `<id> [shard <label>]`), not new leaks, that keep more than in the base by more than the regression threshold.",
          $ref: "#/$defs/testIds"
        },
        added: {
          description: "Tests (by id; in a merged report, by id and shard: `<id> [shard <label>]`) that are not in the base.",
          $ref: "#/$defs/testIds"
        },
        removed: {
          description: "The base's tests (by id, and shard where it was merged) that did not run now.",
          $ref: "#/$defs/testIds"
        },
        peak: {
          description: "The highest resident memory of each run's process tree.",
          type: "object",
          additionalProperties: false,
          required: ["base", "current"],
          properties: {
            base: {
              type: ["number", "null"],
              minimum: 0
            },
            current: {
              type: ["number", "null"],
              minimum: 0
            }
          }
        },
        baseKept: {
          description: "What the base's test kept (per run alone where it was confirmed, else in the suite), for the tests of new, fixed and regressed that the base ran, named as in those lists.",
          type: "object",
          additionalProperties: {
            $ref: "#/$defs/size"
          }
        }
      }
    },
    frame: {
      description: "A line of code.",
      type: "object",
      additionalProperties: false,
      required: ["file", "line", "function"],
      properties: {
        file: {
          description: "Relative to the directory leakwatch ran in, with forward slashes; absolute outside it.",
          type: "string"
        },
        line: {
          description: "1-based.",
          type: "integer",
          minimum: 1
        },
        function: {
          description: "The function or class around the line, as Class.method; <module> at a file's top level.",
          type: "string"
        }
      }
    },
    site: {
      description: "Where memory a leak keeps was allocated: the innermost frame in the project's own code (outside installed packages, the standard library, the runner and leakwatch), and the stack from it.",
      type: "object",
      additionalProperties: false,
      required: ["file", "line", "function", "size", "count", "stack"],
      properties: {
        file: {
          $ref: "#/$defs/frame/properties/file"
        },
        line: {
          $ref: "#/$defs/frame/properties/line"
        },
        function: {
          $ref: "#/$defs/frame/properties/function"
        },
        size: {
          description: "Bytes allocated here that the test keeps per run.",
          type: "number"
        },
        count: {
          description: "The memory blocks (pytest) or objects (Node runners) they are in.",
          type: "integer",
          minimum: 0
        },
        stack: {
          description: "From the site outwards: the site, then its callers, up to 8 frames.",
          type: "array",
          maxItems: 8,
          items: {
            $ref: "#/$defs/frame"
          }
        }
      }
    },
    unattributed: {
      description: "What no site explains.",
      type: "object",
      additionalProperties: false,
      required: ["bytes", "kind"],
      properties: {
        bytes: {
          description: "Bytes per run.",
          type: "number",
          minimum: 0
        },
        kind: {
          description: "native: resident memory outside Python's allocator (a C extension or native library); external: Node's memory outside the JavaScript heap; unknown: what the tracer could not place (Node runners).",
          enum: ["native", "external", "unknown"]
        }
      }
    },
    shardLabel: {
      description: "A shard's label: letters, digits, '.', '_' and '-', starting with a letter or digit.",
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
    },
    shardOrigin: {
      description: "Where a shard's report was made (publish: merge-later), for the merge step to tell shards apart and check them.",
      type: "object",
      additionalProperties: false,
      required: ["label", "reportName", "commit", "runId", "job", "matrix", "jobIndex", "jobTotal"],
      properties: {
        label: {
          description: "The shard's label: the shard input, else the job's matrix values joined by '-', else the job's id.",
          $ref: "#/$defs/shardLabel"
        },
        reportName: {
          description: "The report-name it is a shard of.",
          type: "string",
          pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
        },
        commit: {
          description: "The commit its tests ran on: a pull request's head, else the commit the run is for.",
          type: "string",
          maxLength: 64,
          pattern: "^[0-9a-fA-F]*$"
        },
        runId: {
          description: "The workflow run that made it.",
          type: "integer",
          minimum: 0
        },
        job: {
          description: "The job's id in its workflow (GITHUB_JOB).",
          type: "string",
          maxLength: 100
        },
        matrix: {
          description: "The job's matrix values; null outside a matrix.",
          type: ["object", "null"]
        },
        jobIndex: {
          description: "The job's place in its matrix, from 0 (strategy.job-index); null when not known.",
          type: ["integer", "null"],
          minimum: 0
        },
        jobTotal: {
          description: "How many jobs its matrix has (strategy.job-total); null when not known.",
          type: ["integer", "null"],
          minimum: 1
        }
      }
    },
    shardSummary: {
      description: "One shard of a merged report: its run, and what it found.",
      type: "object",
      additionalProperties: false,
      required: [
        "label",
        "command",
        "runner",
        "limit",
        "confirmRuns",
        "exitCode",
        "cancelled",
        "peak",
        "tests",
        "leaks",
        "unmeasured",
        "incomplete",
        "commit",
        "job"
      ],
      properties: {
        label: {
          $ref: "#/$defs/shardLabel"
        },
        command: {
          description: "The test command the shard ran.",
          type: "string"
        },
        runner: {
          description: "The runner that reported its tests, as the report's runner.",
          type: "string"
        },
        limit: {
          description: "Its limit, in bytes.",
          type: "integer",
          minimum: 1e5
        },
        confirmRuns: {
          description: "Its runs alone per suspect; 0 when confirming was off.",
          type: "integer",
          minimum: 0,
          maximum: 10
        },
        exitCode: {
          description: "Its test command's exit code.",
          type: "integer",
          minimum: 0
        },
        cancelled: {
          description: "Its job was cancelled: what it measured before is merged.",
          type: "boolean"
        },
        peak: {
          description: "The highest resident memory of its command's process tree; null when never sampled.",
          type: ["number", "null"],
          minimum: 0
        },
        tests: {
          description: "Tests it measured.",
          type: "integer",
          minimum: 0
        },
        leaks: {
          description: "Tests of it that leaked.",
          type: "integer",
          minimum: 0
        },
        unmeasured: {
          description: "Tests of it without a figure (coverage.unmeasured).",
          type: "integer",
          minimum: 0
        },
        incomplete: {
          description: "Tests of it whose process died in them.",
          type: "integer",
          minimum: 0
        },
        commit: {
          description: "The commit its tests ran on, from its report's shard; null when its report had none (a report merged by the CLI).",
          type: ["string", "null"]
        },
        job: {
          description: "Its job's id in the workflow, from its report's shard; null when its report had none.",
          type: ["string", "null"]
        }
      }
    },
    missingShard: {
      description: "A shard expected that left no report (its job was cancelled or killed), or whose report was refused.",
      type: "object",
      additionalProperties: false,
      required: ["label", "why"],
      properties: {
        label: {
          description: "Its label where known; else what names it: its job's name, or its place in its matrix.",
          type: "string"
        },
        why: {
          description: "Why it is missing, in words for people.",
          type: "string"
        }
      }
    }
  }
};
export {
  report_schema_default as default
};
