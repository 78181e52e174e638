/**
 * Full-load benchmark runs (see ../fullload.ts): the raw server-side limits,
 * the peer tools, and Sluice's own engine in a child process.
 */
import { mkdirSync, existsSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MYSQL_DDL, PG_DDL, PG_PRE, mysqlOutfileSelect, mysqlLoadDataTail, type BenchTable } from './fullload-data';
import { runNodeChild, sh, summariseCpuProfile, timed } from './util';
import {
  here,
  PREFIX,
  FILE_DIR,
  DIRS,
  withServerCpu,
  pgHost,
  myHost,
  pgCli,
  myCli,
  pgAdmin,
  myAdmin,
  pgRecreateDb,
  pgDropDb,
  myRecreateDb,
  myDropDb,
  countRows,
  SRC,
  type Dir,
  type Measurement,
} from './fullload-env';

// ------------------------------------------------------------------ raw limits

/** Server-side COPY FROM file into PG of the source rows exported beforehand. */
export async function limitPg(table: BenchTable, rows: number): Promise<Omit<Measurement, 'direction'>> {
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
    return {
      table,
      tool: 'limit',
      name: 'COPY FROM file',
      rows: got,
      seconds: tm.value.seconds,
      rowsPerSec: got / tm.value.seconds,
      ok: got === rows,
      cpu: { pgMs: tm.pgMs, mariadbMs: tm.mariadbMs },
    };
  } finally {
    await pgDropDb(db);
  }
}

/** Server-side LOAD DATA INFILE into MariaDB of the source rows exported beforehand. */
export async function limitMy(table: BenchTable, rows: number): Promise<Omit<Measurement, 'direction'>> {
  const file = join(FILE_DIR, `my_${table}_${rows}.tsv`);
  if (!existsSync(file))
    await myAdmin(SRC, async (c) => {
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
    return {
      table,
      tool: 'limit',
      name: 'LOAD DATA INFILE',
      rows: got,
      seconds: tm.value.seconds,
      rowsPerSec: got / tm.value.seconds,
      ok: got === rows,
      cpu: { pgMs: tm.pgMs, mariadbMs: tm.mariadbMs },
    };
  } finally {
    await myDropDb(db);
  }
}

// ------------------------------------------------------------------ peers

export async function peerOnce(dir: Dir, table: BenchTable, rows: number, tuned: boolean): Promise<Measurement> {
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

export async function peer(dir: Dir, table: BenchTable, rows: number): Promise<Measurement | null> {
  if (!DIRS[dir].peer) return null;
  const first = await peerOnce(dir, table, rows, false);
  if (first.ok || dir !== 'm2p') return first;
  // pgloader at its defaults can die with "Heap exhausted" on wide rows; measure it once more tuned,
  // and keep the failure on record.
  const second = await peerOnce(dir, table, rows, true);
  return {
    ...second,
    detail: {
      ...(second.detail ?? {}),
      defaultSettingsFailed:
        (first.error ?? '')
          .split('\n')
          .filter((l) => /heap|exhausted|fatal/i.test(l))
          .slice(0, 3)
          .join(' ') || 'failed',
    },
  };
}

// ------------------------------------------------------------------ sluice

export function connection(engine: 'mysql' | 'postgres', db: string) {
  return engine === 'postgres'
    ? { kind: 'postgres' as const, config: { host: pgHost.host, port: pgHost.port, user: pgHost.user, database: db, schema: 'public', ssl: false } }
    : { kind: 'mysql' as const, config: { host: myHost.host, port: myHost.port, user: myHost.user, database: db, ssl: false } };
}

export async function sluice(
  dir: Dir,
  table: BenchTable,
  rows: number,
  opts: { verify: boolean; profile: boolean; parallelism: number; chunkSize: number },
): Promise<Measurement[]> {
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
        options: {
          existingTable: 'fail',
          chunkSize: opts.chunkSize,
          parallelism: opts.parallelism,
          verifyAfterLoad: false,
          repair: false,
          createSecondaryIndexes: true,
          createForeignKeys: true,
          dryRun: false,
        },
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
