/**
 * The api's one env schema, parsed once at boot. Nothing else reads process.env.
 * Every variable is documented in README.md with its default.
 */
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/sluice'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** 32 bytes, base64 or hex: encrypts data-source secrets with AES-256-GCM. */
  SLUICE_SECRET_KEY: z.string().min(32).default('ZGV2LW9ubHktc2x1aWNlLXNlY3JldC1rZXktMzJieXQ='),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const r = envSchema.safeParse(source);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}\nSee README.md "Environment" for every variable and its default.`);
  }
  return r.data;
}
