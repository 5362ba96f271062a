/**
 * A fake of the part of GitHub's REST API that leakwatch uses (issue comments), on 127.0.0.1. It keeps comments per
 * pull request, pages them as GitHub does, records every request, and answers with the failures a test plans.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Comments by pull request number. */
  comments: Map<number, FakeComment[]>;
  fail(failure: PlannedFailure): void;
  close(): Promise<void>;
}

const PAGE_SIZE_LIMIT = 100;

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, FakeComment[]>();
  const failures: PlannedFailure[] = [];
  let nextId = 1000;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    const body: unknown = text ? JSON.parse(text) : undefined;
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, authorization: request.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(data));
    };

    const failure = failures.find((planned) => planned.times > 0 && (planned.method ?? method) === method);
    if (failure) {
      failure.times -= 1;
      send(failure.status, failure.body, failure.headers);
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
          user: { login: 'github-actions[bot]', type: 'Bot' },
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

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = (): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl(),
    requests,
    comments,
    fail: (failure) => failures.push({ ...failure }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      resolve(text);
    });
    request.on('error', reject);
  });
}
