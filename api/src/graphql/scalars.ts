import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from './graphql-runtime';

const MAX_JSON_CHARS = 256_000;

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp with a time zone, e.g. 2026-01-02T03:04:05.678Z',
  serialize(v) {
    const d = v instanceof Date ? v : new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return d.toISOString();
  },
  parseValue(v) {
    if (typeof v !== 'string') throw new GraphQLError('DateTime must be an ISO-8601 string, e.g. 2026-01-02T03:04:05Z');
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new GraphQLError(`DateTime "${v.slice(0, 40)}" is not an ISO-8601 timestamp`);
    return d;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string, e.g. 2026-01-02T03:04:05Z');
    const d = new Date(ast.value);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(ast.value))
      throw new GraphQLError(`DateTime "${ast.value.slice(0, 40)}" is not an ISO-8601 timestamp`);
    return d;
  },
});

function checkSize(v: unknown): unknown {
  if (JSON.stringify(v ?? null).length > MAX_JSON_CHARS) throw new GraphQLError(`JSON value larger than ${MAX_JSON_CHARS} characters`);
  return v;
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (objects are validated by the field that takes them).',
  serialize: (v) => v,
  parseValue: (v) => checkSize(v),
  parseLiteral: (ast, vars) => checkSize(valueFromASTUntyped(ast, vars)),
});
