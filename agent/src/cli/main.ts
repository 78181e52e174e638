/**
 * sluice-agent: register with a control plane, serve its tasks, or run a job
 * standalone. Flags win over SLUICE_* environment variables; everything is
 * validated by zod (runtime/config.ts) and errors say what to do.
 */
import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AGENT_VERSION } from '../runtime/version';
import { ConfigError, resolveRegisterConfig, resolveStartConfig, statusFileFor } from '../runtime/config';
import { CredentialsError, generateKeyPair, loadCredentials, saveCredentials } from '../runtime/credentials';
import { postJson } from '../runtime/http';
import type { FromSessionWorker, SessionWorkerData, ToSessionWorker } from '../runtime/session-worker';
import { COMMANDS, MAIN_HELP, UsageError, commandHelp, parseFlags } from './options';
import { runCommand } from './run';
import { ReceiptUsageError, receiptCommand } from '../receipt/receipt-cli';
import { kafkaCommand } from './kafka';
import { schemaCommand } from './schema';
import { workerEntry } from '../runtime/worker-entry';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const sub = rest[0];
    if (cmd === 'help' && sub && sub in COMMANDS) process.stdout.write(commandHelp(sub as keyof typeof COMMANDS));
    else process.stdout.write(MAIN_HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  switch (cmd) {
    case 'register':
      return register(rest);
    case 'start':
      return start(rest);
    case 'run':
      return runCommand(rest);
    case 'status':
      return status(rest);
    case 'kafka':
      return kafkaCommand(rest);
    case 'receipt':
      return receiptCommand(rest);
    case 'schema':
      return schemaCommand(rest).catch((e: unknown) => {
        if (e instanceof UsageError) throw e;
        process.stderr.write(`sluice-agent schema: ${(e as Error).message}\n`);
        return 1;
      });
    default:
      throw new UsageError(`unknown command "${cmd}": use register, start, run, status, kafka, schema or receipt (sluice-agent --help)`);
  }
}

function help(cmd: keyof typeof COMMANDS): number {
  process.stdout.write(commandHelp(cmd));
  return 0;
}

async function register(args: string[]): Promise<number> {
  const f = parseFlags('register', args);
  if (f.help) return help('register');
  const cfg = resolveRegisterConfig(f, process.env);
  if (existsSync(cfg.credentials) && !cfg.force)
    throw new UsageError(`${cfg.credentials} already holds an agent credential: pass --force to replace it, or --credentials PATH for another file`);
  const ca = cfg.caFile ? readFileSync(cfg.caFile) : undefined;
  const kp = generateKeyPair();
  const url = new URL('/graphql', cfg.apiUrl).toString();
  const input = { token: cfg.token, publicKey: kp.publicKeyB64, ...(cfg.name ? { name: cfg.name } : {}), hostname: hostname(), agentVersion: AGENT_VERSION };
  let res: { status: number; body: unknown };
  try {
    res = await postJson(
      url,
      {
        query: 'mutation Register($input: RegisterAgentInput!) { registerAgent(input: $input) { agentId tenantId name } }',
        variables: { input },
      },
      { ca },
    );
  } catch (e) {
    throw new UsageError(`cannot reach the control plane at ${cfg.apiUrl}: ${(e as Error).message}. Check --api and that the api is running.`);
  }
  const gql = (res.body ?? {}) as { data?: { registerAgent?: { agentId: string; tenantId: string; name: string } } | null; errors?: { message?: string }[] };
  if (gql.errors?.length) throw new UsageError(`registration failed: ${gql.errors.map((e) => e.message).join('; ')}`);
  const body = gql.data?.registerAgent;
  if (res.status !== 200 || !body?.agentId)
    throw new UsageError(
      `registration failed: HTTP ${res.status} from ${url}${typeof res.body === 'string' ? `: ${res.body.slice(0, 300)}` : ''} (is --api the Sluice api's URL?)`,
    );
  await saveCredentials(cfg.credentials, {
    agentId: body.agentId,
    ...(body.tenantId ? { tenantId: body.tenantId } : {}),
    ...(body.name ? { name: body.name } : {}),
    apiUrl: cfg.apiUrl,
    privateKey: kp.privateKeyPem,
    publicKey: kp.publicKeyB64,
    registeredAt: new Date().toISOString(),
  });
  process.stdout.write(
    `registered agent ${body.agentId}${body.name ? ` (${body.name})` : ''}; credential saved to ${cfg.credentials}\nnext: sluice-agent start${f.credentials ? ` --credentials ${cfg.credentials}` : ''}\n`,
  );
  return 0;
}

