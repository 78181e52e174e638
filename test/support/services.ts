/**
 * Where the private test services listen (see test/services/env.sh, which
 * test/run.sh sources before vitest). Integration tests get connection info
 * from here and create their own database per test file.
 */
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);

export const services = {
  pg: { host: '127.0.0.1', port: num(process.env.TEST_PG_PORT, 55432), user: 'postgres' },
  mariadb: { host: '127.0.0.1', port: num(process.env.TEST_MARIADB_PORT, 33306), user: 'root' },
  kafkaA: { brokers: [`127.0.0.1:${num(process.env.TEST_KAFKA_A_PORT, 19092)}`] },
  kafkaB: { brokers: [`127.0.0.1:${num(process.env.TEST_KAFKA_B_PORT, 29092)}`] },
  /** The control plane's own Postgres and Redis: the machine's local ones. */
  controlPg: process.env.TEST_CONTROL_PG_URL ?? 'postgres://postgres@127.0.0.1:5432',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export function pgUrl(database: string): string {
  return `postgres://${services.pg.user}@${services.pg.host}:${services.pg.port}/${database}`;
}

/** A POSTGRES data source's config for `database` on the shared PostgreSQL. */
export function pgDataSourceConfig(database: string) {
  return { host: services.pg.host, port: services.pg.port, user: services.pg.user, database, schema: 'public' };
}

export function controlDbUrl(database: string): string {
  return `${services.controlPg}/${database}`;
}

/** A short random suffix for per-test database and queue names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
