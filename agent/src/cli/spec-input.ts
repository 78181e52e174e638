/**
 * What `sluice-agent run --spec` accepts: a standalone spec ({ source, target, job }) or the job
 * spec the portal's wizard shows ({ mode, tables, mapping, options }), with the connections from
 * --source / --target URLs (which also override a standalone spec's). Every problem is a
 * UsageError saying what was wrong and what to do.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { standaloneSpecSchema, jobSpecSchema, tlsModeSchema, type Connection, type StandaloneSpec, type TlsModeName } from '../protocol';
import { UsageError } from './options';

/** mysql://user[:password]@host[:port]/database, postgres://user[:password]@host[:port]/database[?schema=public][&sslmode=verify-full]. */
export function parseConnectionUrl(flag: string, value: string, passwordEnv: string | undefined): Connection {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--${flag} "${value}" is not a URL: use mysql://user@host:3306/database or postgres://user@host:5432/database?schema=public`);
  }
  if (!['mysql:', 'mariadb:', 'postgres:', 'postgresql:'].includes(u.protocol))
    throw new UsageError(
      `--${flag}: unknown scheme ${u.protocol}// (use mysql://, mariadb://, postgres:// or postgresql://, e.g. mysql://user@host:3306/database)`,
    );
  const user = decodeURIComponent(u.username);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !user || !database) throw new UsageError(`--${flag}: the URL needs a user, a host and a database, e.g. ${u.protocol}//user@host/database`);
  const secret = u.password ? decodeURIComponent(u.password) : passwordEnv;
  // TLS: ?sslmode=disable|require|verify-ca|verify-full (libpq's names), or the legacy ?ssl=true (= require).
  const sslmode = u.searchParams.get('sslmode');
  let tls: { tls: { mode: TlsModeName } } | { ssl: boolean } = { ssl: ['true', '1'].includes(u.searchParams.get('ssl') ?? '') };
  if (sslmode) {
    const mode = tlsModeSchema.safeParse(sslmode);
    if (!mode.success) throw new UsageError(`--${flag}: sslmode=${sslmode} is not one of ${tlsModeSchema.options.join(', ')}`);
    tls = { tls: { mode: mode.data } };
  }
  const base = { host: u.hostname.replace(/^\[|\]$/g, ''), user, database, ...tls };
  const withSecret = secret ? { secret } : {};
  switch (u.protocol) {
    case 'mysql:':
    case 'mariadb:':
      return { kind: 'mysql', config: { ...base, port: u.port ? Number(u.port) : 3306 }, ...withSecret };
    case 'postgres:':
    case 'postgresql:':
      return { kind: 'postgres', config: { ...base, port: u.port ? Number(u.port) : 5432, schema: u.searchParams.get('schema') ?? 'public' }, ...withSecret };
    default:
      throw new UsageError(`--${flag}: unknown scheme ${u.protocol}// (use mysql://, mariadb://, postgres:// or postgresql://)`);
  }
}

function issues(e: { issues: { path: PropertyKey[]; message: string }[] }, prefix = ''): string {
  return e.issues.map((i) => `  ${prefix}${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

export async function loadSpec(
  file: string,
  o: { source?: string; target?: string; stateFile?: string; env: NodeJS.ProcessEnv; readStdin?: () => Promise<string> },
): Promise<{ spec: StandaloneSpec; form: 'standalone' | 'job' }> {
  let raw: string;
  try {
    raw = file === '-' ? await (o.readStdin ?? readStdin)() : await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --spec ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`--spec ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`--spec ${file} must hold a JSON object (see docs/job-spec.md)`);
  const obj = json as Record<string, unknown>;
  const source = o.source ? parseConnectionUrl('source', o.source, o.env.SLUICE_SOURCE_PASSWORD) : undefined;
  const target = o.target ? parseConnectionUrl('target', o.target, o.env.SLUICE_TARGET_PASSWORD) : undefined;
  // The wizard's form: a bare job spec (mode at the top, no "job").
  if ('mode' in obj && !('job' in obj)) {
    const job = jobSpecSchema.safeParse(obj);
    if (!job.success) throw new UsageError(`--spec ${file} is not a valid job spec:\n${issues(job.error)}`);
    if (!source)
      throw new UsageError(
        `--spec ${file} is a job spec without connections (as the portal shows it): give --source URL${job.data.mode === 'verify' || job.data.mode === 'cdc' ? '' : ' and --target URL'}`,
      );
    // Named after the file, so two job files in one directory keep separate state files.
    const jobId =
      file === '-'
        ? 'standalone'
        : path
            .basename(file)
            .replace(/\.json$/i, '')
            .replace(/[^A-Za-z0-9_.-]/g, '_')
            .slice(0, 128) || 'standalone';
    const spec = standaloneSpecSchema.safeParse({ jobId, source, ...(target ? { target } : {}), job: obj, ...(o.stateFile ? { stateFile: o.stateFile } : {}) });
    if (!spec.success) throw new UsageError(`--spec ${file} is not a valid job:\n${issues(spec.error)}`);
    return { spec: spec.data, form: 'job' };
  }
  const merged = { ...obj, ...(source ? { source } : {}), ...(target ? { target } : {}), ...(o.stateFile ? { stateFile: o.stateFile } : {}) };
  const spec = standaloneSpecSchema.safeParse(merged);
  if (!spec.success) throw new UsageError(`--spec ${file} is not a valid job:\n${issues(spec.error)}`);
  return { spec: spec.data, form: 'standalone' };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
