import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  COMMENT_MAX_BYTES,
  MAX_BASE_REPORT_BYTES,
  ReportMerger,
  SUMMARY_MAX_BYTES,
  annotationsFor,
  cancelOnSignals,
  compareWithBase,
  failingLeaks,
  findingsOf,
  finishMerge,
  formatSize,
  inert,
  measure,
  missingShards,
  parseBaseReport,
  printLine,
  printLines,
  readActionSettings,
  readBaseFile,
  readShards,
  renderMarkdown,
  renderTerminal,
  startMergedFile,
  toolVersion,
  verdict
} from "./chunk-FT7L3VHD.js";
import {
  context,
  error,
  getInput,
  getOctokit,
  require_light,
  retry,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-RJZA4VMM.js";
import {
  __toESM
} from "./chunk-NV5WPINZ.js";

// src/main.ts
import { statSync } from "node:fs";

// src/annotate.ts
function annotate(level, message2, place = {}) {
  const properties = {
    ...place,
    ...place.title === void 0 ? {} : { title: inert(place.title) },
    ...place.file === void 0 ? {} : { file: inert(place.file) }
  };
  if (level === "error") error(inert(message2), properties);
  else warning(inert(message2), properties);
}
function fail(message2) {
  setFailed(inert(message2));
}

// src/github/artifacts.ts
import path from "node:path";
import { Readable } from "node:stream";

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
    state.retryLimiter.on("failed", async function(error2, info) {
      const [state2, request, options] = info.args;
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
    const aborted = request.request?.signal?.aborted === true;
    const retrying = !aborted && retryCount < MAX_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    printLine(
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
async function withDeadline(seconds, work) {
  const override = Number(process.env.LEAKWATCH_GITHUB_DEADLINE);
  const limit = override > 0 ? Math.min(override, seconds) : seconds;
  const controller = new AbortController();
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`GitHub did not answer within ${limit} s`));
    }, limit * 1e3);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
function explainCommentFailure(error2) {
  const status = error2.status;
  const message2 = error2 instanceof Error ? error2.message : String(error2);
  if (status === 403 && /not accessible by integration/i.test(message2)) {
    return `leakwatch could not comment on the pull request: its token may only read ("Resource not accessible by integration"), as on pull requests from forks. The findings are in the job summary. To comment on such pull requests, post the comment from a workflow_run workflow (see leakwatch's docs/pull-requests.md), or give this job 'permissions: pull-requests: write'.`;
  }
  const code = typeof status === "number" ? ` (HTTP ${status})` : "";
  return `leakwatch could not comment on the pull request${code}: ${message2}. The findings are in the job summary.`;
}

// src/github/artifacts.ts
async function artifactClient() {
  const { DefaultArtifactClient } = await import("./artifact-AMG2JIHH.js");
  return new DefaultArtifactClient();
}
var RUNS_SEARCHED = 10;
function artifactName(reportName) {
  return `${reportName}-report`;
}
function shardArtifactName(reportName, label) {
  return `${reportName}-${label}`;
}
async function saveReport(reportPath, name, retentionDays) {
  const client = await artifactClient();
  const upload = async () => {
    const { id } = await client.uploadArtifact(name, [reportPath], path.dirname(reportPath), {
      ...retentionDays === void 0 ? {} : { retentionDays }
    });
    return id ?? 0;
  };
  try {
    return await upload();
  } catch (error2) {
    if (!/\(409\)/.test(error2 instanceof Error ? error2.message : String(error2))) throw error2;
    await client.deleteArtifact(name);
    return upload();
  }
}
var BASE_DEADLINE_SECONDS = 60;
var MAX_ARTIFACT_BYTES = 5e7;
var MAX_UNZIPPED_BYTES = MAX_BASE_REPORT_BYTES;
async function fetchBaseReport(client, base, reportName) {
  try {
    return await withDeadline(BASE_DEADLINE_SECONDS, (signal) => lookUpBaseReport(client, base, reportName, signal));
  } catch (error2) {
    return explainFailure(error2);
  }
}
async function lookUpBaseReport(client, base, reportName, signal) {
  const name = artifactName(reportName);
  const { owner, repo } = base;
  const request = { signal };
  const { data: thisRun } = await client.rest.actions.getWorkflowRun({ owner, repo, run_id: base.runId, request });
  const successfulRuns = async (headSha) => {
    const { data } = await client.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: thisRun.workflow_id,
      branch: base.ref,
      status: "success",
      per_page: RUNS_SEARCHED,
      ...headSha === void 0 ? {} : { head_sha: headSha },
      request
    });
    return data.workflow_runs.filter((run2) => !run2.event.startsWith("pull_request") && run2.id !== base.runId);
  };
  const atBase = await successfulRuns(base.sha);
  const runs = atBase.length > 0 ? atBase : await successfulRuns();
  for (const run2 of runs.slice(0, RUNS_SEARCHED)) {
    const { data } = await client.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run2.id, name, request });
    const artifact = data.artifacts.find((candidate) => candidate.name === name);
    if (artifact === void 0) continue;
    const what = `the base's report (artifact ${name} of run ${run2.id}, commit ${run2.head_sha.slice(0, 7)})`;
    if (artifact.expired) {
      return `${what} has expired. Keep it longer with the input retention-days.`;
    }
    if (!(artifact.size_in_bytes <= MAX_ARTIFACT_BYTES)) return tooLarge(what, artifact.size_in_bytes);
    const zip = await downloadZip(client, base, artifact.id, signal);
    if (zip === void 0) return tooLarge(what, void 0);
    const entry = await readZipEntry(zip, `${reportName}.json`, MAX_UNZIPPED_BYTES);
    if (entry === "too large") {
      return `${what} unzips to more than ${formatSize(MAX_UNZIPPED_BYTES)}: leakwatch reads no more of a base's report.`;
    }
    if (entry === "missing") return `${what} holds no ${reportName}.json.`;
    const report = parseBaseReport(entry.text, what);
    return typeof report === "string" ? report : { report, source: { commit: run2.head_sha, runId: run2.id, file: null } };
  }
  return `no successful run of this workflow on ${base.ref} left an artifact ${name} (${runs.length === 0 ? "no successful run found" : `${runs.length} runs looked at`}). leakwatch saves one on every run that is not a pull request's: run this workflow on pushes to ${base.ref}.`;
}
function tooLarge(what, size) {
  const limit = `the ${formatSize(MAX_ARTIFACT_BYTES)} leakwatch downloads of a base's report`;
  return size === void 0 ? `${what} is more than ${limit}.` : `${what} is ${formatSize(size)}, more than ${limit}.`;
}
async function downloadZip(client, repository, artifactId, signal) {
  const { headers } = await client.rest.actions.downloadArtifact({
    owner: repository.owner,
    repo: repository.repo,
    artifact_id: artifactId,
    archive_format: "zip",
    request: { redirect: "manual", signal }
  });
  if (headers.location === void 0) throw new Error("GitHub gave no address to download the artifact from");
  const response = await fetch(headers.location, { signal });
  if (!response.ok || response.body === null) {
    throw new Error(`the artifact's download failed (HTTP ${response.status})`);
  }
  if (Number(response.headers.get("content-length")) > MAX_ARTIFACT_BYTES) {
    await response.body.cancel();
    return void 0;
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_ARTIFACT_BYTES) return void 0;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
async function readZipEntry(zip, name, maxBytes) {
  const { default: unzip } = await import("./unzip-J7DMESY4.js");
  return new Promise((resolve, reject) => {
    const source = Readable.from([zip]);
    const parser = unzip.Parse();
    let pending = false;
    const settle = (result) => {
      source.destroy();
      parser.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    parser.on("entry", (entry) => {
      if (entry.path !== name || pending) {
        entry.autodrain();
        return;
      }
      pending = true;
      const chunks = [];
      let size = 0;
      entry.on("data", (chunk) => {
        size += chunk.length;
        if (size > maxBytes) {
          entry.destroy();
          settle("too large");
        } else chunks.push(chunk);
      });
      entry.on("end", () => {
        settle({ text: Buffer.concat(chunks).toString("utf8") });
      });
      entry.on("error", settle);
    });
    parser.on("error", settle);
    parser.on("finish", () => {
      if (!pending) settle("missing");
    });
    source.pipe(parser);
  });
}
function explainFailure(error2) {
  const status = error2.status;
  const message2 = error2 instanceof Error ? error2.message : String(error2);
  if (status === 403 || status === 404) {
    return `GitHub refused to list this workflow's runs or artifacts (HTTP ${status}: ${message2}). Give the job 'permissions: actions: read' to compare with the base branch.`;
  }
  return `leakwatch could not get the base's report: ${message2}`;
}

// src/github/pull-request.ts
function pullRequestOf(context2) {
  const pull = context2.payload.pull_request;
  if (!isPullRequestEvent(context2.eventName) || pull === void 0) return void 0;
  return { ...context2.repo, number: pull.number, headSha: pull.head?.sha ?? "" };
}
function linkedCommit(context2, pull) {
  return pull ?? { ...context2.repo, headSha: context2.sha };
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
function placeOfRun(context2) {
  const pull = pullRequestOf(context2);
  return { pull, commit: linkedCommit(context2, pull), runUrl: runLink(context2), savesBase: pull === void 0 };
}
var PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target"];
function isPullRequestEvent(event) {
  return PULL_REQUEST_EVENTS.includes(event);
}
function triggeringRunOf(context2) {
  if (context2.eventName !== "workflow_run") return void 0;
  const run2 = context2.payload.workflow_run;
  if (typeof run2?.id !== "number" || typeof run2.head_sha !== "string" || typeof run2.event !== "string")
    return void 0;
  const text = (value) => typeof value === "string" ? value : "";
  return {
    id: run2.id,
    event: run2.event,
    headSha: run2.head_sha,
    headBranch: text(run2.head_branch),
    headRepository: text(run2.head_repository?.full_name),
    pullRequests: (run2.pull_requests ?? []).flatMap(
      (pull) => typeof pull.number === "number" ? [
        {
          number: pull.number,
          headSha: text(pull.head?.sha),
          baseRef: text(pull.base?.ref),
          baseSha: text(pull.base?.sha)
        }
      ] : []
    )
  };
}

// src/publish.ts
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path2 from "node:path";

// src/github/comment.ts
function commentMarker(reportName) {
  return `<!-- leakwatch report: ${reportName} -->`;
}
var COMMENT_DEADLINE_SECONDS = 60;
var PER_PAGE = 100;
var MAX_COMMENT_PAGES = 100;
function upsertComment(octokit, pull, reportName, body, worthPosting) {
  return withDeadline(COMMENT_DEADLINE_SECONDS, async (signal) => {
    const marker = commentMarker(reportName);
    const markedBody = `${marker}
${body}`;
    const existing = await findOwnComment(octokit, pull, marker, signal);
    if (existing === void 0) {
      if (!worthPosting) return "not needed";
      await octokit.rest.issues.createComment({
        owner: pull.owner,
        repo: pull.repo,
        issue_number: pull.number,
        body: markedBody,
        request: { signal }
      });
      return "created";
    }
    if (existing.body === markedBody) return "unchanged";
    await octokit.rest.issues.updateComment({
      owner: pull.owner,
      repo: pull.repo,
      comment_id: existing.id,
      body: markedBody,
      request: { signal }
    });
    return "updated";
  });
}
async function findOwnComment(octokit, pull, marker, signal) {
  const marked = (await listComments(octokit, pull, signal)).filter((comment) => comment.body?.startsWith(marker));
  if (marked.length === 0) return void 0;
  const self = await tokenLogin(octokit, signal);
  if (self === void 0) return void 0;
  const own = marked.find((comment) => isAuthor(comment, self));
  return own?.body === void 0 ? void 0 : { id: own.id, body: own.body };
}
async function listComments(octokit, pull, signal) {
  const comments = [];
  for (let page = 1; page <= MAX_COMMENT_PAGES; page += 1) {
    const { data, headers } = await octokit.rest.issues.listComments({
      owner: pull.owner,
      repo: pull.repo,
      issue_number: pull.number,
      per_page: PER_PAGE,
      page,
      request: { signal }
    });
    comments.push(...data);
    if (data.length < PER_PAGE || !/rel="next"/.test(headers.link ?? "")) return comments;
  }
  throw new Error(
    `GitHub listed more than ${MAX_COMMENT_PAGES * PER_PAGE} comments on the pull request without an end; leakwatch stopped reading them`
  );
}
async function tokenLogin(octokit, signal) {
  try {
    const { viewer } = await octokit.graphql("query { viewer { login } }", {
      request: { signal }
    });
    if (typeof viewer?.login === "string" && viewer.login !== "") return viewer.login;
    annotate(
      "warning",
      "leakwatch could not tell which comment is its own: GitHub did not say who the token is. It posts a new comment rather than edit one it cannot tell is its own."
    );
  } catch (error2) {
    if (signal.aborted) throw error2;
    const message2 = error2 instanceof Error ? error2.message : String(error2);
    annotate(
      "warning",
      `leakwatch could not tell which comment is its own: GitHub did not say who the token is (${message2}). It posts a new comment rather than edit one it cannot tell is its own.`
    );
  }
  return void 0;
}
function isAuthor(comment, login) {
  const author = comment.user?.login;
  if (author === void 0) return false;
  if (author === login) return true;
  const bare = (name) => name.replace(/\[bot\]$/, "");
  return comment.user?.type === "Bot" && bare(author) === bare(login);
}

// src/publish.ts
var SHARD_SUMMARY_MAX_BYTES = 16384;
function reportDirectory() {
  return path2.join(process.env.RUNNER_TEMP ?? os.tmpdir(), "leakwatch");
}
function reportPathOf(reportName) {
  return path2.join(reportDirectory(), `${reportName}.json`);
}
async function writeReport(report, reportName) {
  const reportPath = reportPathOf(reportName);
  const written = await attempt("the JSON report", async () => {
    await mkdir(reportDirectory(), { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}
`);
    return true;
  });
  return written === true ? reportPath : void 0;
}
async function publish(report, settings, place, { reportPath, memory }) {
  const linkTo = (file, line) => fileLink(context, place.commit, file, line);
  const body = renderMarkdown(report, {
    reportName: settings.reportName,
    maxBytes: COMMENT_MAX_BYTES,
    linkTo,
    charts: "folded",
    memory,
    runUrl: place.runUrl,
    more: "in the workflow run's job summary and JSON report"
  });
  const markdownPath = path2.join(reportDirectory(), `${settings.reportName}.comment.md`);
  const markdownWritten = await attempt("the comment file", async () => {
    await mkdir(reportDirectory(), { recursive: true });
    await writeFile(markdownPath, `${commentMarker(settings.reportName)}
${body}`);
    return true;
  });
  await setOutputs(report, reportPath, markdownWritten === true ? markdownPath : void 0);
  logFindings(report, reportPath);
  if (report.baselineProblem !== null)
    annotate("warning", `leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (settings.failOnLeak === "new" && report.baselineProblem !== null && report.tests.some((test) => test.leaked)) {
    annotate("warning", "leakwatch: fail-on-leak is 'new', and with no base to compare with, no leak fails the build.");
  }
  annotateFindings(report, settings.failOnLeak);
  await writeSummary(
    renderMarkdown(report, {
      reportName: settings.reportName,
      maxBytes: SUMMARY_MAX_BYTES,
      linkTo,
      charts: "shown",
      memory,
      more: reportPath === void 0 ? "in the job log" : `in the JSON report (${reportPath}, the step's \`report\` output)`
    })
  );
  if (place.savesBase) {
    if (reportPath !== void 0 && settings.baseline.kind !== "off") {
      await saveArtifact(
        reportPath,
        artifactName(settings.reportName),
        settings.retentionDays,
        "for pull requests to compare with"
      );
    }
    return;
  }
  if (place.pull === void 0 || !settings.comment) return;
  const findings = findingsOf(report);
  try {
    const done = await upsertComment(
      createClient(settings.githubToken),
      place.pull,
      settings.reportName,
      body,
      findings.leaks.length + findings.incomplete.length > 0 || report.coverage.unmeasured > 0 || hasMissingShards(report)
    );
    printLine(`leakwatch: pull request comment ${done}.`);
  } catch (error2) {
    annotate("warning", explainCommentFailure(error2));
  }
}
async function publishShard(report, settings) {
  const reportPath = await writeReport(report, settings.reportName);
  await setOutputs(report, reportPath, void 0);
  logFindings(report, reportPath);
  const name = shardArtifactName(settings.reportName, settings.shard.label);
  await writeSummary(
    renderMarkdown(report, {
      reportName: `${settings.reportName === "leakwatch" ? "" : `${settings.reportName} `}shard ${settings.shard.label}`,
      maxBytes: SHARD_SUMMARY_MAX_BYTES,
      more: `in this shard's artifact ${name}, and merged with the other shards by the step with merge: true`
    })
  );
  if (reportPath === void 0) return;
  if (process.env.ACTIONS_RUNTIME_TOKEN === void 0) {
    annotate("warning", `leakwatch could not save shard ${settings.shard.label}'s report: this is not an Actions job.`);
    return;
  }
  await saveArtifact(reportPath, name, settings.retentionDays, "for the merge step");
}
function hasMissingShards(report) {
  return (report.missingShards?.length ?? 0) > 0;
}
async function setOutputs(report, reportPath, markdownPath) {
  await attempt("the step's outputs", () => {
    setOutput("leaks", report.tests.filter((test) => test.leaked).length);
    setOutput("new-leaks", report.comparison === null ? "" : report.comparison.new.length);
    setOutput("crashed", report.incomplete.length);
    setOutput("tests", report.coverage.measured);
    setOutput("unmeasured", report.coverage.unmeasured);
    setOutput("missing-shards", report.missingShards?.length ?? "");
    setOutput("report", reportPath ?? "");
    setOutput("markdown", markdownPath ?? "");
    setOutput("exit-code", report.exitCode);
  });
}
function logFindings(report, reportPath) {
  printLines([
    ...renderTerminal(report),
    ...reportPath === void 0 ? [] : [`leakwatch: the JSON report is at ${reportPath}`]
  ]);
  for (const warning2 of report.warnings) annotate("warning", warning2);
}
async function writeSummary(markdown) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await attempt("the job summary", () => summary.addRaw(markdown).write());
}
async function attempt(what, write) {
  try {
    return await write();
  } catch (error2) {
    annotate("warning", `leakwatch could not write ${what}: ${error2 instanceof Error ? error2.message : String(error2)}`);
    return void 0;
  }
}
async function saveArtifact(reportPath, name, retentionDays, why) {
  if (process.env.ACTIONS_RUNTIME_TOKEN === void 0) return;
  try {
    const id = await saveReport(reportPath, name, retentionDays);
    printLine(`leakwatch: saved the report as artifact ${name} (id ${id}), ${why}.`);
  } catch (error2) {
    const message2 = error2 instanceof Error ? error2.message : String(error2);
    annotate("warning", `leakwatch could not save the report as an artifact, ${why}: ${message2}`);
  }
}
function annotateFindings(report, failOnLeak) {
  const { annotations, left } = annotationsFor(report, new Set(failingLeaks(report, failOnLeak)));
  for (const { level, message: message2, title, file, line } of annotations) {
    const properties = {
      title,
      ...file === void 0 ? {} : { file },
      ...line === void 0 ? {} : { startLine: line }
    };
    annotate(level, message2, properties);
  }
  if (left > 0)
    printLine(`leakwatch: ${left} more findings are not annotated (GitHub shows 10 a step); see the summary.`);
}

// src/measure-step.ts
async function measureStep(settings, workspace, cancel) {
  printLine(
    `leakwatch: running '${settings.command}', measuring each test's memory (limit ${formatSize(settings.limit)})`
  );
  const measured = await measure(
    settings,
    workspace,
    (line) => {
      printLine(line);
    },
    cancel
  );
  const place = placeOfRun(context);
  if (settings.publish === "merge-later") {
    const report2 = {
      ...measured,
      shard: {
        label: settings.shard.label,
        reportName: settings.reportName,
        commit: place.commit.headSha,
        runId: context.runId,
        job: process.env.GITHUB_JOB ?? "",
        matrix: settings.shard.matrix,
        jobIndex: settings.shard.jobIndex,
        jobTotal: settings.shard.jobTotal
      }
    };
    await publishShard(report2, settings);
    return verdict(report2, { ...settings, failOnLeak: "never" });
  }
  const report = await compareWithBase(measured, settings, baseFinder(settings, workspace));
  await publish(report, settings, place, { reportPath: await writeReport(report, settings.reportName) });
  return verdict(report, settings);
}
function baseFinder(settings, workspace) {
  const { baseline } = settings;
  return async () => {
    if (baseline.kind === "off") return void 0;
    if (baseline.kind === "file") return readBaseFile(baseline.path, workspace, { insideDirectory: true });
    const base = pullRequestBaseOf(context);
    if (base === void 0) return void 0;
    return fetchBaseReport(createClient(settings.githubToken), base, settings.reportName);
  };
}

// src/github/shards.ts
var PER_PAGE2 = 100;
var MAX_PAGES = 10;
async function listArtifacts(client, run2, prefix, signal) {
  const found = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await client.rest.actions.listWorkflowRunArtifacts({
      owner: run2.owner,
      repo: run2.repo,
      run_id: run2.runId,
      per_page: PER_PAGE2,
      page,
      request: { signal }
    });
    for (const artifact of data.artifacts) {
      if (artifact.name.startsWith(prefix)) {
        found.push({
          id: artifact.id,
          name: artifact.name,
          expired: artifact.expired,
          sizeInBytes: artifact.size_in_bytes
        });
      }
    }
    if (data.artifacts.length < PER_PAGE2) break;
  }
  return found.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
async function readArtifactFile(client, run2, artifact, file, signal) {
  if (artifact.expired) return { problem: "it has expired" };
  const tooLarge2 = {
    problem: `it is more than the ${formatSize(MAX_ARTIFACT_BYTES)} leakwatch downloads of a shard's report`
  };
  if (!(artifact.sizeInBytes <= MAX_ARTIFACT_BYTES)) return tooLarge2;
  const zip = await downloadZip(client, run2, artifact.id, signal);
  if (zip === void 0) return tooLarge2;
  const entry = await readZipEntry(zip, file, MAX_UNZIPPED_BYTES);
  if (entry === "too large") return { problem: `it unzips to more than ${formatSize(MAX_UNZIPPED_BYTES)}` };
  return entry;
}
async function listJobs(client, run2, signal) {
  const jobs = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await client.rest.actions.listJobsForWorkflowRun({
      owner: run2.owner,
      repo: run2.repo,
      run_id: run2.runId,
      filter: "latest",
      per_page: PER_PAGE2,
      page,
      request: { signal }
    });
    jobs.push(...data.jobs.map((job) => ({ name: job.name, status: job.status, conclusion: job.conclusion })));
    if (data.jobs.length < PER_PAGE2) break;
  }
  return jobs;
}
async function findPullRequest(client, repository, run2, signal) {
  const linked = run2.pullRequests.find((pull2) => pull2.headSha === run2.headSha);
  if (linked !== void 0) return linked;
  const headOwner = run2.headRepository.split("/")[0] ?? "";
  const { data } = await client.rest.pulls.list({
    owner: repository.owner,
    repo: repository.repo,
    state: "open",
    head: `${headOwner}:${run2.headBranch}`,
    per_page: PER_PAGE2,
    request: { signal }
  });
  const pull = data.find(
    (candidate) => candidate.head.sha === run2.headSha && candidate.head.repo.full_name === run2.headRepository
  );
  return pull === void 0 ? void 0 : { number: pull.number, headSha: pull.head.sha, baseRef: pull.base.ref, baseSha: pull.base.sha };
}

// src/merge-step.ts
import { mkdir as mkdir2 } from "node:fs/promises";
var CALL_DEADLINE_SECONDS = 60;
var MAX_SHARDS = 256;
async function mergeStep(settings, workspace, cancel) {
  for (const message2 of settings.unused) annotate("warning", message2);
  const client = createClient(settings.githubToken);
  const triggering = triggeringRunOf(context);
  const run2 = { ...context.repo, runId: settings.runId ?? triggering?.id ?? context.runId };
  const { place, base } = await placeOfMerge(client, run2);
  printLine(
    `leakwatch: merging the reports of ${settings.reportName}'s shards, saved as artifacts of run ${run2.runId}`
  );
  const found = await findBaseReport(client, settings, base, workspace);
  const merger = new ReportMerger({
    toolVersion: toolVersion(),
    base: found === void 0 || typeof found === "string" ? void 0 : { report: found.report, source: found.source, threshold: settings.regression },
    baselineProblem: typeof found === "string" ? found : null
  });
  const listed = await shardSources(client, run2, settings.reportName);
  const reportPath = reportPathOf(settings.reportName);
  const onWriteFailure = (error2) => {
    annotate(
      "warning",
      `leakwatch could not write the JSON report: ${error2 instanceof Error ? error2.message : String(error2)}`
    );
  };
  await mkdir2(reportDirectory(), { recursive: true }).catch(onWriteFailure);
  const writer = await startMergedFile(reportPath, toolVersion(), onWriteFailure);
  const sources = typeof listed === "string" ? [] : listed;
  const read = await readShards(sources, merger, writer, {
    expect: { reportName: settings.reportName, commit: await headOf(client, run2, place) },
    cancel,
    onWriteFailure
  });
  const jobs = await withDeadline(CALL_DEADLINE_SECONDS, (signal) => listJobs(client, run2, signal)).catch(
    () => void 0
  );
  const missing = missingShards(read.reported, read.refused, settings.shards, jobs);
  if (typeof listed === "string") merger.noReports(listed);
  else if (read.reported.length === 0 && read.refused.length === 0) {
    merger.noReports(
      `no artifact named ${settings.reportName}-<shard> in run ${run2.runId}: the shards' steps need 'publish: merge-later' and report-name ${settings.reportName}, and this job needs them (needs: with if: always())`
    );
  }
  const merged = await finishMerge(merger, read.writer, missing, onWriteFailure);
  printLine(
    `leakwatch: merged ${read.reported.length} shard${read.reported.length === 1 ? "" : "s"}` + (missing.length === 0 ? "" : `; ${missing.length} missing or refused`)
  );
  await publish(merged.report, settings, place, {
    reportPath: merged.written ? reportPath : void 0,
    memory: merged.memory
  });
  return verdict(merged.report, settings);
}
async function shardSources(client, run2, reportName) {
  const listed = await withDeadline(
    CALL_DEADLINE_SECONDS,
    (signal) => listArtifacts(client, run2, `${reportName}-`, signal)
  ).catch((error2) => refusal(error2, run2, "artifacts"));
  if (typeof listed === "string") return listed;
  const artifacts = listed.filter((artifact) => artifact.name !== artifactName(reportName));
  if (artifacts.length > MAX_SHARDS) {
    annotate(
      "warning",
      `leakwatch found ${artifacts.length} artifacts named ${reportName}-*, and merges the first ${MAX_SHARDS} (a matrix has at most 256 jobs).`
    );
  }
  return artifacts.slice(0, MAX_SHARDS).map((artifact) => ({
    what: `artifact ${artifact.name}`,
    label: artifact.name.slice(reportName.length + 1),
    strict: true,
    read: async () => {
      const read = await withDeadline(
        CALL_DEADLINE_SECONDS,
        (signal) => readArtifactFile(client, run2, artifact, `${reportName}.json`, signal)
      );
      return read === "missing" ? "not ours" : read;
    }
  }));
}
async function placeOfMerge(client, run2) {
  const triggering = triggeringRunOf(context);
  if (triggering === void 0 || triggering.id !== run2.runId) {
    return { place: placeOfRun(context), base: pullRequestBaseOf(context) };
  }
  const commit = { ...context.repo, headSha: triggering.headSha };
  const place = { pull: void 0, commit, runUrl: runLink(context), savesBase: false };
  if (!isPullRequestEvent(triggering.event)) return { place: { ...place, savesBase: true }, base: void 0 };
  const pull = await withDeadline(
    CALL_DEADLINE_SECONDS,
    (signal) => findPullRequest(client, context.repo, triggering, signal)
  ).catch((error2) => {
    annotate("warning", `leakwatch could not look up the pull request of run ${run2.runId}: ${message(error2)}`);
    return void 0;
  });
  if (pull === void 0) {
    annotate(
      "warning",
      `leakwatch found no open pull request whose head is run ${run2.runId}'s commit ${triggering.headSha.slice(0, 7)} (closed, or pushed to since): the findings are in the job summary only.`
    );
    return { place, base: void 0 };
  }
  return {
    place: { ...place, pull: { ...context.repo, number: pull.number, headSha: triggering.headSha } },
    base: { ...context.repo, runId: context.runId, ref: pull.baseRef, sha: pull.baseSha }
  };
}
async function headOf(client, run2, place) {
  if (run2.runId === context.runId || run2.runId === triggeringRunOf(context)?.id) return place.commit.headSha;
  return withDeadline(CALL_DEADLINE_SECONDS, async (signal) => {
    const { data } = await client.rest.actions.getWorkflowRun({
      ...context.repo,
      run_id: run2.runId,
      request: { signal }
    });
    return data.head_sha;
  }).catch((error2) => {
    annotate(
      "warning",
      `leakwatch could not ask GitHub for run ${run2.runId}'s commit (${message(error2)}): the shards' commits are not checked.`
    );
    return void 0;
  });
}
async function findBaseReport(client, settings, base, workspace) {
  const { baseline } = settings;
  if (baseline.kind === "off") return void 0;
  if (baseline.kind === "file") return readBaseFile(baseline.path, workspace, { insideDirectory: true });
  if (base === void 0) return void 0;
  return fetchBaseReport(client, base, settings.reportName);
}
function refusal(error2, run2, what) {
  const status = error2.status;
  const permission = status === 403 || status === 404 ? " Give the job 'permissions: actions: read'." : "";
  return `GitHub did not list run ${run2.runId}'s ${what} (${message(error2)}).${permission}`;
}
function message(error2) {
  return error2 instanceof Error ? error2.message : String(error2);
}

// src/main.ts
async function run() {
  const cancel = cancelOnSignals();
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const settings = readActionSettings((name) => getInput(name), isDirectory, workspace, process.env.GITHUB_JOB);
    if (settings.githubToken) setSecret(settings.githubToken);
    const { failures, warnings } = settings.mode === "merge" ? await mergeStep(settings, workspace, cancel) : await measureStep(settings, workspace, cancel);
    for (const warning2 of warnings) annotate("warning", warning2);
    if (failures.length > 0) fail(failures.join(" "));
  } catch (error2) {
    fail(error2 instanceof Error ? error2.message : String(error2));
  }
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
