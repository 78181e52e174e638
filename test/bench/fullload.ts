/**
 * Full-load benchmark: `npm run bench -- fullload [--rows N] [--dirs m2p,p2m,p2p,m2m] [--tables narrow,wide,types]
 *   [--skip-peers] [--skip-limit] [--skip-engine] [--verify] [--profile] [--no-readme] [--regen] [--out file]`
 *
 * For every direction and table it measures, in one run:
 *   - Sluice: the real engine (runStandalone) in a child process, peak RSS read from /proc;
 *   - the raw limit: server-side COPY FROM file (PG) / LOAD DATA INFILE (MariaDB) of the same rows, exported beforehand;
 *   - the peer: pgloader (MySQL->PG), pg_dump | psql (PG->PG), mariadb-dump | mariadb (MySQL->MySQL).
 * Writes test/bench/results/fullload.json and the README "Benchmarks" table.
 */
import { mkdirSync, chmodSync, existsSync, readdirSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { services } from '../support/services';
import { TABLES, rowsFor, MYSQL_DDL, PG_DDL, PG_PRE, mysqlFill, pgFill, mysqlOutfileSelect, mysqlLoadDataTail, type BenchTable } from './lib/fullload-data';
import { readFileSync } from 'node:fs';
import { fmtRate, markdownTable, parseArgs, runNodeChild, serverCpuMs, sh, summariseCpuProfile, timed, updateReadme } from './lib/util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PREFIX = 'h7_bench';
const FILE_DIR = '/var/tmp/h7-bench';

type Dir = 'm2p' | 'p2m' | 'p2p' | 'm2m';
const DIRS: Record<Dir, { label: string; from: 'mysql' | 'postgres'; to: 'mysql' | 'postgres'; peer: string | null }> = {
  m2p: { label: 'MySQL→PG', from: 'mysql', to: 'postgres', peer: 'pgloader' },
  p2m: { label: 'PG→MySQL', from: 'postgres', to: 'mysql', peer: null },
  p2p: { label: 'PG→PG', from: 'postgres', to: 'postgres', peer: 'pg_dump | psql' },
  m2m: { label: 'MySQL→MySQL', from: 'mysql', to: 'mysql', peer: 'mariadb-dump | mariadb' },
};

export interface Measurement {
  direction: Dir;
  table: BenchTable;
  tool: 'sluice' | 'sluice-verify' | 'limit' | 'peer';
  name: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb?: number;
  /** CPU time spent during the measurement: the agent process (Sluice only) and each database server. */
  cpu?: { agentMs?: number; pgMs: number; mariadbMs: number };
  ok: boolean;
  error?: string;
  detail?: Record<string, unknown>;
}

// ------------------------------------------------------------------ server CPU

let serverPids: { pg: number | null; my: number | null } = { pg: null, my: null };

async function findServerPids(): Promise<void> {
  const pgPid = await pgAdmin('postgres', async (c) => String((await c.query('SHOW data_directory')).rows[0].data_directory)).then(
    (dir) => Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    () => null,
  );
  const myPid = await myAdmin(undefined, async (c) => String(((await c.query('SELECT @@pid_file AS f')) as unknown as [{ f: string }[]])[0][0]!.f)).then(
    (f) => Number(readFileSync(f, 'utf8').trim()),
    () => null,
  );
  serverPids = { pg: pgPid && Number.isFinite(pgPid) ? pgPid : null, my: myPid && Number.isFinite(myPid) ? myPid : null };
}

async function serverCpu(): Promise<{ pg: number; my: number }> {
  const [pgMs, myMs] = await Promise.all([serverPids.pg ? serverCpuMs(serverPids.pg) : 0, serverPids.my ? serverCpuMs(serverPids.my) : 0]);
  return { pg: pgMs, my: myMs };
}

/** Runs fn and returns the CPU both database servers used meanwhile. */
async function withServerCpu<T>(fn: () => Promise<T>): Promise<{ value: T; pgMs: number; mariadbMs: number }> {
  const a = await serverCpu();
  const value = await fn();
  const b = await serverCpu();
  return { value, pgMs: b.pg - a.pg, mariadbMs: b.my - a.my };
}

const pgHost = services.pg;
const myHost = services.mariadb;
const pgCli = `-h ${pgHost.host} -p ${pgHost.port} -U ${pgHost.user}`;
const myCli = `-h${myHost.host} -P${myHost.port} -u${myHost.user}`;

async function pgAdmin<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ host: pgHost.host, port: pgHost.port, user: pgHost.user, database: db });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function myAdmin<T>(db: string | undefined, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ host: myHost.host, port: myHost.port, user: myHost.user, ...(db ? { database: db } : {}), multipleStatements: false, supportBigNumbers: true, bigNumberStrings: true });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function pgRecreateDb(db: string): Promise<void> {
  await pgAdmin('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${db}`);
  });
}
async function pgDropDb(db: string): Promise<void> {
  await pgAdmin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
async function myRecreateDb(db: string): Promise<void> {
  await myAdmin(undefined, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db}`);
    await c.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  });
}
async function myDropDb(db: string): Promise<void> {
  await myAdmin(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${db}`));
}