async function start(args: string[]): Promise<number> {
  const f = parseFlags('start', args);
  if (f.help) return help('start');
  const cfg = resolveStartConfig(f, process.env);
  const creds = await loadCredentials(cfg.credentials);
  if (cfg.caFile && !existsSync(cfg.caFile)) throw new UsageError(`--ca ${cfg.caFile}: no such file`);
  const boot = workerEntry('session-worker');
  const data: SessionWorkerData = { __entry: boot.entry, cfg, creds };
  const worker = new Worker(boot.url, { workerData: data });
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) {
        process.stderr.write(`second ${sig}: exiting without waiting for tasks to drain\n`);
        resolve(130);
        return;
      }
      worker.postMessage({ t: 'drain' } satisfies ToSessionWorker);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    worker.on('message', (m: FromSessionWorker) => {
      if (m.t === 'exit') {
        if (m.message) process.stderr.write(`sluice-agent: ${m.message}\n`);
        resolve(m.code);
      }
    });
    worker.on('error', (e) => {
      process.stderr.write(`sluice-agent: the session thread crashed: ${e.stack ?? e.message}\n`);
      resolve(1);
    });
    worker.on('exit', (code) => resolve(code === 0 ? 0 : 1));
  });
}

async function status(args: string[]): Promise<number> {
  const f = parseFlags('status', args);
  if (f.help) return help('status');
  const cfg = resolveStartConfig({ credentials: f.credentials, 'status-file': f['status-file'] }, process.env);
  const creds = await loadCredentials(cfg.credentials);
  const file = statusFileFor(cfg);
  let st: Record<string, unknown> | null = null;
  try {
    st = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    st = null;
  }
  let running = false;
  if (st && typeof st.pid === 'number') {
    try {
      process.kill(st.pid, 0);
      running = true;
    } catch {
      running = false;
    }
  }
  const state = !st ? 'never started' : running ? String(st.state) : 'not running';
  const out = {
    agentId: creds.agentId,
    name: creds.name ?? null,
    apiUrl: creds.apiUrl,
    credentials: cfg.credentials,
    registeredAt: creds.registeredAt,
    state,
    pid: running ? st?.pid : null,
    inFlight: running ? (st?.inFlight ?? []) : [],
    freeSlots: running ? st?.freeSlots : null,
    lastHeartbeatAt: st?.lastHeartbeatAt ?? null,
    lastError: st?.lastError ?? null,
    /** CDC tasks: each table's state (snapshotting, streaming, paused, quarantined, resyncing, removed). */
    tables:
      running && Array.isArray(st?.tables)
        ? (st.tables as { jobId: string; tables: Record<string, { state: string; reason?: string | null; rowsCopied?: number }> }[])
        : [],
  };
  if (f.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    const rows: [string, unknown][] = [
      ['agent', `${out.agentId}${out.name ? ` (${out.name})` : ''}`],
      ['control plane', out.apiUrl],
      ['credential', out.credentials],
      ['state', out.state + (out.pid ? ` (pid ${out.pid})` : '')],
      ['tasks running', Array.isArray(out.inFlight) ? out.inFlight.length : 0],
      ['free slots', out.freeSlots ?? '-'],
      ['last heartbeat', out.lastHeartbeatAt ?? '-'],
    ];
    if (out.lastError) rows.push(['last error', out.lastError]);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(15)} ${String(v)}\n`);
    for (const job of out.tables) {
      process.stdout.write(`job ${job.jobId} tables:\n`);
      for (const [t, s] of Object.entries(job.tables)) {
        const rows = s.rowsCopied != null && (s.state === 'snapshotting' || s.state === 'resyncing') ? ` ${s.rowsCopied} rows copied` : '';
        process.stdout.write(`  ${t.padEnd(40)} ${s.state}${rows}${s.reason ? ` (${s.reason})` : ''}\n`);
      }
    }
  }
  return state === 'ready' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof CredentialsError || e instanceof ReceiptUsageError) {
      process.stderr.write(`sluice-agent: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`sluice-agent: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
