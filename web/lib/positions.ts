/**
 * Source positions as people read them: a GTID set, binlog file:pos, a PostgreSQL
 * LSN or Kafka offsets, instead of the JSON the engine stores (shown behind a toggle).
 */
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function formatPosition(p: Record<string, unknown> | null | undefined): string {
  if (!p) return '—';
  const gtid = str(p['gtidSet']);
  const file = str(p['file']);
  const pos = typeof p['pos'] === 'number' || typeof p['pos'] === 'string' ? String(p['pos']) : null;
  const lsn = str(p['lsn']);
  const parts: string[] = [];
  if (gtid) parts.push(`GTID ${gtid}`);
  if (file) parts.push(pos ? `${file}:${pos}` : file);
  if (lsn) parts.push(`LSN ${lsn}`);
  if (str(p['slot'])) parts.push(`slot ${p['slot'] as string}`);
  const offsets = p['offsets'];
  if (offsets && typeof offsets === 'object') {
    for (const [topic, parts2] of Object.entries(offsets as Record<string, Record<string, unknown>>)) {
      parts.push(
        `${topic} ${Object.entries(parts2 ?? {})
          .map(([part, off]) => `[${part}]@${String(off)}`)
          .join(' ')}`,
      );
    }
  }
  const q = p['quarantined'];
  if (q && typeof q === 'object' && Object.keys(q).length > 0) parts.push(`${Object.keys(q).length} table(s) quarantined`);
  if (parts.length > 0) return parts.join(' · ');
  // Engine bookkeeping streams (plan:, schema:, post:).
  if (typeof p['rowEstimate'] === 'number' && Array.isArray(p['bounds']))
    return `planned ${(p['bounds'] as unknown[]).length + 1} chunk(s), ~${(p['rowEstimate'] as number).toLocaleString()} rows`;
  if (p['done'] === true) return typeof p['status'] === 'string' ? `done (${p['status']})` : 'done';
  const json = JSON.stringify(p);
  return json.length > 120 ? `${json.slice(0, 117)}…` : json;
}

/** What a checkpoint stream is, in words: `cdc`, `cdc:start`, `plan:shop.orders`, … */
export function describeStream(stream: string): string {
  if (stream === 'cdc') return 'CDC position (applied to the target)';
  if (stream === 'cdc:start') return 'CDC start (captured before the snapshot)';
  if (stream === 'objects') return 'schema objects (views, triggers, routines…) created after the load';
  const m = /^(plan|schema|post):(.+)$/.exec(stream);
  if (m) return `${m[2]} · ${m[1] === 'plan' ? 'chunk plan' : m[1] === 'schema' ? 'table created' : 'indexes and keys'}`;
  return stream;
}
