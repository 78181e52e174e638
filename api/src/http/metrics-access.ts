/**
 * Who may read /metrics. With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`
 * (compared in constant time). Without it, /metrics is public outside production and disabled in
 * production: a production api never exposes its metrics unauthenticated.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Env } from '../env';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function metricsAccess(env: Pick<Env, 'NODE_ENV' | 'METRICS_TOKEN'>, authorization: string | undefined): { status: number; error: string } | null {
  if (!env.METRICS_TOKEN) {
    if (env.NODE_ENV === 'production')
      return { status: 403, error: 'metrics are disabled in production until METRICS_TOKEN is set; then scrape with Authorization: Bearer <METRICS_TOKEN>' };
    return null;
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (m?.[1] && timingSafeEqual(digest(m[1]), digest(env.METRICS_TOKEN))) return null;
  return { status: 401, error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' };
}