async function countRows(engine: 'mysql' | 'postgres', db: string, table: string, schema = 'public'): Promise<number> {
  if (engine === 'postgres') return pgAdmin(db, async (c) => Number((await c.query(`SELECT count(*)::text AS n FROM ${schema}.${table}`)).rows[0].n));
  return myAdmin(db, async (c) => Number(((await c.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as unknown as [{ n: string }[]])[0][0]!.n));
}

// ------------------------------------------------------------------ sources

const SRC = `${PREFIX}_src`;

async function ensureSources(tables: BenchTable[], n: number, regen: boolean, needMy: boolean, needPg: boolean): Promise<void> {
  const step = 500_000;
  if (needMy) {
    await myAdmin(undefined, (c) => c.query(`CREATE DATABASE IF NOT EXISTS ${SRC} CHARACTER SET utf8mb4`));
    for (const t of tables) {
      const want = rowsFor(t, n);
      const have = await countRows('mysql', SRC, t).catch(() => -1);
      if (have === want && !regen) continue;
      const tm = await timed(() =>
        myAdmin(SRC, async (c) => {
          await c.query(`DROP TABLE IF EXISTS ${t}`);
          await c.query(MYSQL_DDL[t]);
          await c.query("SET time_zone = '+00:00'");
          for (let lo = 1; lo <= want; lo += step) await c.query(mysqlFill(t, lo, Math.min(want, lo + step - 1)));
          await c.query(`ANALYZE TABLE ${t}`);
        }),
      );
      console.log(`  generated MariaDB ${SRC}.${t}: ${want} rows in ${tm.seconds.toFixed(1)} s`);
    }
  }
  if (needPg) {
    const exists = await pgAdmin('postgres', async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [SRC])).rowCount === 1);
    if (!exists) await pgAdmin('postgres', (c) => c.query(`CREATE DATABASE ${SRC}`));
    for (const t of tables) {
      const want = rowsFor(t, n);
      const have = await countRows('postgres', SRC, t).catch(() => -1);
      if (have === want && !regen) continue;
      const tm = await timed(() =>
        pgAdmin(SRC, async (c) => {
          await c.query(`DROP TABLE IF EXISTS ${t}`);
          for (const s of PG_PRE[t]) await c.query(s);
          await c.query(PG_DDL[t]);
          await c.query("SET TimeZone = 'UTC'");
          for (let lo = 1; lo <= want; lo += step) await c.query(pgFill(t, lo, Math.min(want, lo + step - 1)));
          await c.query(`VACUUM ANALYZE ${t}`);
        }),
      );
      console.log(`  generated PostgreSQL ${SRC}.${t}: ${want} rows in ${tm.seconds.toFixed(1)} s`);
    }
  }
}

// ------------------------------------------------------------------ raw limits

/** Server-side COPY FROM file into PG of the source rows exported beforehand. */
async function limitPg(table: BenchTable, rows: number): Promise<Omit<Measurement, 'direction'>> {
  const file = join(FILE_DIR, `pg_${table}_${rows}.copy`);
  if (!existsSync(file)) await pgAdmin(SRC, (c) => c.query(`COPY ${table} TO '${file}'`));
  const db = `${PREFIX}_lim_pg`;
  await pgRecreateDb(db);
  try {
    const tm = await pgAdmin(db, async (c) => {
      for (const s of PG_PRE[table]) await c.query(s);
      await c.query(PG_DDL[table]);
      return withServerCpu(() => timed(() => c.query(`COPY ${table} FROM '${file}'`)));
    });
    const got = await countRows('postgres', db, table);
    return { table, tool: 'limit', name: 'COPY FROM file', rows: got, seconds: tm.value.seconds, rowsPerSec: got / tm.value.seconds, ok: got === rows, cpu: { pgMs: tm.pgMs, mariadbMs: tm.mariadbMs } };
  } finally {
    await pgDropDb(db);
  }
}

