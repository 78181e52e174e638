import { z } from 'zod';

const host = z.string().trim().min(1, 'host is required').max(255);
const port = z.number().int().min(1).max(65535);
const ident = z.string().trim().min(1).max(128);

export const mysqlConfigSchema = z.strictObject({
  host,
  port: port.default(3306),
  user: ident,
  database: ident,
  ssl: z.boolean().default(false),
});

export const postgresConfigSchema = z.strictObject({
  host,
  port: port.default(5432),
  user: ident,
  database: ident,
  /** Schema to read from / write to. */
  schema: ident.default('public'),
  ssl: z.boolean().default(false),
});

export const kafkaConfigSchema = z.strictObject({
  brokers: z.array(z.string().trim().regex(/^[^\s:]+:\d{1,5}$/, 'each broker is host:port')).min(1).max(50),
  clientId: ident.default('sluice'),
  ssl: z.boolean().default(false),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: ident,
    })
    .optional(),
});

export const dataSourceKindSchema = z.enum(['mysql', 'postgres', 'kafka']);
export type DataSourceKind = z.infer<typeof dataSourceKindSchema>;

export const dataSourceConfigSchemas = {
  mysql: mysqlConfigSchema,
  postgres: postgresConfigSchema,
  kafka: kafkaConfigSchema,
} as const;

export type MysqlConfig = z.infer<typeof mysqlConfigSchema>;
export type PostgresConfig = z.infer<typeof postgresConfigSchema>;
export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

/** What an agent receives to connect: config plus the decrypted secret (never logged). */
export const connectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mysql'), config: mysqlConfigSchema, secret: z.string().optional() }),
  z.object({ kind: z.literal('postgres'), config: postgresConfigSchema, secret: z.string().optional() }),
  z.object({ kind: z.literal('kafka'), config: kafkaConfigSchema, secret: z.string().optional() }),
]);
export type Connection = z.infer<typeof connectionSchema>;
