/**
 * `sluice-agent run` as a first-class interface: every subcommand's --help, the job spec the
 * portal's wizard shows accepted as it is (connections from --source/--target), --json machine
 * output, the documented exit codes (a real mismatch made by changing a target row with repair
 * off), and a rerun of a finished job (says so, exit 0) and --restart (starts over).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runCli } from '../support/agents-helpers';

const ROWS = 3_000;
let src: MariaDatabase;
let dst: PgDatabase;
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-agentinstall-cli-'));
const sourceUrl = () => `mysql://${src.user}@${src.host}:${src.port}/${src.database}`;
const targetUrl = () => `postgres://${dst.user}@${dst.host}:${dst.port}/${dst.database}?schema=public`;

/** Exactly what the wizard shows under "Job spec (JSON)" for a full load of `customers` with its default options. */
const wizardSpec = (mode = 'full', options: Record<string, unknown> = {}) => ({
  mode,
  tables: { include: ['customers'], exclude: [] },
  mapping: {},
  options: {
    existingTable: 'fail',
    chunkSize: 50_000,
    parallelism: 4,
    verifyAfterLoad: true,
    repair: true,
    createSecondaryIndexes: true,
    createForeignKeys: true,
    dryRun: false,
    ...options,
  },
});

function specFile(name: string, spec: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(spec, null, 2));
  return f;
}

async function pgq<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: dst.url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  src = await createMariaDatabase('sluice_agentinstall');
  dst = await createPgDatabase('sluice_agentinstall');
  const my = await mysql.createConnection({ host: src.host, port: src.port, user: src.user, database: src.database });
  await my.query('create table customers (id bigint primary key, name varchar(64) not null, balance decimal(12,2) not null)');
  await my.query(`insert into customers select seq, concat('customer-', seq), round(seq * 1.5, 2) from seq_1_to_${ROWS}`);
  await my.end();
}, 60_000);

afterAll(async () => {
  await src?.drop();
  await dst?.drop();
});

