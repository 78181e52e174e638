// Probes a running `npm run dev` for test/smoke/dev-command.sh (plain Node 20, no dependencies):
//   node test/smoke/dev-command-probe.mjs <apiPort> <webPort> [--max-page-ms N]
// 1. the api answers /readyz;
// 2. logIn with the demo login THROUGH THE PORTAL (its /graphql route forwards to the api and the
//    session cookie comes back on the portal's origin);
// 3. the `agents` query, through the portal, lists the local agent ONLINE (waits up to 90 s);
// 4. a portal page (GET /jobs with the session) answers in under --max-page-ms (1000) after one
//    warm-up request: the median of 3 requests counts;
// 5. the page is the production build (its /_next/static/<BUILD_ID>/ assets exist, no dev HMR).
// Prints one line per check; exits 1 at the first failure with what was expected and what came.
const [apiPort, webPort] = process.argv.slice(2, 4);
const maxIdx = process.argv.indexOf('--max-page-ms');
const maxPageMs = maxIdx > 0 ? Number(process.argv[maxIdx + 1]) : 1000;
if (!apiPort || !webPort) {
  console.error('usage: dev-command-probe.mjs <apiPort> <webPort> [--max-page-ms N]');
  process.exit(2);
}
const api = `http://127.0.0.1:${apiPort}`;
const web = `http://127.0.0.1:${webPort}`;
const email = process.env.SEED_DEMO_EMAIL || 'demo@sluice.local';
const password = process.env.SEED_DEMO_PASSWORD || 'sluice-demo-password';

const ok = (msg) => console.log(`  ok   ${msg}`);
const fail = (msg) => {
  console.log(`  FAIL ${msg}`);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function gql(query, variables, cookie) {
  const res = await fetch(`${web}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await res.json().catch(() => null);
  return { res, body };
}

// 1. api
const ready = await fetch(`${api}/readyz`, { signal: AbortSignal.timeout(10_000) }).catch((e) => ({ status: e.message }));
if (ready.status !== 200) fail(`api ${api}/readyz answered ${ready.status}, expected 200`);
ok(`api ${api}/readyz 200`);

// 2. logIn through the portal
const login = await gql('mutation($input: LogInInput!) { logIn(input: $input) { expiresAt } }', { input: { email, password } });
const setCookie = login.res.headers.getSetCookie().map((c) => c.split(';')[0]);
if (!login.body?.data?.logIn?.expiresAt || setCookie.length === 0) {
  fail(`logIn through the portal's /graphql: status ${login.res.status}, body ${JSON.stringify(login.body)?.slice(0, 300)}, cookies ${setCookie.length}`);
}
const cookie = setCookie.join('; ');
ok(`logIn as ${email} through ${web}/graphql (session cookie set on the portal's origin)`);

// 3. the local agent online
const deadline = Date.now() + 90_000;
let agents = [];
for (;;) {
  const r = await gql('{ agents { name status } }', {}, cookie);
  if (r.body?.errors) fail(`agents query: ${JSON.stringify(r.body.errors).slice(0, 300)}`);
  agents = r.body?.data?.agents ?? [];
  if (agents.some((a) => a.name === 'local-dev-agent' && a.status === 'ONLINE')) break;
  if (Date.now() > deadline) fail(`no ONLINE local-dev-agent after 90 s; agents: ${JSON.stringify(agents)}`);
  await sleep(1000);
}
ok(`agents query lists local-dev-agent ONLINE (${agents.length} agent(s))`);

// 4. a page, warm
async function page(path) {
  const t0 = performance.now();
  const res = await fetch(`${web}${path}`, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const html = await res.text();
  return { status: res.status, ms: Math.round(performance.now() - t0), html };
}
const warm = await page('/jobs');
if (warm.status !== 200) fail(`GET ${web}/jobs answered ${warm.status}, expected 200`);
const times = [];
for (let i = 0; i < 3; i++) times.push((await page('/jobs')).ms);
const median = [...times].sort((a, b) => a - b)[1];
if (median >= maxPageMs) fail(`GET /jobs took ${times.join(', ')} ms after warm-up (median ${median} ms, limit ${maxPageMs} ms)`);
ok(`GET /jobs after warm-up: ${times.join(', ')} ms (first request ${warm.ms} ms; limit ${maxPageMs} ms)`);

// 5. a production build
const asset = /\/_next\/static\/([A-Za-z0-9_-]+)\/_(?:build|ssg)Manifest\.js/.exec(warm.html) ?? null;
const chunk = /\/_next\/static\/chunks\/[^"']+\.js/.exec(warm.html)?.[0];
if (/webpack-hmr|turbopack-hmr|__nextDevtools|next-devtools/i.test(warm.html))
  fail('the page carries Next.js dev tooling: served by next dev, expected a production build');
if (!chunk) fail('the page references no /_next/static/chunks/*.js');
const chunkRes = await fetch(`${web}${chunk}`, { signal: AbortSignal.timeout(10_000) });
if (chunkRes.status !== 200 || !/immutable/.test(chunkRes.headers.get('cache-control') ?? '')) {
  fail(`${chunk} answered ${chunkRes.status} with cache-control "${chunkRes.headers.get('cache-control')}", expected 200 immutable (a production build)`);
}
ok(`served by a production build (${asset ? `build ${asset[1]}, ` : ''}${chunk} is immutable)`);
