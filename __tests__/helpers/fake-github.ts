/**
 * A fake of the parts of GitHub that leakwatch uses, on 127.0.0.1: the REST API's issue comments, pull requests,
 * workflow runs, their jobs and artifacts, the Actions results service that @actions/artifact uploads through, and the
 * blob storage behind both. It keeps comments per pull request, pages them as GitHub does, keeps workflow runs and
 * their artifacts (an upload becomes an artifact of the run `uploadsTo` names, listed at once as GitHub lists v4
 * artifacts, and a name can be taken once a run), refuses writes by read-only tokens as GitHub refuses a fork's,
 * records every request, and answers with the failures a test plans.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** A planned answer, given instead of the real one to the next requests that match. */
export interface PlannedFailure {
  method?: string;
  times: number;
  status: number;
  body: object;
  headers?: Record<string, string>;
  /** Never answer: the request hangs until the client gives up. */
  hang?: boolean;
}

/** A planned answer to the next requests whose path starts with `path`. */
export interface PlannedPathFailure extends PlannedFailure {
  path: string;
}

export interface FakeRun {
  id: number;
  workflowId: number;
  branch: string;
  sha: string;
  event: string;
  conclusion: 'success' | 'failure';
  artifacts: FakeArtifact[];
  /** Its jobs, as the jobs API lists them. */
  jobs?: FakeJob[];
}

export interface FakeJob {
  name: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
}

/** An open pull request, as the pulls API lists it: its head may be a fork's. */
export interface FakePull {
  number: number;
  head: { sha: string; ref: string; repo: string };
  base: { ref: string; sha: string };
}

export interface FakeArtifact {
  id: number;
  name: string;
  expired: boolean;
  /** The artifact's zip. */
  zip: Buffer;
  /** The size GitHub lists it with; the zip's own by default. */
  sizeInBytes?: number;
}

/** An artifact uploaded through the results service: its name, expiry and zip as the upload left them. */
export interface Upload {
  name: string;
  expiresAt: string | undefined;
  zip: Buffer;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Comments by pull request number. */
  comments: Map<number, FakeComment[]>;
  /** Workflow runs, newest first, as GitHub lists them. */
  runs: FakeRun[];
  /** Artifacts uploaded, finalized ones only. */
  uploads: Upload[];
  /** The run that uploads become artifacts of, from now on (the run of the job uploading); none: of no run. */
  uploadsTo: number | undefined;
  /** Open pull requests. */
  pulls: FakePull[];
  /** Tokens that may only read, as a fork's pull request's: their writes are refused with a 403. */
  readOnlyTokens: Set<string>;
  /** Who the token is, as GraphQL's viewer says, and the author of the comments it posts. */
  viewer: string;
  fail(failure: PlannedFailure | PlannedPathFailure): void;
  close(): Promise<void>;
}

