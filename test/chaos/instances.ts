/**
 * The chaos run's private servers, which it may stop and start (never the
 * shared test services): a source set and a target set, each a MariaDB (ROW
 * binlog) and a PostgreSQL (wal_level=logical) made by
 * test/services/{mariadb,postgres}.sh in their own directory (own log), and a
 * private Redis for the control plane. Ports CHAOS_PORT_BASE (41500) + 0..4 (+ 5: the api process, cluster.ts)
 * (reserved from the ephemeral range by test/services/reserve-ports.sh), data
 * under CHAOS_ROOT (/var/tmp/sluice-chaos). A source of a pair is always on
 * the source set and its target on the target set, so `restart-source` and
 * `restart-target` hit every pair in exactly that role.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Kind } from '../support/cdc-support';
import { privateService, type PrivateSet } from '../support/private-sources';
import { PrivateRedis } from '../support/private-redis';

export type Role = 'src' | 'tgt';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChaosInstances {
  private constructor(
    readonly portBase: number,
    readonly src: PrivateSet,
    readonly tgt: PrivateSet,
    readonly redis: PrivateRedis,
  ) {}

  static async start(): Promise<ChaosInstances> {
    const base = Number(process.env.CHAOS_PORT_BASE ?? 41500);
    const root = process.env.CHAOS_ROOT ?? '/var/tmp/sluice-chaos';
    const i = new ChaosInstances(
      base,
      { root: path.join(root, 'src'), mariadb: base, pg: base + 1 },
      { root: path.join(root, 'tgt'), mariadb: base + 2, pg: base + 3 },
      new PrivateRedis(base + 4, path.join(root, 'redis')),
    );
    rmSync(i.redis.dir, { recursive: true, force: true }); // a fresh control-plane Redis per run
    // The first start of a set installs its data dirs: two mariadb-install-db at once failed here, so the sets go in turn.
    const started = await Promise.allSettled([i.up('src').then(() => i.up('tgt')), i.redis.start()]);
    const failed = started.find((x) => x.status === 'rejected');
    if (failed) {
      await i.stop();
      throw failed.reason;
    }
    return i;
  }

  set(role: Role): PrivateSet {
    return role === 'src' ? this.src : this.tgt;
  }

  port(role: Role, kind: Kind): number {
    return kind === 'postgres' ? this.set(role).pg : this.set(role).mariadb;
  }

  private async up(role: Role): Promise<void> {
    const at = this.set(role);
    await Promise.all([privateService('mariadb', 'up', { at }), privateService('postgres', 'up', { at })]);
  }

  private async down(role: Role): Promise<void> {
    const at = this.set(role);
    await Promise.all([privateService('mariadb', 'down', { at }), privateService('postgres', 'down', { at })]);
  }

  /** A clean stop of both servers of a role (in-flight transactions roll back), `holdMs` down, then a start. */
  async restart(role: Role, holdMs: number): Promise<void> {
    const t0 = Date.now();
    await this.down(role);
    await sleep(Math.max(0, holdMs - (Date.now() - t0)));
    await this.up(role);
  }

  async restartRedis(holdMs: number): Promise<void> {
    const t0 = Date.now();
    await this.redis.stop();
    await sleep(Math.max(0, holdMs - (Date.now() - t0)));
    await this.redis.start();
  }

  /** Stops everything (the data directories stay, so the next run starts in seconds). */
  async stop(): Promise<void> {
    await Promise.allSettled([this.down('src'), this.down('tgt'), this.redis.stop()]);
  }
}
