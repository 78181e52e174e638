/**
 * The agent's runtime config: flags win over environment variables; both are
 * validated by one zod schema, and a bad value is named with what to do.
 */
import { z } from 'zod';
import path from 'node:path';
import { defaultCredentialsPath } from './credentials';

const intFrom = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

export const startConfigSchema = z.strictObject({
  credentials: z.string().min(1),
  /** Overrides the api URL stored in the credential. */
  apiUrl: z.url({ error: 'the api URL must look like https://sluice.example.com' }).optional(),
  capacity: intFrom('capacity', 1, 256).default(4),
  caFile: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  statusFile: z.string().min(1).optional(),
  reconnectBaseMs: intFrom('reconnect base', 10, 60_000).default(500),
  reconnectCapMs: intFrom('reconnect cap', 100, 600_000).default(30_000),
  drainTimeoutMs: intFrom('drain timeout', 100, 600_000).default(20_000),
  /** Task worker restarts after a crash before the task is reported failed. */
  maxTaskRestarts: intFrom('max task restarts', 0, 100).default(5),
});
export type StartConfig = z.infer<typeof startConfigSchema>;

export const registerConfigSchema = z.strictObject({
  apiUrl: z.url({ error: 'the api URL must look like https://sluice.example.com' }),
  token: z
    .string({ error: 'a registration token is required: ask an admin for one (Agents > Register an agent)' })
    .regex(/^srt_[A-Za-z0-9_-]{20,200}$/, 'the registration token must start with srt_ (copy it exactly as shown once in the portal)'),
  credentials: z.string().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  caFile: z.string().min(1).optional(),
  force: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type RegisterConfig = z.infer<typeof registerConfigSchema>;

export class ConfigError extends Error {}

type Flags = Record<string, string | boolean | undefined>;

/** Flags first, then SLUICE_* environment variables, then defaults. */
export function resolveStartConfig(flags: Flags, env: NodeJS.ProcessEnv): StartConfig {
  return parse(startConfigSchema, {
    credentials: str(flags.credentials) ?? env.SLUICE_AGENT_CREDENTIALS ?? defaultCredentialsPath(),
    apiUrl: str(flags.api) ?? env.SLUICE_API_URL,
    capacity: str(flags.capacity) ?? env.SLUICE_AGENT_CAPACITY,
    caFile: str(flags.ca) ?? env.SLUICE_AGENT_CA,
    logLevel: str(flags['log-level']) ?? env.SLUICE_AGENT_LOG_LEVEL ?? env.LOG_LEVEL,
    statusFile: str(flags['status-file']) ?? env.SLUICE_AGENT_STATUS_FILE,
    reconnectBaseMs: env.SLUICE_AGENT_RECONNECT_BASE_MS,
    reconnectCapMs: env.SLUICE_AGENT_RECONNECT_CAP_MS,
    drainTimeoutMs: env.SLUICE_AGENT_DRAIN_TIMEOUT_MS,
    maxTaskRestarts: env.SLUICE_AGENT_MAX_TASK_RESTARTS,
  });
}

export function resolveRegisterConfig(flags: Flags, env: NodeJS.ProcessEnv): RegisterConfig {
  return parse(registerConfigSchema, {
    apiUrl: str(flags.api) ?? env.SLUICE_API_URL,
    token: str(flags.token) ?? env.SLUICE_AGENT_TOKEN,
    credentials: str(flags.credentials) ?? env.SLUICE_AGENT_CREDENTIALS ?? defaultCredentialsPath(),
    name: str(flags.name) ?? env.SLUICE_AGENT_NAME,
    caFile: str(flags.ca) ?? env.SLUICE_AGENT_CA,
    force: flags.force === true,
    logLevel: str(flags['log-level']) ?? env.SLUICE_AGENT_LOG_LEVEL ?? env.LOG_LEVEL,
  });
}

export function statusFileFor(cfg: Pick<StartConfig, 'statusFile' | 'credentials'>): string {
  return cfg.statusFile ?? path.join(path.dirname(cfg.credentials), path.basename(cfg.credentials, '.json') + '.status.json');
}

const flagName: Record<string, string> = {
  apiUrl: '--api / SLUICE_API_URL',
  token: '--token / SLUICE_AGENT_TOKEN',
  credentials: '--credentials / SLUICE_AGENT_CREDENTIALS',
  capacity: '--capacity / SLUICE_AGENT_CAPACITY',
  caFile: '--ca / SLUICE_AGENT_CA',
  logLevel: '--log-level / SLUICE_AGENT_LOG_LEVEL',
  statusFile: '--status-file / SLUICE_AGENT_STATUS_FILE',
  name: '--name / SLUICE_AGENT_NAME',
  reconnectBaseMs: 'SLUICE_AGENT_RECONNECT_BASE_MS',
  reconnectCapMs: 'SLUICE_AGENT_RECONNECT_CAP_MS',
  drainTimeoutMs: 'SLUICE_AGENT_DRAIN_TIMEOUT_MS',
  maxTaskRestarts: 'SLUICE_AGENT_MAX_TASK_RESTARTS',
};

function parse<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.infer<S> {
  const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(clean);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    return `  ${flagName[key] ?? key}: ${i.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
