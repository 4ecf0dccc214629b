import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Validates with TypeBox. Query strings, params and headers arrive as strings and are converted
 * to the schema's types; bodies are JSON and are never converted (`"rating": true` is not a 1).
 * Integer query parameters must look like integers: TypeBox's conversion would read "1.5" as 1.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  const integers = httpPart === 'body' ? [] : integerKeys(schema);
  return (value: unknown) => {
    if (httpPart !== 'body' && value !== null && typeof value === 'object') {
      for (const key of integers) {
        const raw = (value as Record<string, unknown>)[key];
        if (typeof raw === 'string' && !/^\s*[+-]?\d+\s*$/.test(raw)) return { error: [integerError(key)] };
      }
    }
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (validator.Check(converted)) return { value: converted };
    return { error: validator.Errors(converted) as FastifySchemaValidationError[] };
  };
};

function integerKeys(schema: TSchema): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'integer')
    .map(([k]) => k);
}

function integerError(key: string): FastifySchemaValidationError {
  return { keyword: 'type', instancePath: `/${key}`, schemaPath: `#/properties/${key}`, params: { type: 'integer' }, message: 'must be integer' };
}
