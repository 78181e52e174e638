/**
 * GraphQL limits count everything (issue 18): introspection counts toward depth and
 * complexity, aliases and total fields are capped, an anonymous request may run only
 * signUp, logIn, registerAgent, acceptInvitation and apiInfo, and production hides
 * "Did you mean" suggestions. Each bomb is refused quickly with a small answer,
 * unauthenticated and authenticated; the standard introspection query still works
 * for a signed-in developer where introspection is on.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';

let api: ApiHarness;
let quiet: ApiHarness;
let user: SignedUp;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_security', redisPrefix: 'security' });
  quiet = await startApi({ replicaOf: api, env: { GRAPHQL_SUGGESTIONS: 'false' } });
  user = await api.signUp();
}, 60_000);
afterAll(async () => {
  await quiet?.stop();
  await api?.stop();
});

const aliasBomb = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __schema { types { name fields { name type { name } } } }`).join(' ')} }`;
const deepIntrospection = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
const fieldFlood = `{ apiInfo { ${Array.from({ length: 3000 }, () => 'name').join(' ')} } }`;
const fragmentFlood = `query F { apiInfo { ...L9 } } ${Array.from({ length: 10 }, (_, i) => (i === 0 ? 'fragment L0 on ApiInfo { name serverTime }' : `fragment L${i} on ApiInfo { ...L${i - 1} ... on ApiInfo { ...L${i - 1} } }`)).join(' ')}`;

async function refused(query: string, token: string | undefined, code: string, message: RegExp): Promise<{ ms: number; bytes: number }> {
  const t0 = Date.now();
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const ms = Date.now() - t0;
  const body = JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions?.code).toBe(code);
  expect(body.errors?.map((e) => e.message).join(' | ')).toMatch(message);
  expect(text.length).toBeLessThan(20_000);
  expect(ms).toBeLessThan(1500);
  return { ms, bytes: text.length };
}

const who: Array<[string, () => string | undefined]> = [
  ['unauthenticated', () => undefined],
  ['authenticated', () => user.token],
];
describe.each(who)('bombs are refused (%s)', (_who, token) => {
  it('an introspection alias bomb', async () => {
    const r = await refused(aliasBomb, token(), 'BAD_USER_INPUT', /too many aliases: the operation uses 200; the limit is 30/);
    console.info(`[graphql-limits] alias bomb (${aliasBomb.length} bytes) refused in ${r.ms} ms, ${r.bytes} bytes`);
  });
  it('a deep introspection query', async () => {
    await refused(
      deepIntrospection,
      token(),
      'BAD_USER_INPUT',
      /introspection too deep: the operation nests 5 introspection lists.*the limit is 3|query too deep/,
    );
  });
  it('a field flood, and a fragment flood that expands to thousands of fields', async () => {
    await refused(fieldFlood, token(), 'BAD_USER_INPUT', /too many fields: the operation selects 3001 \(fragments expanded\); the limit is 1000/);
    await refused(fragmentFlood, token(), 'BAD_USER_INPUT', /too many fields: operation F selects 1025/);
  });
});

describe('anonymous requests', () => {
  it('may run apiInfo, signUp and logIn only', async () => {
    expect((await api.gql<{ apiInfo: { name: string } }>(`{ apiInfo { name } }`)).data?.apiInfo.name).toBeTruthy();
    expect((await api.gql(`mutation { logIn(input: {email: "${user.email}", password: "${user.password}"}) { token } }`)).errors).toBeUndefined();
    for (const q of [
      `{ __schema { queryType { name } } }`,
      `{ __type(name: "Query") { name } }`,
      `{ dataSources { id } }`,
      `mutation { noop }`,
      `{ apiInfo { name } me { user { id } } }`,
    ]) {
      const r = await api.gql(q);
      expect(r.errors?.[0]?.extensions?.code, q).toBe('UNAUTHENTICATED');
      expect(r.errors?.[0]?.message).toMatch(/without a credential only signUp, logIn, registerAgent, acceptInvitation and apiInfo/);
    }
  });
  it('a refused credential is named as such, not as anonymous', async () => {
    const r = await api.gql(`{ dataSources { id } }`, {}, 'sk_not-a-real-key-0000000000');
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.errors?.[0]?.message).toMatch(/API key not recognised/);
  });
  it('over WebSocket too', async () => {
    const client = api.wsClient();
    const got = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: `{ __schema { types { name } } }` }, { next: (m) => resolve(m), error: resolve, complete: () => resolve('complete') });
    });
    expect(JSON.stringify(got)).toMatch(/"code":"UNAUTHENTICATED"/);
    expect(JSON.stringify(got)).not.toMatch(/"types"/);
  });
});

describe('signed in, where introspection is on', () => {
  it('the standard introspection query (GraphiQL, codegen) fits the limits', async () => {
    const r = await api.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery(), {}, user.token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.__schema.types.length).toBeGreaterThan(20);
  });
});

describe('field suggestions', () => {
  it('are shown by default outside production and hidden when GRAPHQL_SUGGESTIONS is off (the production default)', async () => {
    const on = await api.gql(`{ dataSourcez { id } }`, {}, user.token);
    expect(on.errors?.[0]?.message).toMatch(/Did you mean "dataSource/);
    const off = await quiet.gql(`{ dataSourcez { id } }`, {}, user.token);
    expect(off.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(off.errors?.[0]?.message).toMatch(/Cannot query field "dataSourcez" on type "Query"/);
    expect(off.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
