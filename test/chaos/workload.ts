/**
 * The chaos suite's live write load: the CDC suites' random workload (inserts,
 * updates, deletes, multi-row transactions, primary-key updates, composite
 * keys: test/support/cdc-support.ts) plus a `docs` table whose JSON, double and
 * bit columns are the values engines spell differently.
 */
import { Workload, rng, workloadDdl, type Exec, type Kind } from '../support/cdc-support';
import type { TableSpec } from './compare';

export const CHAOS_TABLES: TableSpec[] = [
  { name: 'items', key: ['id'] },
  { name: 'order_lines', key: ['order_id', 'line'] },
  { name: 'docs', key: ['id'], kinds: { doc: 'json', f: 'float', flags: 'bit' } },
];

export function chaosDdl(kind: Kind): string[] {
  const docs =
    kind === 'postgres'
      ? 'CREATE TABLE docs (id bigint PRIMARY KEY, doc jsonb, f double precision, flags bit(8))'
      : 'CREATE TABLE docs (id bigint PRIMARY KEY, doc json, f double, flags bit(8)) ENGINE=InnoDB';
  return [...workloadDdl(kind), docs];
}

export class ChaosWorkload {
  private readonly wl: Workload;
  private readonly r: () => number;
  private nextDoc = 1;
  private readonly docs = new Set<number>();
  private writing = false;
  private loop: Promise<void> | null = null;
  ops = 0;
  errors = 0;
  /** Set by the restart-source fault: statements fail while the source is down, counted in `errorsWhileDown`. */
  sourceDown = false;
  errorsWhileDown = 0;

  constructor(
    private readonly x: Exec,
    seed: number,
  ) {
    this.wl = new Workload(x, seed);
    this.r = rng(seed + 1);
  }

  private docValues(id: number): unknown[] {
    const r = this.r;
    const doc = { id, tags: ['a', 'b'].slice(0, 1 + Math.floor(r() * 2)), n: Math.floor(r() * 1e6), nested: { x: r() < 0.5, s: `v${id}` } };
    const flags = Math.floor(r() * 256);
    const bits = this.x.kind === 'postgres' ? flags.toString(2).padStart(8, '0') : flags;
    return [id, JSON.stringify(doc), Math.round(r() * 1e9) / 1e3 + 0.1, bits];
  }

  private insertDocSql(): string {
    return this.x.kind === 'postgres'
      ? 'INSERT INTO docs (id, doc, f, flags) VALUES ($1, $2, $3, $4::bit(8))'
      : 'INSERT INTO docs (id, doc, f, flags) VALUES ($1, $2, $3, $4)';
  }

  async seed(items: number, docs: number): Promise<void> {
    await this.wl.bulk(items);
    for (let i = 0; i < docs; i++) await this.insertDoc();
  }

  private async insertDoc(): Promise<void> {
    const id = this.nextDoc++;
    await this.x.query(this.insertDocSql(), this.docValues(id));
    this.docs.add(id);
  }

  private async docOp(): Promise<void> {
    const r = this.r();
    const ids = [...this.docs];
    if (r < 0.5 || ids.length < 5) return this.insertDoc();
    const id = ids[Math.floor(this.r() * ids.length)]!;
    if (r < 0.85) {
      const [, doc, f, bits] = this.docValues(id);
      const sql =
        this.x.kind === 'postgres'
          ? 'UPDATE docs SET doc = $1, f = $2, flags = $3::bit(8) WHERE id = $4'
          : 'UPDATE docs SET doc = $1, f = $2, flags = $3 WHERE id = $4';
      await this.x.query(sql, [doc, f, bits, id]);
    } else {
      await this.x.query('DELETE FROM docs WHERE id = $1', [id]);
      this.docs.delete(id);
    }
  }

  /** One round: `n` random operations on items/order_lines and a few on docs. */
  async round(n: number): Promise<void> {
    await this.wl.run(n);
    for (let i = 0; i < Math.max(1, n / 3); i++) await this.docOp();
    this.ops += n + Math.max(1, Math.floor(n / 3));
  }

  start(n = 5, pauseMs = 20): void {
    if (this.writing) return;
    this.writing = true;
    this.loop = (async () => {
      while (this.writing) {
        const down = this.sourceDown;
        try {
          await this.round(n);
        } catch {
          // The workload's own session is never cut: an error while the source is up is a bug in the workload.
          if (down || this.sourceDown) this.errorsWhileDown++;
          else this.errors++;
        }
        await new Promise((res) => setTimeout(res, pauseMs));
      }
    })();
  }

  async pause(): Promise<void> {
    this.writing = false;
    await this.loop;
    this.loop = null;
  }
}
