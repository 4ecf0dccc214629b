import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INSTANCE_TOKEN } from './platform.ts';

/** A raw answer: the body is text, so it can be anything (100,000 levels of nesting, broken JSON). */
export interface HostileAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

/** How the hostile platform answers one request: 'pass' forwards it to the real platform unchanged. */
export type HostileScript = (request: { index: number; method: string; url: URL }) => HostileAnswer | 'pass' | Promise<HostileAnswer | 'pass'>;

export interface HostilePlatform {
  url: string;
  /** Requests seen since the last `answerWith` (method and path). */
  seen: string[];
  /** From now on, answer with `script` (null: pass everything through). Resets `seen`. */
  answerWith(script: HostileScript | null): void;
  /** A page of the real platform's listing, parsed (to build hostile pages from real skills). */
  realPage(query: string): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/**
 * A platform on 127.0.0.1 that answers badly on purpose: in front of the real reference platform,
 * it forwards what its script passes and answers the rest itself with whatever text the script says.
 */
export async function startHostilePlatform(upstream: string): Promise<HostilePlatform> {
  const target = new URL(upstream);
  let script: HostileScript | null = null;
  let seen: string[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
  const server = createServer((req, res) => {
    const index = seen.length;
    seen.push(`${req.method} ${req.url}`);
    const current = script;
    if (!current) return forward(req, res);
    void Promise.resolve(current({ index, method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://hostile') })).then((answer) => {
      if (answer === 'pass') return forward(req, res);
      req.resume();
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    }, () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get seen() {
      return seen;
    },
    answerWith(next) {
      script = next;
      seen = [];
    },
    async realPage(query) {
      const res = await fetch(`${upstream}/api/v1/skills?${query}`, { headers: { authorization: `Bearer ${INSTANCE_TOKEN}` } });
      return (await res.json()) as Record<string, any>;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
