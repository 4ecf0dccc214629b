import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every change to the catalog allocates a seq, so (database, seq, URL) determines a GET response
 * completely: the ETag is known before running the query, and a 304 costs no query at all.
 */
export function etagFor(changes: { dbId(): string }, seq: number, url: string): string {
  const urlHash = createHash('sha256').update(url).digest('base64url').slice(0, 16);
  return `"${changes.dbId()}-${seq}-${urlHash}"`;
}

/** If-None-Match (RFC 9110 13.1.2): `*`, or a list of tags compared weakly. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** Sets ETag and answers 304 when the client's copy is current; returns true when it did. */
export function answerIfNotModified(request: FastifyRequest, reply: FastifyReply, changes: { dbId(): string }, seq: number): boolean {
  const etag = etagFor(changes, seq, request.url);
  reply.header('ETag', etag);
  reply.header('Cache-Control', 'no-cache');
  if (!matchesIfNoneMatch(request.headers['if-none-match'], etag)) return false;
  void reply.code(304).send();
  return true;
}
