/**
 * The DDL matrix of issue 14 (tests): each DDL, applied during CDC under a write load, under each policy
 * (apply / ignore / quarantine; pause + approve is cdc-schema-policy.test.ts), in every direction
 * (MariaDB -> PG, PG -> PG, PG -> MariaDB, MariaDB -> MariaDB). One job per direction, 34 tables: one per
 * DDL and policy (`a_*` apply, `i_*` ignore, `q_*` quarantine through the job's per-table overrides, which
 * also set the narrowing policy) and a control table without DDL. All DDLs run while a writer inserts into
 * and updates every table; then each table is checked against what its policy promises:
 * - apply: the target table ends identical to the source (columns, types, NOT NULL, defaults, secondary
 *   indexes, rows); a dropped table is gone, a renamed one is followed, a created one is added live;
 * - ignore: the target keeps its structure and the rows of the columns both sides share match;
 * - quarantine: the table is quarantined with an event and its target structure is untouched; index changes
 *   are never a quarantine (ignored), TRUNCATE is data (applied).
 * And the control table and every table not quarantined keep streaming to the end.
 * Default run: PG -> MariaDB and MariaDB -> MariaDB (the directions no other suite covers); SLUICE_LONG=1 runs all four.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { createDb, exec, recordingHooks, taskInput, waitFor, type Db, type Exec, type Kind } from '../support/cdc-support';
import {
  CASES,
  PREFIX,
  afterSql,
  createSql,
  ddlSql,
  indexes,
  names,
  seedSql,
  structure,
  tableRows,
  type CaseName,
  type MatrixPolicy,
} from '../support/ddl-matrix';

const LONG = process.env.SLUICE_LONG === '1';
const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const POLICIES: MatrixPolicy[] = ['apply', 'ignore', 'quarantine'];
const ONLY = process.env.DDL_MATRIX_ONLY; // e.g. postgres-mysql, to run one direction
const DIRECTIONS: { src: Kind; tgt: Kind; always: boolean }[] = [
  { src: 'postgres', tgt: 'mysql', always: true },
  { src: 'mysql', tgt: 'mysql', always: true },
  { src: 'mysql', tgt: 'postgres', always: false },
  { src: 'postgres', tgt: 'postgres', always: false },
];

interface Writable {
  table: string;
  /** Column list and values of the writer's INSERT (id and k are added). */
  extra: { cols: string; vals: string };
}

