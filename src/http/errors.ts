import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeValidation, sendError, title } from '../contract/error-envelope.ts';

/**
 * Errors of the shell leave as JSON `{ error, message }`: a schema 400 names the field, a 5xx is
 * logged with its stack and answered without internals, an unknown route never echoes its URL.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const { message } = describeValidation(err.validation, err.validationContext);
      return sendError(reply, 400, message);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'the agent could not complete the request');
    }
    // Fastify's 415 names the caller's Content-Type: say what is taken instead.
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'request bodies must be application/json');
    return sendError(reply, status, err.message);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'no such route'));
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route (a path that is not valid
 * percent-encoding, a path parameter past its length). Fastify's own answer echoes the path and adds
 * `code` and `statusCode`; ours is the documented shape and says what was wrong without the URL.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL'
    ? 'the URL is not valid: it holds a malformed percent-encoding'
    : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter of the URL is too long' : 'the request could not be routed';
  void sendError(reply, 400, message);
}

const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'the request headers are larger than the shell accepts (16 KiB)' },
};

/**
 * Fastify's `clientErrorHandler`: requests Node's parser refused before Fastify saw them (headers too
 * large, malformed HTTP, a timeout). Answered on the socket in the same `{ error, message }` shape,
 * then the connection is closed, as Node does.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, message } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, message: 'the request is not valid HTTP' };
  const body = JSON.stringify({ error: title(status), message });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title(status)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