/** Server-side LOAD DATA INFILE into MariaDB of the source rows exported beforehand. */
async function limitMy(table: BenchTable, rows: number): Promise<Omit<Measurement, 'direction'>> {
  const file = join(FILE_DIR, `my_${table}_${rows}.tsv`);
  if (!existsSync(file)) await myAdmin(SRC, async (c) => {
    await c.query("SET time_zone = '+00:00'");
    await c.query(`${mysqlOutfileSelect(table)} INTO OUTFILE '${file}' CHARACTER SET utf8mb4`);
  });
  const db = `${PREFIX}_lim_my`;
  await myRecreateDb(db);
  try {
    const tm = await myAdmin(db, async (c) => {
      await c.query(MYSQL_DDL[table]);
      await c.query("SET time_zone = '+00:00'");
      return withServerCpu(() => timed(() => c.query(`LOAD DATA INFILE '${file}' INTO TABLE ${table} CHARACTER SET utf8mb4 ${mysqlLoadDataTail(table)}`)));
    });
    const got = await countRows('mysql', db, table);
    return { table, tool: 'limit', name: 'LOAD DATA INFILE', rows: got, seconds: tm.value.seconds, rowsPerSec: got / tm.value.seconds, ok: got === rows, cpu: { pgMs: tm.pgMs, mariadbMs: tm.mariadbMs } };
  } finally {
    await myDropDb(db);
  }
}

// ------------------------------------------------------------------ peers

async function peerOnce(dir: Dir, table: BenchTable, rows: number, tuned: boolean): Promise<Measurement> {
  const d = DIRS[dir];
  const db = `${PREFIX}_${dir}_peer`;
  let schema = 'public';
  let cmd: string;
  if (dir === 'm2p') {
    await pgRecreateDb(db);
    const load = join(FILE_DIR, `pgloader-${table}.load`);
    // tuned: pgloader's documented remedy for "Heap exhausted" (bigger SBCL heap, fewer prefetched rows)
    writeFileSync(
      load,
      `LOAD DATABASE\n  FROM mysql://${myHost.user}@${myHost.host}:${myHost.port}/${SRC}\n  INTO postgresql://${pgHost.user}@${pgHost.host}:${pgHost.port}/${db}\n${tuned ? '  WITH prefetch rows = 10000\n' : ''}  INCLUDING ONLY TABLE NAMES MATCHING '${table}';\n`,
    );
    cmd = `pgloader ${tuned ? '--dynamic-space-size 4096 ' : ''}--no-ssl-cert-verification ${load}`;
    schema = SRC; // pgloader puts the tables in a schema named after the MySQL database
  } else if (dir === 'p2p') {
    await pgRecreateDb(db);
    await pgAdmin(db, async (c) => {
      for (const s of PG_PRE[table]) await c.query(s);
    });
    cmd = `pg_dump ${pgCli} -t public.${table} ${SRC} | psql -q -v ON_ERROR_STOP=1 ${pgCli} ${db} > /dev/null`;
  } else {
    await myRecreateDb(db);
    cmd = `mariadb-dump ${myCli} --single-transaction ${SRC} ${table} | mariadb ${myCli} ${db}`;
  }
  const name = d.peer! + (tuned ? ' (tuned)' : '');
  try {
    const cpuTm = await withServerCpu(() => timed(() => sh(cmd, { timeoutMs: 3 * 3600_000 })));
    const tm = cpuTm.value;
    const got = await countRows(d.to, db, table, schema);
    const errors = dir === 'm2p' ? /Total import time\s+\S+\s+\S+\s+(\d+)\s+(\d+)/.exec(tm.value.stdout + tm.value.stderr) : null;
    return {
      direction: dir,
      table,
      tool: 'peer',
      name,
      rows: got,
      seconds: tm.seconds,
      rowsPerSec: got / tm.seconds,
      ok: got === rows,
      cpu: { pgMs: cpuTm.pgMs, mariadbMs: cpuTm.mariadbMs },
      ...(errors ? { detail: { pgloaderSummary: errors[0] } } : {}),
    };
  } catch (e) {
    return { direction: dir, table, tool: 'peer', name, rows: 0, seconds: 0, rowsPerSec: 0, ok: false, error: (e as Error).message.slice(-1500) };
  } finally {
    if (d.to === 'postgres') await pgDropDb(db);
    else await myDropDb(db);
  }
}

