/**
 * Every table: the core schema (schema.ts) plus one file per area that
 * references it (schema-alerts.ts, schema-audit.ts, schema-cleanups.ts, schema-samples.ts, schema-receipts.ts). Imports go one way (an area file imports
 * schema.ts, never the reverse), so this file joins them. The package's
 * `@sluice/db/schema` export, the drizzle client and drizzle-kit read it.
 */
export * from './schema';
export * from './schema-alerts';
export * from './schema-audit';
export * from './schema-cleanups';
export * from './schema-samples';
export * from './schema-job-tables';
export * from './schema-receipts';
