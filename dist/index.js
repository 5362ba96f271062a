import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  COMMENT_MAX_BYTES,
  SUMMARY_MAX_BYTES,
  compareWithBase,
  failingLeaks,
  findingsOf,
  formatSize,
  keptSize,
  leakDetail,
  measure,
  parseBaseReport,
  readActionSettings,
  readBaseFile,
  renderMarkdown,
  renderTerminal
} from "./chunk-QH2O563N.js";
import {
  context,
  error,
  getInput,
  getOctokit,
  info,
  require_light,
  retry,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-2KWKABHK.js";
import {
  __toESM
} from "./chunk-NV5WPINZ.js";

// src/main.ts
import { statSync } from "node:fs";

// node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var import_light = __toESM(require_light(), 1);
var VERSION = "0.0.0-development";
var noop = () => Promise.resolve();
function wrapRequest(state, request, options) {
  return state.retryLimiter.schedule(doRequest, state, request, options);
}
async function doRequest(state, request, options) {
  const { pathname } = new URL(options.url, "http://github.test");
  const isAuth = isAuthRequest(options.method, pathname);
  const isWrite = !isAuth && options.method !== "GET" && options.method !== "HEAD";
  const isSearch = options.method === "GET" && pathname.startsWith("/search/");
  const isGraphQL = pathname.startsWith("/graphql");
  const retryCount = ~~request.retryCount;
  const jobOptions = retryCount > 0 ? { priority: 0, weight: 0 } : {};
  if (state.clustering) {
    jobOptions.expiration = 1e3 * 60;
  }
  if (isWrite || isGraphQL) {
    await state.write.key(state.id).schedule(jobOptions, noop);
  }
  if (isWrite && state.triggersNotification(pathname)) {
    await state.notifications.key(state.id).schedule(jobOptions, noop);
  }
  if (isSearch) {
    await state.search.key(state.id).schedule(jobOptions, noop);
  }
  const req = (isAuth ? state.auth : state.global).key(state.id).schedule(jobOptions, request, options);
  if (isGraphQL) {
    const res = await req;
    if (res.data.errors != null && res.data.errors.some((error2) => error2.type === "RATE_LIMITED")) {
      const error2 = Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: res,
        data: res.data
      });
      throw error2;
    }
  }
  return req;
}
function isAuthRequest(method, pathname) {
  return method === "PATCH" && // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-a-scoped-access-token
  /^\/applications\/[^/]+\/token\/scoped$/.test(pathname) || method === "POST" && // https://docs.github.com/en/rest/apps/oauth-applications?apiVersion=2022-11-28#reset-a-token
  (/^\/applications\/[^/]+\/token$/.test(pathname) || // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-an-installation-access-token-for-an-app
  /^\/app\/installations\/[^/]+\/access_tokens$/.test(pathname) || // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
  pathname === "/login/oauth/access_token");
}
var triggers_notification_paths_default = [
  "/orgs/{org}/invitations",
  "/orgs/{org}/invitations/{invitation_id}",
  "/orgs/{org}/teams/{team_slug}/discussions",
  "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "/repos/{owner}/{repo}/collaborators/{username}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "/repos/{owner}/{repo}/issues",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/releases",
  "/teams/{team_id}/discussions",
  "/teams/{team_id}/discussions/{discussion_number}/comments"
];
function routeMatcher(paths) {
  const regexes = paths.map(
    (path3) => path3.split("/").map((c) => c.startsWith("{") ? "(?:.+?)" : c).join("/")
  );
  const regex2 = `^(?:${regexes.map((r) => `(?:${r})`).join("|")})[^/]*$`;
  return new RegExp(regex2, "i");
}
var regex = routeMatcher(triggers_notification_paths_default);
var triggersNotification = regex.test.bind(regex);
var groups = {};
var createGroups = function(Bottleneck, common) {
  groups.global = new Bottleneck.Group({
    id: "octokit-global",
    maxConcurrent: 10,
    ...common
  });
  groups.auth = new Bottleneck.Group({
    id: "octokit-auth",
    maxConcurrent: 1,
    ...common
  });
  groups.search = new Bottleneck.Group({
    id: "octokit-search",
    maxConcurrent: 1,
    minTime: 2e3,
    ...common
  });
  groups.write = new Bottleneck.Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    ...common
  });
  groups.notifications = new Bottleneck.Group({
    id: "octokit-notifications",
    maxConcurrent: 1,
    minTime: 3e3,
    ...common
  });
};
function throttling(octokit, octokitOptions) {
  const {
    enabled = true,
    Bottleneck = import_light.default,
    id = "no-id",
    timeout = 1e3 * 60 * 2,
    // Redis TTL: 2 minutes
    connection
  } = octokitOptions.throttle || {};
  if (!enabled) {
    return {};
  }
  const common = { timeout };
  if (typeof connection !== "undefined") {
    common.connection = connection;
  }
  const state = Object.assign(
    {
      clustering: connection != null,
      triggersNotification,
      fallbackSecondaryRateRetryAfter: 60,
      retryAfterBaseValue: 1e3,
      id
    },
    octokitOptions.throttle
  );
  if (typeof state.onSecondaryRateLimit !== "function" || typeof state.onRateLimit !== "function") {
    throw new Error(`octokit/plugin-throttling error:
        You must pass the onSecondaryRateLimit and onRateLimit error handlers.
        See https://octokit.github.io/rest.js/#throttling

        const octokit = new Octokit({
          throttle: {
            onSecondaryRateLimit: (retryAfter, options) => {/* ... */},
            onRateLimit: (retryAfter, options) => {/* ... */}
          }
        })
    `);
  }
  let initialized = false;
  const initializeBottleneck = () => {
    if (initialized) {
      return;
    }
    initialized = true;
    if (groups.global == null) {
      createGroups(Bottleneck, common);
    }
    state.global = state.global ?? groups.global;
    state.auth = state.auth ?? groups.auth;
    state.search = state.search ?? groups.search;
    state.write = state.write ?? groups.write;
    state.notifications = state.notifications ?? groups.notifications;
    state.retryLimiter = state.retryLimiter ?? new Bottleneck();
    const events = {};
    const emitter = new Bottleneck.Events(events);
    events.on("secondary-limit", state.onSecondaryRateLimit);
    events.on("rate-limit", state.onRateLimit);
    events.on(
      "error",
      (e) => octokit.log.warn("Error in throttling-plugin limit handler", e)
    );
    state.retryLimiter.on("failed", async function(error2, info2) {
      const [state2, request, options] = info2.args;
      const { pathname } = new URL(options.url, "http://github.test");
      const shouldRetryGraphQL = pathname.startsWith("/graphql") && error2.status !== 401;
      if (!(shouldRetryGraphQL || error2.status === 403 || error2.status === 429)) {
        return;
      }
      const retryCount = ~~request.retryCount;
      request.retryCount = retryCount;
      options.request.retryCount = retryCount;
      const { wantRetry, retryAfter = 0 } = await (async function() {
        if (/\bsecondary rate\b/i.test(error2.message)) {
          const retryAfter2 = Number(error2.response.headers["retry-after"]) || state2.fallbackSecondaryRateRetryAfter;
          const wantRetry2 = await emitter.trigger(
            "secondary-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        if (error2.response.headers != null && error2.response.headers["x-ratelimit-remaining"] === "0" || (error2.response.data?.errors ?? []).some(
          (error22) => error22.type === "RATE_LIMITED"
        )) {
          const rateLimitReset = new Date(
            ~~error2.response.headers["x-ratelimit-reset"] * 1e3
          ).getTime();
          const retryAfter2 = Math.max(
            // Add one second so we retry _after_ the reset time
            // https://docs.github.com/en/rest/overview/resources-in-the-rest-api?apiVersion=2022-11-28#exceeding-the-rate-limit
            Math.ceil((rateLimitReset - Date.now()) / 1e3) + 1,
            0
          );
          const wantRetry2 = await emitter.trigger(
            "rate-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        return {};
      })();
      if (wantRetry) {
        request.retryCount++;
        return retryAfter * state2.retryAfterBaseValue;
      }
    });
  };
  octokit.hook.wrap("request", (request, options) => {
    initializeBottleneck();
    return wrapRequest(state, request, options);
  });
  return {};
}
throttling.VERSION = VERSION;
throttling.triggersNotification = triggersNotification;

// src/github/client.ts
var MAX_RETRIES = 2;
var MAX_WAIT_SECONDS = 60;
function createClient(token) {
  const retryRateLimit = (retryAfter, request, _octokit, retryCount) => {
    const retrying = retryCount < MAX_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    info(
      `leakwatch: GitHub's rate limit stopped ${request.method} ${request.url}; ` + (retrying ? `retrying in ${retryAfter} s.` : "giving up.")
    );
    return retrying;
  };
  return getOctokit(
    token,
    {
      // 5xx and other transient failures are retried after 1, then 4 seconds; a 403 or 404 is an answer, not a hiccup.
      retry: { retries: MAX_RETRIES },
      throttle: { onRateLimit: retryRateLimit, onSecondaryRateLimit: retryRateLimit }
    },
    retry,
    throttling
  );
}
function explainCommentFailure(error2) {
  const status = error2.status;
  const message = error2 instanceof Error ? error2.message : String(error2);
  if (status === 403 && /not accessible by integration/i.test(message)) {
    return `leakwatch could not comment on the pull request: its token may only read ("Resource not accessible by integration"), as on pull requests from forks. The findings are in the job summary. To comment on such pull requests, post the comment from a workflow_run workflow (see "Pull requests from forks" in leakwatch's README), or give this job 'permissions: pull-requests: write'.`;
  }
  const code = typeof status === "number" ? ` (HTTP ${status})` : "";
  return `leakwatch could not comment on the pull request${code}: ${message}. The findings are in the job summary.`;
}

// src/github/artifacts.ts
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
async function artifactClient() {
  const { DefaultArtifactClient } = await import("./artifact-YQV3A6JW.js");
  return new DefaultArtifactClient();
}
var RUNS_SEARCHED = 10;
function artifactName(reportName) {
  return `${reportName}-report`;
}
async function saveReport(reportPath, reportName, retentionDays) {
  const name = artifactName(reportName);
  const { id } = await (await artifactClient()).uploadArtifact(name, [reportPath], path.dirname(reportPath), {
    ...retentionDays === void 0 ? {} : { retentionDays }
  });
  return `leakwatch: saved the report as artifact ${name} (id ${id}), for pull requests to compare with.`;
}
async function fetchBaseReport(client, token, base, reportName) {
  const name = artifactName(reportName);
  try {
    const { owner, repo } = base;
    const { data: thisRun } = await client.rest.actions.getWorkflowRun({ owner, repo, run_id: base.runId });
    const successfulRuns = async (headSha) => {
      const { data } = await client.rest.actions.listWorkflowRuns({
        owner,
        repo,
        workflow_id: thisRun.workflow_id,
        branch: base.ref,
        status: "success",
        per_page: RUNS_SEARCHED,
        ...headSha === void 0 ? {} : { head_sha: headSha }
      });
      return data.workflow_runs.filter((run2) => !run2.event.startsWith("pull_request") && run2.id !== base.runId);
    };
    const atBase = await successfulRuns(base.sha);
    const runs = atBase.length > 0 ? atBase : await successfulRuns();
    for (const run2 of runs) {
      const { data } = await client.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run2.id, name });
      const artifact = data.artifacts.find((candidate) => candidate.name === name);
      if (artifact === void 0) continue;
      const what = `the base's report (artifact ${name} of run ${run2.id}, commit ${run2.head_sha.slice(0, 7)})`;
      if (artifact.expired) {
        return `${what} has expired. Keep it longer with the input retention-days.`;
      }
      const text = await download(token, base, run2.id, artifact.id, `${reportName}.json`);
      if (text === void 0) return `${what} holds no ${reportName}.json.`;
      const report = parseBaseReport(text, what);
      return typeof report === "string" ? report : { report, source: { commit: run2.head_sha, runId: run2.id, file: null } };
    }
    return `no successful run of this workflow on ${base.ref} left an artifact ${name} (${runs.length === 0 ? "no successful run found" : `${runs.length} runs looked at`}). leakwatch saves one on every run that is not a pull request's: run this workflow on pushes to ${base.ref}.`;
  } catch (error2) {
    return explainFailure(error2);
  }
}
async function download(token, base, runId, artifactId, file) {
  const directory = await mkdtemp(path.join(os.tmpdir(), "leakwatch-base-"));
  try {
    await (await artifactClient()).downloadArtifact(artifactId, {
      path: directory,
      findBy: { token, workflowRunId: runId, repositoryOwner: base.owner, repositoryName: base.repo }
    });
    return await readFile(path.join(directory, file), "utf8").catch(() => void 0);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
function explainFailure(error2) {
  const status = error2.status;
  const message = error2 instanceof Error ? error2.message : String(error2);
  if (status === 403 || status === 404) {
    return `GitHub refused to list this workflow's runs or artifacts (HTTP ${status}: ${message}). Give the job 'permissions: actions: read' to compare with the base branch.`;
  }
  return `leakwatch could not get the base's report: ${message}`;
}

// src/github/pull-request.ts
function pullRequestOf(context2) {
  const pull = context2.payload.pull_request;
  if (!["pull_request", "pull_request_target"].includes(context2.eventName) || pull === void 0) return void 0;
  return { ...context2.repo, number: pull.number, headSha: pull.head?.sha ?? "" };
}
function fileLink(context2, pull, file, line) {
  if (file.startsWith("../") || pull.headSha === "") return void 0;
  const path3 = file.split("/").map(encodeURIComponent).join("/");
  return `${context2.serverUrl}/${pull.owner}/${pull.repo}/blob/${pull.headSha}/${path3}${line === null ? "" : `#L${line}`}`;
}
function runLink(context2) {
  return context2.runId ? `${context2.serverUrl}/${context2.repo.owner}/${context2.repo.repo}/actions/runs/${context2.runId}` : void 0;
}
function pullRequestBaseOf(context2) {
  const pull = pullRequestOf(context2);
  const base = context2.payload.pull_request?.base;
  if (pull === void 0 || base?.ref === void 0 || base.sha === void 0) return void 0;
  return { owner: pull.owner, repo: pull.repo, runId: context2.runId, ref: base.ref, sha: base.sha };
}

// src/publish.ts
import { mkdir, writeFile } from "node:fs/promises";
import os2 from "node:os";
import path2 from "node:path";

// src/format/annotations.ts
var MAX_ANNOTATIONS_PER_LEVEL = 10;
function annotationsFor(report, failing) {
  const newLeaks = new Set(report.comparison?.new ?? []);
  const findings = findingsOf(report);
  const place = (test) => ({
    // Annotations need a path inside the repository.
    file: test.file.startsWith("../") ? void 0 : test.file,
    line: test.line ?? void 0
  });
  const leaks = findings.leaks.map((test) => ({
    level: failing.has(test.id) ? "error" : "warning",
    title: `leakwatch: ${lastPart(test.id)} ${newLeaks.has(test.id) ? "newly " : ""}leaked ${formatSize(keptSize(test))}`,
    message: `${test.id} kept ${formatSize(keptSize(test))}, more than the limit of ${formatSize(report.limit)}${detail(test)}.`,
    ...place(test)
  }));
  const died = findings.incomplete.map((test) => ({
    level: report.exitCode === 0 ? "warning" : "error",
    title: `leakwatch: the process died in ${lastPart(test.id)}`,
    message: `${test.id} never finished: its process died, last seen at ${formatSize(test.lastSeen)} (${formatSize(test.lastSeen - test.before)} more than when the test started).`,
    ...place(test)
  }));
  const all = [...leaks, ...died];
  const shown = [];
  for (const level of ["error", "warning"]) {
    shown.push(...all.filter((annotation) => annotation.level === level).slice(0, MAX_ANNOTATIONS_PER_LEVEL));
  }
  return { annotations: shown, left: all.length - shown.length };
}
function detail(test) {
  const text = leakDetail(test);
  return text ? `: ${text}` : "";
}
function lastPart(testId) {
  return testId.slice(testId.lastIndexOf("::") + 2);
}

// src/github/comment.ts
function commentMarker(reportName) {
  return `<!-- leakwatch report: ${reportName} -->`;
}
async function upsertComment(octokit, pull, reportName, body, worthPosting) {
  const marker = commentMarker(reportName);
  const markedBody = `${marker}
${body}`;
  const existing = await findComment(octokit, pull, marker);
  if (existing === void 0) {
    if (!worthPosting) return "not needed";
    await octokit.rest.issues.createComment({
      owner: pull.owner,
      repo: pull.repo,
      issue_number: pull.number,
      body: markedBody
    });
    return "created";
  }
  if (existing.body === markedBody) return "unchanged";
  await octokit.rest.issues.updateComment({
    owner: pull.owner,
    repo: pull.repo,
    comment_id: existing.id,
    body: markedBody
  });
  return "updated";
}
async function findComment(octokit, pull, marker) {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: pull.owner,
    repo: pull.repo,
    issue_number: pull.number,
    per_page: 100
  });
  for await (const page of pages) {
    const found = page.data.find((comment) => comment.body?.startsWith(marker));
    if (found?.body !== void 0) return { id: found.id, body: found.body };
  }
  return void 0;
}