async function peer(dir: Dir, table: BenchTable, rows: number): Promise<Measurement | null> {
  if (!DIRS[dir].peer) return null;
  const first = await peerOnce(dir, table, rows, false);
  if (first.ok || dir !== 'm2p') return first;
  // pgloader at its defaults can die with "Heap exhausted" on wide rows; measure it once more tuned,
  // and keep the failure on record.
  const second = await peerOnce(dir, table, rows, true);
  return { ...second, detail: { ...(second.detail ?? {}), defaultSettingsFailed: (first.error ?? '').split('\n').filter((l) => /heap|exhausted|fatal/i.test(l)).slice(0, 3).join(' ') || 'failed' } };
}

// ------------------------------------------------------------------ sluice

function connection(engine: 'mysql' | 'postgres', db: string) {
  return engine === 'postgres'
    ? { kind: 'postgres' as const, config: { host: pgHost.host, port: pgHost.port, user: pgHost.user, database: db, schema: 'public', ssl: false } }
    : { kind: 'mysql' as const, config: { host: myHost.host, port: myHost.port, user: myHost.user, database: db, ssl: false } };
}

async function sluice(dir: Dir, table: BenchTable, rows: number, opts: { verify: boolean; profile: boolean; parallelism: number; chunkSize: number }): Promise<Measurement[]> {
  const d = DIRS[dir];
  const db = `${PREFIX}_${dir}_sl`;
  if (d.to === 'postgres') await pgRecreateDb(db);
  else await myRecreateDb(db);
  const work = mkdtempSync(join(tmpdir(), 'h7-bench-'));
  const out: Measurement[] = [];
  try {
    const job = (mode: 'full' | 'verify') => ({
      jobId: `bench-${dir}-${table}-${mode}`,
      source: connection(d.from, SRC),
      target: connection(d.to, db),
      job: {
        mode,
        tables: { include: [table], exclude: [] },
        mapping: {},
        options: { existingTable: 'fail', chunkSize: opts.chunkSize, parallelism: opts.parallelism, verifyAfterLoad: false, repair: false, createSecondaryIndexes: true, createForeignKeys: true, dryRun: false },
      },
    });
    const run = async (mode: 'full' | 'verify', profile: boolean) => {
      const specFile = join(work, `${mode}.json`);
      writeFileSync(specFile, JSON.stringify(job(mode)));
      const profDir = join(here, 'results', 'profiles', `${dir}-${table}-${mode}`);
      if (profile) {
        rmSync(profDir, { recursive: true, force: true });
        mkdirSync(profDir, { recursive: true });
      }
      const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx', join(here, 'engine-child.ts'), specFile];
      const { value: r, pgMs, mariadbMs } = await withServerCpu(() => runNodeChild(args, { timeoutMs: 3 * 3600_000, env: { NODE_ENV: 'production' } }));
      const cpu = { ...(r.cpuMs !== null ? { agentMs: r.cpuMs } : {}), pgMs, mariadbMs };
      const resultLine = /^RESULT (.*)$/m.exec(r.stdout)?.[1];
      const result = resultLine ? (JSON.parse(resultLine) as Record<string, unknown>) : null;
      const prof = profile ? await summariseCpuProfile(profDir) : null;
      return { r, result, prof, cpu };
    };
    const load = await run('full', opts.profile);
    const got = load.r.code === 0 ? await countRows(d.to, db, table) : 0;
    out.push({
      direction: dir,
      table,
      tool: 'sluice',
      name: 'sluice',
      rows: got,
      seconds: load.r.seconds,
      rowsPerSec: got / load.r.seconds,
      peakRssMb: load.r.peakRssMb,
      cpu: load.cpu,
      ok: load.r.code === 0 && got === rows,
      ...(load.r.code !== 0 ? { error: load.r.stderr.slice(-1500) } : {}),
      ...(load.prof ? { detail: { profile: load.prof } } : {}),
    });
    if (opts.verify && load.r.code === 0) {
      const v = await run('verify', false);
      // mode verify returns the verification result itself: { ok, tables, totals }
      const tables = (v.result?.tables as { status?: string; chunks?: number; chunksMismatched?: number }[] | undefined) ?? null;
      const clean = !!tables && tables.every((t) => t.status === 'ok');
      out.push({
        direction: dir,
        table,
        tool: 'sluice-verify',
        name: 'sluice verify',
        rows,
        seconds: v.r.seconds,
        rowsPerSec: rows / v.r.seconds,
        peakRssMb: v.r.peakRssMb,
        cpu: v.cpu,
        ok: v.r.code === 0 && clean,
        ...(v.r.code !== 0 ? { error: v.r.stderr.slice(-1500) } : !clean ? { error: `verification not clean: ${JSON.stringify(tables)}`.slice(0, 1500) } : {}),
        detail: { verification: tables },
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (d.to === 'postgres') await pgDropDb(db);
    else await myDropDb(db);
  }
  return out;
}

// ------------------------------------------------------------------ report

const TARGETS: Record<Dir, { limit?: number; peer?: number; text: string }> = {
  m2p: { limit: 0.8, peer: 3, text: '≥ 80 % of COPY, ≥ 3× pgloader' },
  p2m: { limit: 0.8, text: '≥ 80 % of LOAD DATA' },
  p2p: { peer: 1.2, text: '≥ 1.2× pg_dump | psql' },
  m2m: { peer: 2, text: '≥ 2× mariadb-dump | mariadb' },
};
const RSS_LIMIT_MB = 300;

export interface SummaryRow {
  direction: Dir;
  label: string;
  table: BenchTable;
  rows: number;
  sluiceRowsPerSec: number | null;
  peakRssMb: number | null;
  limitName: string;
  limitRowsPerSec: number | null;
  ratioToLimit: number | null;
  peer: string | null;
  peerRowsPerSec: number | null;
  ratioToPeer: number | null;
  verifyRowsPerSec: number | null;
  target: string;
  met: boolean | null;
  misses: string[];
  /** CPU seconds per tool during its measurement: agent (Sluice), PG server, MariaDB server. */
  cpu?: Record<string, { agentS?: number; pgS: number; mariadbS: number }>;
  /** The engine's CPU profile (with --profile): where the agent's main thread spent the load. */
  profile?: { wallMs: number; busyMs: number; idleMs: number; gcMs: number; top: { fn: string; selfMs: number; pctOfBusy: number }[] };
}

function summarise(ms: Measurement[], dirs: Dir[], tables: BenchTable[], n: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const dir of dirs) {
    for (const table of tables) {
      const d = DIRS[dir];
      const s = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'sluice');
      const v = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'sluice-verify');
      const l = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'limit');
      const p = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'peer');
      const sr = s?.ok ? s.rowsPerSec : null;
      const lr = l?.ok ? l.rowsPerSec : null;
      const pr = p?.ok ? p.rowsPerSec : null;
      const t = TARGETS[dir];
      const ratioToLimit = sr !== null && lr ? sr / lr : null;
      const ratioToPeer = sr !== null && pr ? sr / pr : null;
      const misses: string[] = [];
      if (t.limit !== undefined && ratioToLimit !== null && ratioToLimit < t.limit) misses.push(`${Math.round(ratioToLimit * 100)} % of the limit (target ${t.limit * 100} %)`);
      if (t.peer !== undefined && ratioToPeer !== null && ratioToPeer < t.peer) misses.push(`${ratioToPeer.toFixed(2)}× the peer (target ${t.peer}×)`);
      if (s?.peakRssMb !== undefined && s.peakRssMb > RSS_LIMIT_MB) misses.push(`RSS ${s.peakRssMb} MB (limit ${RSS_LIMIT_MB} MB)`);
      const measured = sr !== null && (t.limit === undefined || ratioToLimit !== null) && (t.peer === undefined || ratioToPeer !== null);
      rows.push({
        direction: dir,
        label: d.label,
        table,
        rows: rowsFor(table, n),
        sluiceRowsPerSec: sr,
        peakRssMb: s?.peakRssMb ?? null,
        limitName: d.to === 'postgres' ? 'COPY FROM file' : 'LOAD DATA INFILE',
        limitRowsPerSec: lr,
        ratioToLimit,
        peer: d.peer,
        peerRowsPerSec: pr,
        ratioToPeer,
        verifyRowsPerSec: v?.ok ? v.rowsPerSec : null,
        target: t.text,
        met: measured ? misses.length === 0 : null,
        misses,
        ...(s?.detail?.profile ? { profile: s.detail.profile as NonNullable<SummaryRow['profile']> } : {}),
        cpu: Object.fromEntries(
          [s, l, p].filter((m): m is Measurement => !!m?.cpu).map((m) => [m.name, { ...(m.cpu!.agentMs !== undefined ? { agentS: m.cpu!.agentMs / 1000 } : {}), pgS: m.cpu!.pgMs / 1000, mariadbS: m.cpu!.mariadbMs / 1000 }]),
        ),
      });
    }
  }
  return rows;
}

