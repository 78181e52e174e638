/**
 * Setup shared by the portal journey (portal-journey.test.ts): the MariaDB
 * shop the journey loads (customers, orders, and a big table that is still
 * loading when the journey pauses it) and creating a data source through the
 * portal's form, a job through the api, and counting the rows that arrived.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type { MariaDatabase } from '../support/db-fixtures';
import type { Portal } from '../browser/portal-harness';
import type { UiUser } from '../browser/portal-flows';

export const CUSTOMERS = 300;
export const ORDERS = 2500;
/** Big enough that the load is still running when the test pauses it. */
export const BIG = 600_000;

/** Creates and fills the shop tables in `src`. */
export async function seedShop(src: MariaDatabase): Promise<void> {
  const c = await mysql.createConnection({ host: src.host, port: src.port, user: src.user, database: src.database, multipleStatements: true });
  try {
    await c.query(`
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, email VARCHAR(120), created_at DATETIME(6) NOT NULL, balance DECIMAL(12,2) NOT NULL, UNIQUE KEY customers_email_uq (email));
      CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(14,4) NOT NULL, note TEXT NULL, placed_at TIMESTAMP(3) NOT NULL, KEY orders_customer_idx (customer_id));
    `);
    // Rows are generated inside MariaDB, so the values are the database's own.
    await c.query(
      `INSERT INTO customers SELECT seq, CONCAT('customer ', seq), IF(seq % 7 = 0, NULL, CONCAT('c', seq, '@example.test')), TIMESTAMP('2024-01-01') + INTERVAL seq * 3607 SECOND + INTERVAL seq MICROSECOND, (seq * 37 % 100000) / 100 FROM seq_1_to_${CUSTOMERS}`,
    );
    await c.query(
      `INSERT INTO orders SELECT seq, 1 + seq % ${CUSTOMERS}, (seq * 7919 % 1000000) / 10000, IF(seq % 5 = 0, NULL, REPEAT('n', seq % 40)), TIMESTAMP('2024-02-01') + INTERVAL seq * 61 SECOND FROM seq_1_to_${ORDERS}`,
    );
    await c.query(`CREATE TABLE big_events (id BIGINT PRIMARY KEY, kind VARCHAR(16) NOT NULL, payload VARCHAR(200) NOT NULL, at DATETIME(6) NOT NULL)`);
    await c.query(
      `INSERT INTO big_events SELECT seq, ELT(1 + seq % 3, 'view', 'click', 'buy'), REPEAT('p', 40 + seq % 100), TIMESTAMP('2024-03-01') + INTERVAL seq SECOND FROM seq_1_to_${BIG}`,
    );
  } finally {
    await c.end();
  }
}

export async function createDataSourceViaUi(
  page: Page,
  kind: 'MySQL / MariaDB' | 'PostgreSQL',
  v: { name: string; host: string; port: number; user: string; database: string },
): Promise<string> {
  await page.goto('/data-sources/new');
  await page.getByLabel(kind).check();
  await page.getByLabel('Name').fill(v.name);
  await page.getByLabel('Host').fill(v.host);
  await page.getByLabel('Port').fill(String(v.port));
  await page.getByLabel('User').fill(v.user);
  await page.getByLabel('Database').fill(v.database);
  await page.getByRole('button', { name: 'Create data source' }).click();
  await page.getByRole('heading', { level: 1, name: v.name }).waitFor();
  return page.url().split('/').pop() ?? '';
}

/** Creates a job between two data sources (by name) through the api, as `user`; returns its id. */
export async function createJobViaApi(
  h: Portal,
  user: UiUser,
  v: { name: string; source: string; target: string; spec: Record<string, unknown> },
): Promise<string> {
  const { token } = await h.api.logIn(user.email, user.password);
  const ids = await h.api.sql<{ id: string; name: string }>('select id, name from data_sources');
  const created = await h.api.gqlOk<{ createJob: { id: string } }>(
    'mutation($input: CreateJobInput!) { createJob(input: $input) { id } }',
    { input: { name: v.name, sourceId: ids.rows.find((r) => r.name === v.source)?.id, targetId: ids.rows.find((r) => r.name === v.target)?.id, spec: v.spec } },
    token,
  );
  return created.createJob.id;
}

/** Runs statements on a PostgreSQL database (e.g. to make drift behind a job's back). */
export async function pgExec(url: string, ...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Row counts of PostgreSQL tables (`schema.table`), in the order given. */
export async function pgCounts(url: string, ...tables: string[]): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: number[] = [];
    for (const t of tables) out.push(Number((await c.query<{ n: string }>(`select count(*) as n from ${t}`)).rows[0]?.n));
    return out;
  } finally {
    await c.end();
  }
}