// src/publish.ts
async function publish(report, settings) {
  const directory = path2.join(process.env.RUNNER_TEMP ?? os2.tmpdir(), "leakwatch");
  await mkdir(directory, { recursive: true });
  const reportPath = path2.join(directory, `${settings.reportName}.json`);
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}
`);
  setOutput("leaks", report.tests.filter((test) => test.leaked).length);
  setOutput("tests", report.tests.length);
  setOutput("report", reportPath);
  setOutput("exit-code", report.exitCode);
  for (const line of renderTerminal(report)) info(line);
  info(`leakwatch: the JSON report is at ${reportPath}`);
  for (const warning2 of report.warnings) warning(warning2);
  if (report.baselineProblem !== null)
    warning(`leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (settings.failOnLeak === "new" && report.baselineProblem !== null && report.tests.some((test) => test.leaked)) {
    warning("leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.");
  }
  annotate(report, settings.failOnLeak);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const summary2 = renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      more: `in the JSON report (${reportPath}, the step's \`report\` output)`
    });
    await summary.addRaw(summary2).write();
  }
  const pull = pullRequestOf(context);
  if (pull === void 0) {
    await saveForPullRequests(reportPath, settings);
    return;
  }
  const body = renderMarkdown(report, {
    reportName: settings.reportName,
    maxBytes: COMMENT_MAX_BYTES,
    linkTo: (file, line) => fileLink(context, pull, file, line),
    runUrl: runLink(context),
    more: "in the workflow run's job summary and JSON report"
  });
  await writeFile(
    path2.join(directory, `${settings.reportName}.comment.md`),
    `${commentMarker(settings.reportName)}
${body}`
  );
  if (!settings.comment) return;
  const findings = findingsOf(report);
  try {
    const done = await upsertComment(
      createClient(settings.githubToken),
      pull,
      settings.reportName,
      body,
      findings.leaks.length + findings.incomplete.length > 0
    );
    info(`leakwatch: pull request comment ${done}.`);
  } catch (error2) {
    warning(explainCommentFailure(error2));
  }
}
async function saveForPullRequests(reportPath, settings) {
  if (settings.baseline.kind === "off" || process.env.ACTIONS_RUNTIME_TOKEN === void 0) return;
  try {
    info(await saveReport(reportPath, settings.reportName, settings.retentionDays));
  } catch (error2) {
    const message = error2 instanceof Error ? error2.message : String(error2);
    warning(`leakwatch could not save the report as an artifact, for pull requests to compare with: ${message}`);
  }
}
function annotate(report, failOnLeak) {
  const { annotations, left } = annotationsFor(report, new Set(failingLeaks(report, failOnLeak)));
  for (const { level, message, title, file, line } of annotations) {
    const properties = {
      title,
      ...file === void 0 ? {} : { file },
      ...line === void 0 ? {} : { startLine: line }
    };
    if (level === "error") error(message, properties);
    else warning(message, properties);
  }
  if (left > 0)
    info(`leakwatch: ${left} more findings are not annotated (GitHub shows 10 a step); see the summary.`);
}