/** One line per missed target, with the profile that shows where the agent's time went. */
function missesMarkdown(rows: SummaryRow[]): string {
  const out: string[] = [];
  for (const r of rows.filter((x) => x.met === false)) {
    let line = `- **${r.label} ${r.table}**: ${r.misses.join('; ')}.`;
    const p = r.profile;
    if (p) {
      const top = p.top
        .filter((t) => !/^\((program|garbage collector)\)/.test(t.fn))
        .slice(0, 4)
        .map((t) => `\`${t.fn.replace(/ .*\//, ' ').slice(0, 60)}\` ${t.pctOfBusy} %`)
        .join(', ');
      line += ` Agent main thread busy ${(p.busyMs / 1000).toFixed(1)} s of ${(p.wallMs / 1000).toFixed(1)} s (GC ${(p.gcMs / 1000).toFixed(1)} s, waiting on the databases ${(p.idleMs / 1000).toFixed(1)} s); top self time: ${top}.`;
    }
    const cpu = Object.entries(r.cpu ?? {})
      .map(([name, c]) => `${name} ${[c.agentS !== undefined ? `agent ${c.agentS.toFixed(1)}` : '', `PG ${c.pgS.toFixed(1)}`, `MariaDB ${c.mariadbS.toFixed(1)}`].filter(Boolean).join(' + ')} s`)
      .join('; ');
    if (cpu) line += ` CPU used: ${cpu}.`;
    out.push(line);
  }
  return out.join('\n');
}

