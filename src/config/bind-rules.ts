import { isIP } from 'node:net';
import type { ConfigProblem } from './types.ts';

// Rules that tie ATOM_HTTP_HOST to the other HTTP settings. The local marketplace API has no token of
// its own: on loopback only local processes reach it (and the Host check keeps browsers' rebound
// names out); bound to anything else, its write routes take ATOM_ADMIN_TOKEN, which must be set.

/** A bind address or Host name without its IPv6 brackets, lower-case, without a trailing dot. */
export function normalHostName(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const name = normalHostName(host);
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = name.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** 0.0.0.0 and :: bind every address of the machine. */
export function isWildcardHost(host: string): boolean {
  const name = normalHostName(host);
  return name === '0.0.0.0' || name === '::' || name === '0:0:0:0:0:0:0:0';
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** ATOM_HTTP_ALLOWED_HOSTS: comma-separated names or IP addresses, normalised; the bad entries apart. */
export function parseAllowedHosts(raw: string): { hosts: string[]; bad: string[] } {
  const hosts: string[] = [];
  const bad: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const name = normalHostName(entry);
    if (isIP(name) !== 0 || HOST_NAME.test(name)) hosts.push(name);
    else bad.push(entry);
  }
  return { hosts, bad };
}

export const ALLOWED_HOSTS_TEXT = 'comma-separated host names or IP addresses, without ports (e.g. atom.internal,10.0.0.5)';

/** Problems of the HTTP settings taken together (each variable alone is already validated). */
export function bindProblems(values: { host: unknown; adminToken: unknown; allowedHosts: unknown }): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (typeof values.allowedHosts === 'string') {
    const { bad } = parseAllowedHosts(values.allowedHosts);
    if (bad.length > 0) {
      problems.push({ variable: 'ATOM_HTTP_ALLOWED_HOSTS', value: bad.join(',').slice(0, 200), problem: 'has entries that are not host names', allowed: ALLOWED_HOSTS_TEXT });
    }
  }
  if (typeof values.host === 'string' && !isLoopbackHost(values.host) && (typeof values.adminToken !== 'string' || values.adminToken === '')) {
    problems.push({
      variable: 'ATOM_HTTP_HOST', value: values.host,
      problem: 'is not a loopback address, so the local API\'s write routes need a token, but ATOM_ADMIN_TOKEN is not set',
      allowed: 'a loopback address (127.0.0.1, ::1, localhost), or set ATOM_ADMIN_TOKEN (at least 16 characters)',
    });
  }
  return problems;
}
