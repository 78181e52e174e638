import { describe, expect, it } from 'vitest';
import { describeError, GqlError, op } from './gql';
import { START_JOB } from './ops/jobs';

describe('GqlError', () => {
  it('keeps the api code, de-duplicates messages and maps extensions.field to a form field', () => {
    const e = GqlError.from([
      { message: 'a data source named "x" already exists', extensions: { code: 'CONFLICT', field: 'input.name' } },
      { message: 'a data source named "x" already exists', extensions: { code: 'CONFLICT' } },
    ]);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('a data source named "x" already exists');
    expect(e.fieldErrors()).toEqual({ name: 'a data source named "x" already exists' });
  });

  it('treats unknown codes as INTERNAL and explains each code in words', () => {
    expect(GqlError.from([{ message: 'boom', extensions: { code: 'WHATEVER' } }]).code).toBe('INTERNAL');
    expect(describeError(new GqlError('FORBIDDEN', 'needs operator'))).toBe('Your role does not allow this. needs operator');
    expect(describeError(new GqlError('INTERNAL', 'internal error, request id r1'))).toContain('request id r1');
  });

  it('names operations after their GraphQL name and sends the fragments they spread', () => {
    expect(op({ toString: () => 'mutation StartJob($id: ID!) { startJob(id: $id) { id } }' }).name).toBe('StartJob');
    expect(START_JOB.name).toBe('StartJob');
    expect(START_JOB.query).toContain('...JobFields');
    expect(START_JOB.query).toMatch(/fragment JobFields on Job/);
    // What graphql() returns for a text codegen has not seen.
    expect(() => op({})).toThrow(/npm run codegen/);
  });
});