function toMarkdown(rows: SummaryRow[]): string {
  return markdownTable(
    ['direction', 'table', 'rows', 'Sluice rows/s', 'raw limit rows/s', '% of limit', 'peer', 'peer rows/s', '× peer', 'verify rows/s', 'peak RSS MB', 'target', 'met'],
    rows.map((r) => [
      r.label,
      r.table,
      r.rows.toLocaleString('en-US'),
      fmtRate(r.sluiceRowsPerSec),
      fmtRate(r.limitRowsPerSec),
      r.ratioToLimit === null ? '—' : `${Math.round(r.ratioToLimit * 100)} %`,
      r.peer ?? '—',
      fmtRate(r.peerRowsPerSec),
      r.ratioToPeer === null ? '—' : `${r.ratioToPeer.toFixed(2)}×`,
      fmtRate(r.verifyRowsPerSec),
      r.peakRssMb ?? '—',
      r.target,
      r.met === null ? '—' : r.met ? 'yes' : `no: ${r.misses.join('; ')}`,
    ]),
  );
}

// ------------------------------------------------------------------ main

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const n = a.rows ? Number(a.rows) : 5_000_000;
  if (!Number.isInteger(n) || n < 10) throw new Error('--rows must be an integer >= 10');
  const dirs = (typeof a.dirs === 'string' ? a.dirs.split(',') : Object.keys(DIRS)) as Dir[];
  for (const d of dirs) if (!(d in DIRS)) throw new Error(`unknown direction "${d}"; use m2p, p2m, p2p, m2m`);
  const tables = (typeof a.tables === 'string' ? a.tables.split(',') : TABLES) as BenchTable[];
  for (const t of tables) if (!TABLES.includes(t)) throw new Error(`unknown table "${t}"; use ${TABLES.join(', ')}`);
  const parallelism = a.parallelism ? Number(a.parallelism) : 4;
  const chunkSize = a['chunk-size'] ? Number(a['chunk-size']) : 50_000;
  mkdirSync(FILE_DIR, { recursive: true });
  chmodSync(FILE_DIR, 0o777);
  // exports from runs with other row counts are stale (file names carry the row count)
  const keep = new Set(TABLES.flatMap((t) => [`pg_${t}_${rowsFor(t, n)}.copy`, `my_${t}_${rowsFor(t, n)}.tsv`]));
  for (const f of readdirSync(FILE_DIR)) if (/^(pg|my)_/.test(f) && !keep.has(f)) rmSync(join(FILE_DIR, f), { force: true });

  const needMy = dirs.some((d) => DIRS[d].from === 'mysql') || (!a['skip-limit'] && dirs.some((d) => DIRS[d].to === 'mysql'));
  const needPg = dirs.some((d) => DIRS[d].from === 'postgres') || (!a['skip-limit'] && dirs.some((d) => DIRS[d].to === 'postgres'));
  console.log(`fullload benchmark: ${n} narrow rows, directions ${dirs.join(',')}, tables ${tables.join(',')}`);
  await ensureSources(tables, n, a.regen === true, needMy, needPg);
  await findServerPids();

  const loadBefore = loadavg();
  const ms: Measurement[] = [];
  const log = (m: Measurement) => {
    ms.push(m);
    console.log(`  ${DIRS[m.direction].label.padEnd(12)} ${m.table.padEnd(6)} ${m.name.padEnd(24)} ${m.ok ? fmtRate(m.rowsPerSec).padStart(8) + ' rows/s' : 'FAILED'}  ${m.seconds.toFixed(1)} s${m.peakRssMb ? `  RSS ${m.peakRssMb} MB` : ''}${m.error ? `\n    ${m.error.split('\n').slice(-3).join('\n    ')}` : ''}`);
  };

  // Raw limits first (one per target engine and table), then the peers, then Sluice.
  for (const table of tables) {
    const rows = rowsFor(table, n);
    if (!a['skip-limit']) {
      const pgLim = dirs.some((d) => DIRS[d].to === 'postgres') ? await limitPg(table, rows).catch((e: Error) => ({ table, tool: 'limit' as const, name: 'COPY FROM file', rows: 0, seconds: 0, rowsPerSec: 0, ok: false, error: e.message })) : null;
      const myLim = dirs.some((d) => DIRS[d].to === 'mysql') ? await limitMy(table, rows).catch((e: Error) => ({ table, tool: 'limit' as const, name: 'LOAD DATA INFILE', rows: 0, seconds: 0, rowsPerSec: 0, ok: false, error: e.message })) : null;
      for (const dir of dirs) {
        const l = DIRS[dir].to === 'postgres' ? pgLim : myLim;
        if (l) log({ ...l, direction: dir });
      }
    }
    for (const dir of dirs) {
      if (!a['skip-peers']) {
        const p = await peer(dir, table, rows);
        if (p) log(p);
      }
      if (!a['skip-engine']) for (const m of await sluice(dir, table, rows, { verify: a.verify !== 'false' && a['no-verify'] !== true, profile: a.profile === true, parallelism, chunkSize })) log(m);
    }
  }

  // --merge: re-measure a subset (e.g. after a failure) and fold it into an earlier run's results.
  let allDirs = dirs;
  let allTables = tables;
  let remeasured: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[] = [];
  let mergedFrom: { generatedAt: string; machine: { loadAverage1m: { before: number; after: number } }; remeasured?: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[] } | null = null;
  if (a.merge === true || typeof a.merge === 'string') {
    const prevFile = typeof a.merge === 'string' ? a.merge : join(here, 'results', 'fullload.json');
    const prev = JSON.parse(readFileSync(prevFile, 'utf8')) as {
      generatedAt: string;
      measurements: Measurement[];
      settings: { rows: Record<string, number>; directions: Dir[] };
      machine: { loadAverage1m: { before: number; after: number } };
      remeasured?: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[];
    };
    mergedFrom = prev;
    if (prev.settings.rows.narrow !== rowsFor('narrow', n)) throw new Error(`--merge: ${prevFile} was measured with ${prev.settings.rows.narrow} rows, this run with ${n}`);
    const key = (m: Measurement) => `${m.direction}|${m.table}|${m.tool}`;
    const fresh = new Set(ms.map(key));
    ms.unshift(...prev.measurements.filter((m) => !fresh.has(key(m))));
    allDirs = (Object.keys(DIRS) as Dir[]).filter((d) => prev.settings.directions.includes(d) || dirs.includes(d));
    allTables = TABLES.filter((t) => t in prev.settings.rows || tables.includes(t));
    console.log(`merged with ${prevFile}: re-measured ${[...fresh].join(', ') || 'nothing'}`);
    remeasured = [...(prev.remeasured ?? []), ...(fresh.size ? [{ at: new Date().toISOString(), what: [...fresh], loadAverage1m: { before: Math.round(loadBefore[0]! * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 } }] : [])];
  }
  const summary = summarise(ms, allDirs, allTables, n);
  const md = toMarkdown(summary);
  console.log(`\n${md}\n`);
  const missText = missesMarkdown(summary);
  if (missText) console.log(`${missText}\n`);
  const [pgVersion, myVersion, pgloaderVersion] = await Promise.all([
    pgAdmin('postgres', async (c) => String((await c.query('SHOW server_version')).rows[0].server_version)),
    myAdmin(undefined, async (c) => String(((await c.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]])[0][0]!.v)),
    sh('pgloader --version').then((r) => r.stdout.split('\n')[0] ?? '', () => 'not installed'),
  ]);
  const report = {
    benchmark: 'fullload',
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      memGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: pgVersion,
      mariadb: myVersion,
      pgloader: pgloaderVersion,
      // other work on the machine skews every figure; the 1-minute load average before and after the run
      loadAverage1m: mergedFrom ? mergedFrom.machine.loadAverage1m : { before: Math.round(loadBefore[0]! * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 },
    },
    ...(mergedFrom ? { generatedAt: mergedFrom.generatedAt, remeasured } : {}),
    settings: { rows: Object.fromEntries(allTables.map((t) => [t, rowsFor(t, n)])), directions: allDirs, parallelism, chunkSize },
    summary,
    measurements: ms,
  };
  const outFile = typeof a.out === 'string' ? a.out : join(here, 'results', 'fullload.json');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${outFile}`);
  if (a['no-readme'] !== true && typeof a.out !== 'string') {
    const body = [
      `### Full load (\`npm run bench -- fullload\`)`,
      '',
      `Measured ${report.generatedAt.slice(0, 10)} on ${report.machine.cpus} vCPU / ${report.machine.memGb} GB, PostgreSQL ${pgVersion}, MariaDB ${myVersion}, ${pgloaderVersion}; source and target on the same servers (the private test instances). Rows: ${allTables.map((t) => `${t} ${rowsFor(t, n).toLocaleString('en-US')}`).join(', ')}. Sluice runs the real engine (\`runStandalone\`) in a child process, parallelism ${parallelism}, chunk ${chunkSize.toLocaleString('en-US')} rows; its time includes schema creation; the raw limit is server-side COPY FROM file / LOAD DATA INFILE into an empty table with its primary key. Verify = a separate \`verify\` job over the loaded target. The machine was shared with other work (1-minute load average ${report.machine.loadAverage1m.before} before, ${report.machine.loadAverage1m.after} after the run on ${report.machine.cpus} vCPUs), so every figure, ours and the peers', is depressed and noisy; ratios measured in the same run are the meaningful part. Raw data: \`test/bench/results/fullload.json\`.`,
      ...(remeasured.length
        ? ['', `Re-measured after the main run: ${remeasured.map((r) => `${r.what.join(', ')} (load average ${r.loadAverage1m.before})`).join('; ')}.`]
        : []),
      '',
      md,
      ...(summary.some((r) => r.met === false) ? ['', 'Missed targets (profile: `node --cpu-prof` of the engine process, main thread):', '', missesMarkdown(summary)] : []),
    ].join('\n');
    await updateReadme(join(root, 'README.md'), 'fullload', body);
  }
}
