/**
 * The `sluice-agent run` command for a job spec the wizard shows: the same spec runs standalone
 * (no control plane) with the connections as URLs. Passwords are never put in the command; the
 * CLI reads them from SLUICE_SOURCE_PASSWORD / SLUICE_TARGET_PASSWORD (docs/job-spec.md).
 */
import type { DataSource } from './ops/data-sources';

export function connectionUrl(ds: DataSource | undefined): string | null {
  if (!ds || (ds.kind !== 'MYSQL' && ds.kind !== 'POSTGRES')) return null;
  const c = ds.config;
  const enc = (v: unknown) => encodeURIComponent(String(v ?? ''));
  const scheme = ds.kind === 'MYSQL' ? 'mysql' : 'postgres';
  const port = c['port'] ? `:${String(c['port'])}` : '';
  const query = ds.kind === 'POSTGRES' ? `?schema=${enc(c['schema'] ?? 'public')}` : '';
  return `${scheme}://${enc(c['user'])}@${String(c['host'] ?? '')}${port}/${enc(c['database'])}${query}`;
}

export function cliRunCommand(source: DataSource | undefined, target: DataSource | undefined): string {
  const q = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const src = connectionUrl(source) ?? 'SOURCE_URL';
  const tgt = connectionUrl(target);
  const env = [source?.hasSecret ? 'SLUICE_SOURCE_PASSWORD=…' : '', target?.hasSecret ? 'SLUICE_TARGET_PASSWORD=…' : ''].filter(Boolean).join(' ');
  return `${env ? `${env} ` : ''}sluice-agent run --spec job.json --source ${q(src)}${tgt ? ` --target ${q(tgt)}` : ''}`;
}