/** An unsigned token of the shape @actions/artifact reads its run's ids from. */
export const RUNTIME_TOKEN = [
  { alg: 'none', typ: 'JWT' },
  { scp: 'Actions.GenericRead:1 Actions.Results:ce7f54c7-61c7-4aae-887f-30da475f5f1a:ca395085-040a-526b-2ce8' },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('signature')
  .join('.');

const PAGE_SIZE_LIMIT = 100;

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, FakeComment[]>();
  const failures: (PlannedFailure & { path?: string })[] = [];
  const runs: FakeRun[] = [];
  const uploads: Upload[] = [];
  const pulls: FakePull[] = [];
  const readOnlyTokens = new Set<string>();
  /** Blobs being uploaded, by path: their staged blocks and content type. */
  const staged = new Map<string, { blocks: Map<string, Buffer>; expiresAt: string | undefined; name: string }>();
  let nextId = 1000;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(request);
    const isJson = /json/.test(request.headers['content-type'] ?? '') || raw.length === 0;
    const body: unknown = isJson && raw.length > 0 ? JSON.parse(raw.toString()) : undefined;
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, authorization: request.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(data));
    };

    const failure = failures.find(
      (planned) =>
        planned.times > 0 &&
        (planned.method ?? method) === method &&
        (planned.path === undefined || url.pathname.startsWith(planned.path)),
    );
    if (failure) {
      failure.times -= 1;
      if (failure.hang) return;
      send(failure.status, failure.body, failure.headers);
      return;
    }
    const token = (request.headers.authorization ?? '').replace(/^(token|Bearer) /, '');
    if (method !== 'GET' && url.pathname.startsWith('/repos/') && readOnlyTokens.has(token)) {
      send(403, { message: 'Resource not accessible by integration' });
      return;
    }
    if (url.pathname === '/graphql' && method === 'POST') {
      // The only query leakwatch makes: who the token is.
      send(200, { data: { viewer: { login: fake.viewer } } });
      return;
    }
    if (handleActions(url, method, body, raw, send, response)) return;
    if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(url.pathname) && method === 'GET') {
      const head = url.searchParams.get('head');
      const listed = pulls.filter((pull) => {
        if (head === null) return true;
        const [owner, ref] = head.split(':');
        return pull.head.repo.split('/')[0] === owner && pull.head.ref === ref;
      });
      send(
        200,
        listed.map((pull) => ({
          number: pull.number,
          head: { sha: pull.head.sha, ref: pull.head.ref, repo: { full_name: pull.head.repo } },
          base: pull.base,
        })),
      );
      return;
    }
    const match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (match) {
      const number = Number(match[1]);
      const list = comments.get(number) ?? [];
      comments.set(number, list);
      if (method === 'GET') {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), PAGE_SIZE_LIMIT);
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const headers: Record<string, string> = {};
        if (page < last) {
          const next = new URL(url);
          next.searchParams.set('page', String(page + 1));
          headers.link = `<${next.href.replace('http://127.0.0.1', baseUrl())}>; rel="next"`;
        }
        send(200, list.slice((page - 1) * perPage, page * perPage), headers);
        return;
      }
      if (method === 'POST') {
        const comment = {
          id: nextId++,
          body: (body as { body: string }).body,
          user: { login: fake.viewer, type: fake.viewer.endsWith('[bot]') ? 'Bot' : 'User' },
        };
        list.push(comment);
        send(201, comment);
        return;
      }
    }
    const updated = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (updated && method === 'PATCH') {
      const comment = [...comments.values()].flat().find((candidate) => candidate.id === Number(updated[1]));
      if (comment === undefined) {
        send(404, { message: 'Not Found' });
        return;
      }
      comment.body = (body as { body: string }).body;
      send(200, comment);
      return;
    }
    send(404, { message: 'Not Found' });
  };

  /** Workflow runs, artifacts, the results service and blob storage; false when the request is none of theirs. */
  const handleActions = (
    url: URL,
    method: string,
    body: unknown,
    raw: Buffer,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
    response: ServerResponse,
  ): boolean => {
    const path = url.pathname;
    const query = url.searchParams;
    const runOf = (id: string | undefined): FakeRun | undefined => runs.find((run) => run.id === Number(id));
    const asRun = (run: FakeRun) => ({
      id: run.id,
      workflow_id: run.workflowId,
      head_branch: run.branch,
      head_sha: run.sha,
      event: run.event,
      status: 'completed',
      conclusion: run.conclusion,
    });
    let match = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)$/.exec(path);
    if (match && method === 'GET') {
      const run = runOf(match[1]);
      if (run === undefined) send(404, { message: 'Not Found' });
      else send(200, asRun(run));
      return true;
    }
    match = /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/(\d+)\/runs$/.exec(path);
    if (match && method === 'GET') {
      const listed = runs.filter(
        (run) =>
          run.workflowId === Number(match?.[1]) &&
          (!query.has('branch') || run.branch === query.get('branch')) &&
          (!query.has('head_sha') || run.sha === query.get('head_sha')) &&
          (!query.has('status') || run.conclusion === query.get('status')),
      );
      const perPage = Math.min(Number(query.get('per_page') ?? 30), PAGE_SIZE_LIMIT);
      send(200, { total_count: listed.length, workflow_runs: listed.slice(0, perPage).map(asRun) });
      return true;
    }
    match = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/jobs$/.exec(path);
    if (match && method === 'GET') {
      const jobs = runOf(match[1])?.jobs ?? [];
      send(200, { total_count: jobs.length, jobs: paged(jobs, query) });
      return true;
    }
    match = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/artifacts$/.exec(path);
    if (match && method === 'GET') {
      const artifacts = (runOf(match[1])?.artifacts ?? []).filter(
        (artifact) => !query.has('name') || artifact.name === query.get('name'),
      );
      send(200, {
        total_count: artifacts.length,
        artifacts: paged(artifacts, query).map(({ id, name, expired, zip, sizeInBytes }) => ({
          id,
          name,
          expired,
          size_in_bytes: sizeInBytes ?? zip.length,
        })),
      });
      return true;
    }
    match = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/zip$/.exec(path);
    if (match && method === 'GET') {
      const artifact = runs.flatMap((run) => run.artifacts).find((candidate) => candidate.id === Number(match?.[1]));
      if (artifact === undefined || artifact.expired) send(artifact ? 410 : 404, { message: 'Artifact has expired' });
      else send(302, {}, { location: `${baseUrl()}/blobs/${artifact.id}.zip?sig=signed` });
      return true;
    }
    match = /^\/blobs\/(\d+)\.zip$/.exec(path);
    if (match && method === 'GET') {
      const artifact = runs.flatMap((run) => run.artifacts).find((candidate) => candidate.id === Number(match?.[1]));
      response.writeHead(artifact ? 200 : 404, { 'content-type': 'application/zip' });
      response.end(artifact?.zip ?? '');
      return true;
    }
    // @actions/artifact's upload: CreateArtifact gives a signed blob URL, the zip goes there in blocks, then
    // FinalizeArtifact.
    match = /^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/.exec(path);
    if (match && method === 'POST') {
      // The twirp client sends protobuf's JSON, with the fields' own snake_case names.
      const request = body as { name: string; expires_at?: string; name_filter?: string };
      const uploadRun = fake.uploadsTo === undefined ? undefined : runOf(String(fake.uploadsTo));
      if (match[1] === 'CreateArtifact' && uploadRun?.artifacts.some((artifact) => artifact.name === request.name)) {
        send(409, { code: 'already_exists', msg: 'an artifact with this name already exists on the workflow run' });
      } else if (match[1] === 'ListArtifacts') {
        const named = (uploadRun?.artifacts ?? []).filter(
          (artifact) => request.name_filter === undefined || artifact.name === request.name_filter,
        );
        send(200, {
          artifacts: named.map((artifact) => ({
            workflow_run_backend_id: 'run-backend',
            workflow_job_run_backend_id: 'job-backend',
            database_id: String(artifact.id),
            name: artifact.name,
            size: String(artifact.zip.length),
          })),
        });
      } else if (match[1] === 'DeleteArtifact') {
        const index = uploadRun?.artifacts.findIndex((artifact) => artifact.name === request.name) ?? -1;
        const [deleted] = index < 0 ? [] : (uploadRun?.artifacts.splice(index, 1) ?? []);
        if (deleted === undefined) send(404, { code: 'not_found', msg: 'artifact not found' });
        else send(200, { ok: true, artifact_id: String(deleted.id) });
      } else if (match[1] === 'CreateArtifact') {
        const blobPath = `/upload/${nextId++}`;
        staged.set(blobPath, { blocks: new Map(), expiresAt: request.expires_at, name: request.name });
        send(200, { ok: true, signedUploadUrl: `${baseUrl()}${blobPath}?sig=signed` });
      } else if (match[1] === 'FinalizeArtifact') {
        const id = nextId++;
        send(200, { ok: true, artifactId: String(id) });
      } else {
        send(404, { msg: 'unknown method' });
      }
      return true;
    }
    const blob = staged.get(path);
    if (blob !== undefined && method === 'PUT') {
      const blockId = query.get('blockid');
      if (query.get('comp') === 'block' && blockId !== null) {
        blob.blocks.set(blockId, raw);
      } else if (query.get('comp') === 'blocklist') {
        const order = [...raw.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map((m) => m[1]);
        const zip = Buffer.concat(order.map((id) => blob.blocks.get(id ?? '') ?? Buffer.alloc(0)));
        uploaded({ name: blob.name, expiresAt: blob.expiresAt, zip });
      } else {
        uploaded({ name: blob.name, expiresAt: blob.expiresAt, zip: raw });
      }
      response.writeHead(201, { etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-request-id': '1' });
      response.end();
      return true;
    }
    return false;
  };

  /** A finished upload: kept, and an artifact of the run uploads go to. */
  const uploaded = (upload: Upload): void => {
    uploads.push(upload);
    const run = runs.find((candidate) => candidate.id === fake.uploadsTo);
    run?.artifacts.push({ id: nextId++, name: upload.name, expired: false, zip: upload.zip });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = (): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeGitHub = {
    url: baseUrl(),
    requests,
    comments,
    runs,
    uploads,
    uploadsTo: undefined,
    pulls,
    readOnlyTokens,
    viewer: 'github-actions[bot]',
    fail: (failure) => failures.push({ ...failure }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        // Requests left hanging on purpose.
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** The page of `items` that `per_page` and `page` ask for, as GitHub pages its lists. */
function paged<T>(items: readonly T[], query: URLSearchParams): T[] {
  const perPage = Math.min(Number(query.get('per_page') ?? 30), PAGE_SIZE_LIMIT);
  const page = Number(query.get('page') ?? 1);
  return items.slice((page - 1) * perPage, page * perPage);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

/**
 * A zip bomb: one entry, `name`, of `size` zero bytes, deflated to about a thousandth of that, with its sizes and
 * checksum told truly.
 */
export async function zipBombOf(name: string, size: number): Promise<Buffer> {
  const block = Buffer.alloc(16 * 1024 * 1024);
  const deflater = createDeflateRaw({ level: 9 });
  const compressed: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => compressed.push(chunk));
  let checksum = 0;
  for (let written = 0; written < size; written += block.length) {
    const part = block.subarray(0, Math.min(block.length, size - written));
    checksum = crc32(part, checksum);
    if (!deflater.write(part)) await once(deflater, 'drain');
  }
  deflater.end();
  await once(deflater, 'end');
  const data = Buffer.concat(compressed);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflated
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/** A zip archive of the given files, stored without compression, as a test's artifact. */
export function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const fileName = Buffer.from(name);
    const checksum = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
