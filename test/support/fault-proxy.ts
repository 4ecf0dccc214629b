import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Forward, then send the headers and only half the body, and cut the connection. */
  | { kind: 'truncate' }
  /** Forward, then send the body a few bytes at a time, `intervalMs` apart. */
  | { kind: 'drip'; bytes: number; intervalMs: number }
  /** Forward with the query rewritten, and the JSON response rewritten on the way back. */
  | { kind: 'rewrite'; path?: (path: string) => string; json: (body: any) => unknown };

export interface FaultProxy {
  url: string;
  /** Requests seen, in order (method and path). */
  seen: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the real platform that answers each request as `plan`
 * says: pass it through, answer a status itself, or mangle the real response on the way back.
 */
export async function startFaultProxy(target: string, plan: (index: number, method: string, path: string) => Fault): Promise<FaultProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = seen.length;
    seen.push(`${req.method} ${req.url}`);
    const fault = plan(index, req.method ?? 'GET', req.url ?? '/');
    if (fault.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { error: `injected ${fault.status}` }));
      return;
    }
    const path = fault.kind === 'rewrite' && fault.path ? fault.path(req.url ?? '/') : req.url;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...up.headers };
          if (fault.kind === 'pass') {
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(body);
          } else if (fault.kind === 'rewrite') {
            const rewritten = Buffer.from(JSON.stringify(fault.json(JSON.parse(body.toString('utf8')))));
            delete headers.etag;
            res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': String(rewritten.length) });
            res.end(rewritten);
          } else if (fault.kind === 'truncate') {
            res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
            res.write(body.subarray(0, Math.floor(body.length / 2)));
            res.socket?.destroy();
          } else {
            res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
            let offset = 0;
            const tick = () => {
              if (res.destroyed) return;
              res.write(body.subarray(offset, offset + fault.bytes));
              offset += fault.bytes;
              if (offset >= body.length) res.end();
              else {
                const t = setTimeout(tick, fault.intervalMs);
                timers.add(t);
              }
            };
            tick();
          }
        });
      },
    );
    forward.on('error', () => res.destroy());
    // A client that gives up mid-request must not leave the upstream request open (it would hold
    // the platform's close).
    res.on('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
