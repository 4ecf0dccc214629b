import { describe, expect, it } from 'vitest';
import type { FastifySchemaValidationError } from 'fastify';
import { describeValidation, title } from '../../src/contract/error-envelope.ts';

const failure = (over: Partial<FastifySchemaValidationError>): FastifySchemaValidationError =>
  ({ keyword: 'type', instancePath: '', schemaPath: '#', params: {}, message: 'must be string', ...over }) as FastifySchemaValidationError;

describe('error envelope', () => {
  it('titles a status by its reason phrase, both shells alike', () => {
    expect(title(429)).toBe('Too Many Requests');
    expect(title(413)).toBe('Payload Too Large');
    expect(title(431)).toBe('Request Header Fields Too Large');
  });

  it('titles an unnamed status by its class', () => {
    expect(title(599)).toBe('Server Error');
    expect(title(499)).toBe('Client Error');
  });

  it('names the missing property of a required failure, nested paths dotted', () => {
    expect(describeValidation([failure({ keyword: 'required', instancePath: '/skills/0', params: { missingProperty: 'name' } })], 'body'))
      .toEqual({ field: 'skills.0.name', message: 'skills.0.name is required' });
  });

  it('names the rejected parameter with the schema message', () => {
    expect(describeValidation([failure({ keyword: 'maximum', instancePath: '/page_size', message: 'must be <= 1000' })], 'querystring'))
      .toEqual({ field: 'page_size', message: 'page_size must be <= 1000' });
  });

  it('says the format expected of a badly formatted field', () => {
    expect(describeValidation([failure({ keyword: 'format', instancePath: '/updated_since', params: { format: 'date-time' } })], 'querystring'))
      .toEqual({ field: 'updated_since', message: 'updated_since has an invalid format (expected date-time)' });
  });

  it('falls back to the validation context when no error is listed', () => {
    expect(describeValidation([], 'params')).toEqual({ field: 'params', message: 'invalid params' });
  });
});