describe('sluice-agent run', () => {
  it('lists every option in each subcommand --help', async () => {
    const expected: Record<string, string[]> = {
      run: ['--spec', '--source', '--target', '--state-file', '--restart', '--json', '--quiet', '--log-level', '--receipt', '--credentials', '--help'],
      register: ['--api', '--token', '--name', '--credentials', '--ca', '--force', '--log-level'],
      start: ['--api', '--credentials', '--capacity', '--ca', '--status-file', '--log-level'],
      status: ['--credentials', '--status-file', '--json'],
    };
    for (const [cmd, flags] of Object.entries(expected)) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, `${cmd} --help`).toBe(0);
      for (const f of flags) expect(r.stdout, `${cmd} --help mentions ${f}`).toContain(f);
    }
    const run = await runCli(['run', '-h']);
    expect(run.stdout).toMatch(/Exit codes:[\s\S]*4 +verification found rows that differ[\s\S]*5 +rows still differ after repair/);
    const noSpec = await runCli(['run']);
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toMatch(/run needs --spec/);
  });

  it("accepts the wizard's job spec as it is, ends with a human summary, then a rerun says it is finished and --restart starts over", async () => {
    const file = specFile('wizard.json', wizardSpec());
    const state = ['--state-file', path.join(dir, 'wizard.state.json')];
    const missing = await runCli(['run', '--spec', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/job spec without connections .*--source URL and --target URL/);

    const creds = ['--credentials', path.join(dir, 'no-agent.json')];
    const r = await runCli(['run', '--spec', file, '--source', sourceUrl(), '--target', targetUrl(), ...state, ...creds], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    // The signed correctness receipt, next to the spec; it verifies offline, and a changed copy does not.
    const receiptFile = path.join(dir, 'wizard.receipt.json');
    expect(r.stderr).toContain(`receipt: ${receiptFile}`);
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as {
      body: { verification: { tables: { rowsSource: number; chunkSums: { source: { n: number; h: string }; target: { n: number; h: string } }[] }[] } };
      signature: { signer: string };
    };
    expect(receipt.signature.signer).toBe('local');
    const vt = receipt.body.verification.tables[0]!;
    expect(vt.rowsSource).toBe(ROWS);
    expect(vt.chunkSums.reduce((n, c) => n + c.target.n, 0)).toBe(ROWS);
    expect(vt.chunkSums.every((c) => c.source.h === c.target.h && /^[0-9a-f]{16}$/.test(c.source.h))).toBe(true);
    const ok = await runCli(['receipt', 'verify', receiptFile]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/valid receipt, signed by local/);
    vt.rowsSource += 1;
    const tampered = path.join(dir, 'tampered.receipt.json');
    writeFileSync(tampered, JSON.stringify(receipt));
    const bad = await runCli(['receipt', 'verify', tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/NOT VALID[\s\S]*signature does not match/);
    // Plain progress lines (stderr is not a terminal), each log line once, a summary at the end of stdout.
    expect(r.stderr).toMatch(/progress (load|indexes|done): 3,000\/3,000 rows \(100\.0%\)/);
    expect(r.stderr).toMatch(/progress verify: 3,000\/3,000 rows \(100\.0%\)/);
    const lines = r.stderr.split('\n').filter((l) => /^(info|warn): verified /.test(l));
    expect(lines).toHaveLength(1);
    expect(r.stdout).toMatch(/^sluice-agent run wizard \(full\): done\n/); // jobId: the spec file's name
    expect(r.stdout).toMatch(/loaded 3,000 rows .* into 1 table/);
    expect(r.stdout).toMatch(/verified 1 table, \d+ chunks: \d+ ok, 0 differed/);
    expect(r.stdout).toMatch(/exit code 0\n$/);
    expect(r.stdout).not.toMatch(/^\{/m);
    expect((await pgq<{ n: number }>('select count(*)::int as n from public.customers'))[0]!.n).toBe(ROWS);

    const again = await runCli(['run', '--spec', file, '--source', sourceUrl(), '--target', targetUrl(), ...state, '--json'], {}, 60_000);
    expect(again.code, again.stderr).toBe(0);
    const doc = JSON.parse(again.stdout) as {
      ok: boolean;
      outcome: string;
      exitCode: number;
      result: { alreadyFinished: boolean; previous: { load: { rows: number } } };
    };
    expect(doc).toMatchObject({ ok: true, outcome: 'already-finished', exitCode: 0, result: { alreadyFinished: true, previous: { load: { rows: ROWS } } } });
    expect(again.stderr).toMatch(/already finished at .*--restart runs it again/);

    const restart = await runCli(['run', '--spec', file, '--source', sourceUrl(), '--target', targetUrl(), ...state, '--restart', '--json'], {}, 120_000);
    expect(restart.code, restart.stderr).toBe(0);
    const rdoc = JSON.parse(restart.stdout) as {
      outcome: string;
      result: { load: { rows: number; tables: { skippedChunks: number }[] }; verify: { ok: boolean } };
    };
    expect(rdoc.outcome).toBe('ok');
    expect(rdoc.result.load.rows).toBe(ROWS);
    expect(rdoc.result.load.tables[0]!.skippedChunks).toBe(0);
    expect(rdoc.result.verify.ok).toBe(true);
    expect(restart.stderr).toMatch(/restarting: target tables that already exist are truncated/);
    expect((await pgq<{ n: number }>('select count(*)::int as n from public.customers'))[0]!.n).toBe(ROWS);
  }, 300_000);

  it('exits 4 when verification finds a changed row with repair off, 0 once repaired, 5 when repair cannot fix it, 6 when it cannot complete, 1 when the load fails, 2 on a bad spec', async () => {
    await pgq(`update public.customers set balance = balance + 1 where id = 42`);
    const verifyOnly = specFile('verify.json', wizardSpec('verify'));
    const noRepair = specFile('verify-report.json', wizardSpec('verify', { repair: false }));
    const r = await runCli(
      ['run', '--spec', noRepair, '--source', sourceUrl(), '--target', targetUrl(), '--state-file', path.join(dir, 'v1.json')],
      {},
      120_000,
    );
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toMatch(/VERIFICATION FOUND DIFFERENCES \(repair is off\)/);
    expect(r.stdout).toMatch(/customers: mismatch: missing 0, extra 0, different 1/);
    // The differing key, and per key the column with both values.
    expect(r.stdout).toMatch(/different \(42\)\n\s+balance: source "[\d.]+", target "[\d.]+"/);
    expect(r.stdout).toMatch(/exit code 4\n$/);

    const json = await runCli(
      ['run', '--spec', noRepair, '--source', sourceUrl(), '--target', targetUrl(), '--state-file', path.join(dir, 'v2.json'), '--json'],
      {},
      120_000,
    );
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 4, outcome: 'mismatch', result: { ok: false, totals: { rowsDifferent: 1 } } });

    const repaired = await runCli(
      ['run', '--spec', verifyOnly, '--source', sourceUrl(), '--target', targetUrl(), '--state-file', path.join(dir, 'v3.json'), '--json'],
      {},
      120_000,
    );
    // mode verify reports only unless repair is chosen: the wizard's default options choose it.
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ outcome: 'ok', result: { totals: { rowsRepaired: 1 } } });
    expect((await pgq<{ b: string }>('select balance::text as b from public.customers where id = 42'))[0]!.b).toBe('63.00');

    // A target trigger that rewrites row 7 on every write: repair copies the row, the trigger undoes it.
    await pgq(`create function pin_balance() returns trigger language plpgsql as $$ begin new.balance := 0; return new; end $$`);
    await pgq(`create trigger pin_balance before insert or update on public.customers for each row when (new.id = 7) execute function pin_balance()`);
    await pgq(`update public.customers set name = name where id = 7`);
    const stuck = await runCli(
      ['run', '--spec', verifyOnly, '--source', sourceUrl(), '--target', targetUrl(), '--state-file', path.join(dir, 'v4.json')],
      {},
      120_000,
    );
    expect(stuck.code, stuck.stdout + stuck.stderr).toBe(5);
    expect(stuck.stdout).toMatch(
      /ROWS STILL DIFFER AFTER REPAIR[\s\S]*customers: mismatch: missing 0, extra 0, different 1, repaired 1[\s\S]*different \(7\)[\s\S]*exit code 5\n$/,
    );
    await pgq(`drop trigger pin_balance on public.customers`);

    // Verification that cannot complete (the target table is not there): 6.
    await pgq('create schema if not exists empty_side');
    const incomplete = await runCli(
      [
        'run',
        '--spec',
        noRepair,
        '--source',
        sourceUrl(),
        '--target',
        targetUrl().replace('schema=public', 'schema=empty_side'),
        '--state-file',
        path.join(dir, 'v5.json'),
      ],
      {},
      120_000,
    );
    expect(incomplete.code, incomplete.stdout + incomplete.stderr).toBe(6);
    expect(incomplete.stdout).toMatch(
      /VERIFICATION COULD NOT COMPLETE[\s\S]*customers: could not be verified: target table empty_side\.customers does not exist/,
    );

    const badTarget = `postgres://${dst.user}@${dst.host}:${dst.port}/sluice_agentinstall_no_such_db`;
    const failed = await runCli(
      ['run', '--spec', specFile('fail.json', wizardSpec()), '--source', sourceUrl(), '--target', badTarget, '--state-file', path.join(dir, 'f.json')],
      {},
      120_000,
    );
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/FAILED\n[\s\S]*error: .*sluice_agentinstall_no_such_db/);

    const bad = await runCli(['run', '--spec', specFile('bad.json', { ...wizardSpec(), mode: 'sideways' }), '--source', sourceUrl(), '--target', targetUrl()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid job spec:\n {2}mode:/);
  }, 300_000);
});
