/**
 * Bad input gets BAD_USER_INPUT with a message naming what is wrong: invalid
 * job specs, wrong types, oversized strings and bodies, unknown enum values,
 * malformed ids and cursors, and queries over the depth/complexity limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource } from '../support/api-fixtures';

let api: ApiHarness;
let owner: SignedUp;
let src = '';
let tgt = '';
let kafka = '';

beforeAll(async () => {
  api = await startApi();
  owner = await api.signUp();
  src = (await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } })).id;
  tgt = (await createDataSource(api, owner.token)).id;
  kafka = (await createDataSource(api, owner.token, { kind: 'KAFKA', config: { brokers: ['k:9092'] } })).id;
});
afterAll(async () => {
  await api?.stop();
});

async function expectBad(query: string, variables: Record<string, unknown>, message: RegExp) {
  const r = await api.gql(query, variables, owner.token);
  expect(r.errors, `expected an error for ${JSON.stringify(variables)}`).toBeDefined();
  expect(r.errors![0]!.extensions?.code, JSON.stringify(r.errors)).toBe('BAD_USER_INPUT');
  expect(r.errors![0]!.message).toMatch(message);
  expect(JSON.stringify(r.errors)).not.toMatch(/stack|select |insert |at .*\.ts:/i);
  return r;
}

const CREATE_JOB = `mutation J($i: CreateJobInput!) { createJob(input: $i) { id } }`;

describe('bad input', () => {
  it.each([
    [{ mode: 'sideways' }, /input\.spec\.mode: Invalid option: expected one of "full"\|"full_cdc"\|"cdc"\|"verify"/],
    [{}, /input\.spec\.mode/],
    [{ mode: 'full', options: { chunkSize: 'big' } }, /input\.spec\.options\.chunkSize: .*expected number/],
    [{ mode: 'full', options: { parallelism: 1000 } }, /input\.spec\.options\.parallelism: Too big/],
    [{ mode: 'full', tables: { include: ['orders; drop table x'] } }, /input\.spec\.tables\.include\.0: table patterns may use/],
    [{ mode: 'full', surprise: true }, /input\.spec: Unrecognized key: "surprise"/],
    [{ mode: 'cdc', options: { cdcStart: { from: 'lsn', lsn: 'yesterday' } } }, /input\.spec\.options\.cdcStart/],
    ['full', /input\.spec: must be an object/],
  ])('an invalid job spec %j is refused naming the field', async (spec, message) => {
    await expectBad(CREATE_JOB, { i: { name: 'j', sourceId: src, targetId: tgt, spec } }, message);
  });

  it('refuses a spec whose mode does not fit the data sources', async () => {
    // Every pair of {mysql, postgres, kafka} runs now; what doesn't fit is named.
    await expectBad(
      CREATE_JOB,
      { i: { name: 'j', sourceId: src, targetId: tgt, spec: { mode: 'full', kafka: { topicPrefix: 'x.' } } } },
      /input\.spec\.kafka: Kafka options apply only to a job with a Kafka source or target/,
    );
    await expectBad(
      CREATE_JOB,
      { i: { name: 'j', sourceId: src, targetId: kafka, spec: { mode: 'full_cdc', kafka: { start: { from: 'latest' } } } } },
      /input\.spec\.kafka\.start: a start from latest applies to a Kafka source only/,
    );
    await expectBad(CREATE_JOB, { i: { name: 'j', sourceId: src, targetId: kafka, spec: { mode: 'verify' } } }, /verify compares two databases/);
    await expectBad(
      CREATE_JOB,
      { i: { name: 'j', sourceId: src, targetId: src, spec: { mode: 'full' } } },
      /input\.targetId: source and target must be different/,
    );
    await expectBad(CREATE_JOB, { i: { name: 'j', sourceId: src, targetId: null, spec: { mode: 'full' } } }, /input\.targetId: a full job needs a target/);
  });

  it('refuses wrong types in data-source config, naming the field', async () => {
    const q = `mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { id } }`;
    await expectBad(
      q,
      { i: { name: 'x', kind: 'POSTGRES', config: { host: 'h', port: 'abc', user: 'u', database: 'd' } } },
      /input\.config\.port: Invalid input: expected number, received string/,
    );
    await expectBad(
      q,
      { i: { name: 'x', kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd', password: 'p' } } },
      /input\.config: Unrecognized key: "password"/,
    );
    await expectBad(q, { i: { name: 'x', kind: 'KAFKA', config: { brokers: ['no-port'] } } }, /input\.config\.brokers\.0: each broker is host:port/);
    await expectBad(q, { i: { name: 'x', kind: 'MYSQL', config: [] } }, /input\.config: must be an object/);
    // GraphQL's own type checks: a number where a string is expected.
    await expectBad(q, { i: { name: 42, kind: 'MYSQL', config: {} } }, /\$i.*name.*String cannot represent a non string value: 42/);
  });

  it('refuses oversized strings and bodies', async () => {
    await expectBad(
      `mutation C($n: String!) { createDataSource(input: {name: $n, kind: KAFKA, config: {brokers: ["k:1"]}}) { id } }`,
      { n: 'x'.repeat(101) },
      /input\.name: must be at most 100 characters/,
    );
    await expectBad(
      CREATE_JOB,
      { i: { name: 'j', sourceId: src, targetId: tgt, spec: { mode: 'full', mapping: { t: { where: 'x'.repeat(5000) } } } } },
      /input\.spec\.mapping\.t\.where: Too big/,
    );
    await expectBad(
      `mutation S($e: String!) { signUp(input: {email: $e, password: "long enough pw", name: "n", tenantName: "t"}) { token } }`,
      { e: `${'a'.repeat(250)}@x.io` },
      /input\.email: must be at most 254 characters/,
    );
    const big = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const body = (await big.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors[0]!.message).toMatch(/larger than 1000000 bytes/);
  });

  it('refuses unknown enum values, naming the field and the enum', async () => {
    await expectBad(
      `mutation K($r: Role!) { createApiKey(input: {name: "k", role: $r}) { secret } }`,
      { r: 'SUPERUSER' },
      /\$r.*Value "SUPERUSER" does not exist in "Role" enum/,
    );
    await expectBad(
      `mutation { createDataSource(input: {name: "x", kind: ORACLE, config: {}}) { id } }`,
      {},
      /Value "ORACLE" does not exist in "DataSourceKind" enum/,
    );
    await expectBad(
      `query J($s: JobState) { jobs(state: $s) { nodes { id } } }`,
      { s: 'running' },
      /\$s.*"running" does not exist in "JobState" enum.*RUNNING/,
    );
  });

  it('refuses malformed ids, cursors and page sizes', async () => {
    await expectBad(`query { job(id: "123") { id } }`, {}, /^id: must be an id returned by this API$/);
    await expectBad(`query { jobs(after: "garbage!") { nodes { id } } }`, {}, /after: not a valid cursor/);
    await expectBad(`query { jobs(first: 1000) { nodes { id } } }`, {}, /first: must be between 1 and 100/);
    const page = await api.gqlOk<{ auditLog: { pageInfo: { endCursor: string } } }>(`{ auditLog(first: 1) { pageInfo { endCursor } } }`, {}, owner.token);
    await expectBad(
      `query C($c: String) { jobs(after: $c) { nodes { id } } }`,
      { c: page.auditLog.pageInfo.endCursor },
      /after: this cursor belongs to another list/,
    );
  });

  it('refuses queries over the depth and complexity limits', async () => {
    const deep = `{ me { memberships { tenant { id } } } jobs { edges { node { events { edges { node { id } } } } } } }`;
    const ok = await api.gql(deep, {}, owner.token);
    expect(ok.errors).toBeUndefined();
    // graphql fragments let a client nest arbitrarily; the depth rule counts through them.
    const nested = `query Deep { jobs { edges { node { events { edges { node { ...E } } } } } } }
      fragment E on JobEvent { id data }`;
    expect((await api.gql(nested, {}, owner.token)).errors).toBeUndefined();
    const tooDeepApi = await startLimitedApi();
    try {
      const r = await tooDeepApi.gql(`{ jobs { edges { node { source { id } } } } }`, {}, (await tooDeepApi.signUp()).token);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(/query too deep: the operation nests 5 levels; the limit is 4/);
      const costly = await tooDeepApi.gql(
        `{ jobs(first: 100) { edges { node { logs(first: 100) { nodes { id } } } } } }`,
        {},
        (await tooDeepApi.signUp()).token,
      );
      expect(costly.errors?.map((e) => e.message).join(' ')).toMatch(/query too complex: the operation costs \d+; the limit is 500/);
    } finally {
      await tooDeepApi.stop();
    }
  });

  it('refuses a body that is not JSON', async () => {
    const r = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});

function startLimitedApi() {
  return startApi({ worker: false, env: { GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COMPLEXITY: '500' } });
}