describe.each(DIRECTIONS)('DDL matrix: $src -> $tgt', ({ src: srcKind, tgt: tgtKind, always }) => {
  it.skipIf((!always && !LONG) || (!!ONLY && ONLY !== `${srcKind}-${tgtKind}`))(
    'every DDL under apply / ignore / quarantine, under a write load; other tables never stop',
    { timeout: 240_000 },
    async () => {
      const src = await createDb(srcKind, 'dmsrc');
      const tgt = await createDb(tgtKind, 'dmtgt');
      dbs.push(src, tgt);
      const sx = await exec(src);
      const tx = await exec(tgt);
      const wx = await exec(src); // the writer's own session
      const srcSchema = srcKind === 'postgres' ? 'public' : src.name;
      const key = (t: string) => `${srcSchema}.${t}`;

      const all: { policy: MatrixPolicy; c: CaseName; t: string }[] = [];
      for (const policy of POLICIES) for (const c of CASES) all.push({ policy, c, t: `${PREFIX[policy]}_${c}` });
      for (const { c, t } of all) {
        if (c === 'newtab') continue;
        for (const s of createSql(c, t)) await sx.query(s);
        for (const s of createSql(c, t)) await tx.query(s);
        const seed = seedSql(c, t);
        if (seed) {
          await sx.query(seed);
          await tx.query(seed);
        }
      }
      await sx.query('CREATE TABLE ctl (id int PRIMARY KEY, k int)');
      await tx.query('CREATE TABLE ctl (id int PRIMARY KEY, k int)');
      const before = new Map<string, string[] | null>();
      for (const { t } of all) before.set(t, await structure(tx, tgt.name, t));

      const jobId = `h6_dm_${srcKind[0]}${tgtKind[0]}_${Date.now().toString(36)}`;
      const h = recordingHooks();
      const overrides = Object.fromEntries(POLICIES.map((p) => [`${PREFIX[p]}_*`, p]));
      const job = { mode: 'cdc' as const, schemaChanges: { policy: 'apply' as const, narrowing: 'quarantine' as const, tables: overrides } };
      const run = runCdc(taskInput(jobId, src, tgt, job, { slot: jobId, publication: jobId, heartbeatMs: 300 }), h);
      let failed: Error | null = null;
      run.catch((e: Error) => {
        failed = e;
      });
      await waitFor('streaming', async () => failed ?? h.logs.some((l) => l.includes('cdc: starting')), 60_000);
      if (failed) throw failed;

      // The write load: an INSERT into every table and an UPDATE of its previous row, round after round.
      const writable = new Map<string, Writable>();
      for (const { c, t } of all)
        if (c !== 'newtab') writable.set(t, { table: t, extra: c === 'drop' ? { cols: ', x', vals: ', 0' } : { cols: '', vals: '' } });
      writable.set('ctl', { table: 'ctl', extra: { cols: '', vals: '' } });
      let writing = true;
      let nextId = 1000;
      let rounds = 0;
      const writer = (async () => {
        while (writing) {
          const id = nextId++;
          for (const w of [...writable.values()]) {
            try {
              await wx.query(`INSERT INTO ${w.table} (id, k${w.extra.cols}) VALUES (${id}, ${id}${w.extra.vals})`);
              await wx.query(`UPDATE ${w.table} SET k = k + 1 WHERE id = ${id - 1}`);
            } catch (e) {
              // A table dropped or renamed, or a column dropped, under the writer: its next round uses the new form.
              if (!/exist|unknown column/i.test((e as Error).message)) throw e;
            }
          }
          rounds++;
        }
      })();
      await waitFor('a few rounds of writes', async () => rounds >= 2, 30_000);

      // Every DDL, interleaved with the writer.
      for (const { c, t } of all) {
        if (c === 'droptab') writable.delete(t);
        for (const s of ddlSql(c, t, srcKind)) await sx.query(s);
        if (c === 'drop') writable.set(t, { table: t, extra: { cols: '', vals: '' } });
        if (c === 'rentab') writable.set(t, { table: `${t}2`, extra: { cols: '', vals: '' } });
        if (c === 'newtab') writable.set(t, { table: t, extra: { cols: '', vals: '' } });
      }
      for (const { c, t } of all) for (const s of afterSql(c, t)) await sx.query(s);
      const roundsAfter = rounds + 3;
      await waitFor('more rounds of writes after the DDLs', async () => rounds >= roundsAfter, 30_000);
      writing = false;
      await writer;
      const lastId = nextId - 1;

      const quarantined = () => new Set(h.events.filter((e) => e.type === 'table.quarantined').map((e) => String(e.data?.table)));
      const expectQuarantined = new Set(
        all.filter(({ policy, c }) => policy === 'quarantine' && !['addidx', 'dropidx', 'trunc'].includes(c)).map(({ t }) => key(t)),
      );
      // removed from the job (not a quarantine by policy, but it leaves the job with an event): dropped and renamed-away tables
      for (const t of ['a_droptab', 'i_droptab', 'i_rentab', 'i_rentab2', 'q_rentab2']) expectQuarantined.add(key(t));
      // ignore leaves the target as it was, so it rejects what the source writes next: a NOT NULL column the source
      // dropped gets no value, a value above 2^31 does not fit the int column. Only that table stops.
      for (const t of ['i_drop', 'i_widen']) expectQuarantined.add(key(t));

      // What each table must look like on the target; the columns compared.
      const cmp = (policy: MatrixPolicy, c: CaseName): string[] | null => {
        if (policy === 'quarantine' && !['addidx', 'dropidx', 'trunc'].includes(c)) return null;
        if (c === 'droptab' || (c === 'newtab' && policy !== 'apply') || (policy === 'ignore' && ['rentab', 'drop', 'widen'].includes(c))) return null;
        if (policy === 'apply') return ['*'];
        // ignore: what both sides share
        return { add: ['id', 'k', 'v'], rencol: ['id', 'k'], narrow: ['id', 'k', 's'] }[c as 'add'] ?? ['*'];
      };
      const sourceName = (c: CaseName, t: string) => (c === 'rentab' ? `${t}2` : t);
      const problems = async (): Promise<string[]> => {
        const out: string[] = [];
        for (const { policy, c, t } of [...all, { policy: 'apply' as const, c: 'trunc' as const, t: 'ctl' }]) {
          const cols = cmp(policy, c);
          if (!cols) continue;
          const name = sourceName(c, t);
          const sCols = cols[0] === '*' ? names(await structure(sx, src.name, name)) : cols;
          const [a, b] = await Promise.all([tableRows(sx, name, sCols), tableRows(tx, name, sCols)]);
          if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${name}: ${b === null ? 'missing' : `${b.length} rows vs ${a?.length}`}`);
        }
        return out;
      };
      let last: string[] = [];
      await waitFor(
        'every streaming table to converge',
        async () => {
          if (failed) throw failed;
          last = await problems();
          return last.length === 0;
        },
        90_000,
        500,
      ).catch((e: Error) => {
        const q = h.events.filter((x) => x.type === 'table.quarantined').map((x) => `${String(x.data?.table)}: ${String(x.data?.reason)}`);
        throw new Error(`${e.message}; still different: ${last.join('; ')}; quarantined: ${q.join(' / ')}; failed: ${String(failed)}`);
      });
      expect(failed).toBeNull();

      // The control table saw the writer's last round: it never stopped.
      expect(await tableRows(tx, 'ctl', ['id'])).toContain(String(lastId));

      // Quarantines: exactly the expected tables, each with its event.
      const reasons = h.events.filter((x) => x.type === 'table.quarantined').map((x) => `${String(x.data?.table)}: ${String(x.data?.reason)}`);
      expect([...quarantined()].sort().join(' '), reasons.join('\n')).toBe([...expectQuarantined].sort().join(' '));

      // Structures.
      for (const { policy, c, t } of all) {
        const name = sourceName(c, t);
        const got = await structure(tx, tgt.name, name);
        const shown = `${name} (${policy})`;
        if (policy === 'apply') {
          if (c === 'droptab') expect(got, shown).toBeNull();
          else expect(got, shown).toEqual(await structure(sx, src.name, name));
          if (c === 'rentab') expect(await structure(tx, tgt.name, t), `${t} renamed away`).toBeNull();
          if (c !== 'droptab') expect(await indexes(tx, tgt.name, name), shown).toEqual(await indexes(sx, src.name, name));
        } else if (c === 'newtab') expect(got, shown).toBeNull();
        else if (c === 'rentab') {
          expect(await structure(tx, tgt.name, t), shown).toEqual(before.get(t));
          if (policy === 'ignore') expect(got, shown).toBeNull();
        } else {
          expect(got, shown).toEqual(before.get(t));
          if (c === 'dropidx') expect(await indexes(tx, tgt.name, t), shown).toEqual(['v']);
          if (c === 'addidx') expect(await indexes(tx, tgt.name, t), shown).toEqual([]);
        }
      }
      // apply: existing rows got the source's default, the new values landed.
      expect(await tableRows(tx, 'a_add', ['id', 'n'])).toEqual(expect.arrayContaining(['1|7', '2|9', '500|8']));
      expect(await tableRows(tx, 'a_widen', ['id', 'n'])).toContain('500|9000000000');
      expect(await tableRows(tx, 'a_rentab2', ['id', 'v'])).toContain('1|moved');

      h.controller.abort();
      await run.catch(() => undefined);
      for (const x of [sx, tx, wx]) await x.close();
      if (srcKind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
    },
  );
});
