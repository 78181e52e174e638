import { z } from 'zod';

const host = z.string().trim().min(1, 'host is required').max(255);
const port = z.number().int().min(1).max(65535);
const ident = z.string().trim().min(1).max(128);

/** libpq-like TLS modes (see agent/src/tls/client-tls.ts for what each checks). */
export const tlsModeSchema = z.enum(['disable', 'require', 'verify-ca', 'verify-full']);
export type TlsModeName = z.infer<typeof tlsModeSchema>;
/** Non-secret TLS settings. The CA bundle, client certificate and key are secrets, stored encrypted beside the password. */
export const tlsConfigSchema = z.strictObject({
  /** verify-full when TLS is configured without a mode. */
  mode: tlsModeSchema.default('verify-full'),
  /** The name to check the certificate against (and send as SNI) when it differs from host. */
  serverName: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:*-]+$/, 'a DNS name or IP address')
    .optional(),
});
export type TlsMode = TlsModeName;

/** The non-secret TLS part of a data source's config. */
export interface TlsConfigLike {
  ssl?: boolean | undefined;
  tls?: { mode?: TlsMode | undefined; serverName?: string | undefined } | undefined;
}

export interface TlsSettings {
  mode: TlsMode;
  serverName?: string | undefined;
  /** Derived from the legacy `ssl` flag rather than an explicit `tls` block. */
  legacy: boolean;
}

/**
 * The effective TLS mode of a config: `tls.mode` (verify-full when the block omits it), else the
 * legacy flag, where `ssl: true` means `require` (encrypted, NOT verified: it never verified).
 */
export function tlsSettings(config: TlsConfigLike): TlsSettings {
  if (config.tls) return { mode: config.tls.mode ?? 'verify-full', serverName: config.tls.serverName, legacy: false };
  return { mode: config.ssl ? 'require' : 'disable', legacy: config.ssl === true };
}

/** Legacy flag, still accepted: true means TLS mode `require` (encrypted, not verified). Prefer `tls`. */
const legacySsl = z.boolean().optional();

export const mysqlConfigSchema = z.strictObject({
  host,
  port: port.default(3306),
  user: ident,
  database: ident,
  ssl: legacySsl,
  tls: tlsConfigSchema.optional(),
});

export const postgresConfigSchema = z.strictObject({
  host,
  port: port.default(5432),
  user: ident,
  database: ident,
  /** Schema to read from / write to. */
  schema: ident.default('public'),
  ssl: legacySsl,
  tls: tlsConfigSchema.optional(),
});

export const kafkaConfigSchema = z.strictObject({
  brokers: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[^\s:]+:\d{1,5}$/, 'each broker is host:port'),
    )
    .min(1)
    .max(50),
  clientId: ident.default('sluice'),
  ssl: legacySsl,
  tls: tlsConfigSchema.optional(),
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

/** PEM material for TLS: CA bundle, and a client certificate + key for mutual TLS. Secret. */
export const tlsMaterialSchema = z.strictObject({
  ca: z.string().max(65536).optional(),
  cert: z.string().max(65536).optional(),
  key: z.string().max(65536).optional(),
});
export type TlsMaterialShape = z.infer<typeof tlsMaterialSchema>;

/** What an agent receives to connect: config plus the decrypted secret and TLS material (never logged). */
export const connectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mysql'), config: mysqlConfigSchema, secret: z.string().optional(), tls: tlsMaterialSchema.optional() }),
  z.object({ kind: z.literal('postgres'), config: postgresConfigSchema, secret: z.string().optional(), tls: tlsMaterialSchema.optional() }),
  z.object({ kind: z.literal('kafka'), config: kafkaConfigSchema, secret: z.string().optional(), tls: tlsMaterialSchema.optional() }),
]);
export type Connection = z.infer<typeof connectionSchema>;
