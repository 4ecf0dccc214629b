import type { FastifyInstance } from 'fastify';
import { buildPlatformApp, type PlatformAppOptions } from './app.ts';
import type { PushHub } from './push/hub.ts';

export interface StartPlatformOptions extends PlatformAppOptions {
  /** Default 127.0.0.1: the platform is reachable from elsewhere only when asked. */
  host?: string;
  /** Default 5058; 0 picks a free port (tests). */
  port?: number;
}

export interface RunningPlatform {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  /** ws://host:port/ws (add ?token=...). */
  wsUrl: string;
  hub: PushHub | undefined;
  /** Closes sockets (1001), stops accepting requests, then closes the database. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_PLATFORM_PORT = 5058;
export const DEFAULT_PLATFORM_HOST = '127.0.0.1';

export async function startPlatform(options: StartPlatformOptions): Promise<RunningPlatform> {
  const app = buildPlatformApp(options);
  const host = options.host ?? DEFAULT_PLATFORM_HOST;
  try {
    await app.listen({ host, port: options.port ?? DEFAULT_PLATFORM_PORT });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PLATFORM_PORT);
  // An IPv6 literal needs brackets inside a URL.
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${hostInUrl}:${port}`,
    wsUrl: `ws://${hostInUrl}:${port}/ws`,
    hub: app.platform.hub,
    close: () => (closing ??= app.close()),
  };
}