// src/main.ts
async function run() {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => getInput(name), isDirectory, workspace);
    if (settings.githubToken) setSecret(settings.githubToken);
    info(
      `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`
    );
    const measured = await measure(settings, workspace, (line) => {
      info(line);
    });
    const report = await compareWithBase(measured, settings, baseFinder(settings, workspace));
    await publish(report, settings);
    const failures = verdict(report, settings.failOnLeak);
    if (failures.length > 0) setFailed(failures.join(" "));
  } catch (error2) {
    setFailed(error2 instanceof Error ? error2.message : String(error2));
  }
}
function baseFinder(settings, workspace) {
  const { baseline } = settings;
  return async () => {
    if (baseline.kind === "off") return void 0;
    if (baseline.kind === "file") return readBaseFile(baseline.path, workspace);
    const base = pullRequestBaseOf(context);
    if (base === void 0) return void 0;
    return fetchBaseReport(createClient(settings.githubToken), settings.githubToken, base, settings.reportName);
  };
}
function verdict(report, failOnLeak) {
  const failures = [];
  if (report.exitCode !== 0) failures.push(`The test command exited with ${report.exitCode}.`);
  const leaks = failingLeaks(report, failOnLeak).length;
  if (leaks > 0) {
    const which = failOnLeak === "new" ? " that did not leak in the base" : "";
    failures.push(`${leaks} test${leaks === 1 ? "" : "s"}${which} leaked more than ${formatSize(report.limit)}.`);
  }
  return failures;
}
function isDirectory(directory) {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

// src/index.ts
await run();
