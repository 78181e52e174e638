/**
 * Chunk verification: count + hash per key range computed inside both
 * databases, row diff only for mismatching chunks, repair through the engine's
 * write path. Independent of how chunks were planned (see index.ts).
 */ import type { KeyValue } from '../connectors/spi';
import { foldSum } from './canonical';
import type { SqlSession } from './db';
import type { TableSql } from './table-sql';
import type { ChunkDiff, ChunkSums, VerifyChunk } from './verify-types';

export { TableSql, needsBinaryCollation } from './table-sql';
export type { ChunkDiff, ChunkSums, KeyColumn, TableVerification, VerifyChunk, VerifyTableSpec } from './verify-types';

// ------------------------------------------------------------------ chunk operations

export async function sums(sess: SqlSession, sql: string): Promise<ChunkSums> {
  const r = (await sess.query(sql))[0];
  return { n: Number(r?.n ?? 0), h: foldSum(r?.h ?? '0') };
}

interface ListedRow {
  canon: string;
  native: KeyValue;
  hash: string;
}

async function list(sess: SqlSession, sql: string, nKey: number): Promise<ListedRow[]> {
  const rows = await sess.query(sql);
  return rows.map((r) => {
    const canon: string[] = [];
    const native: KeyValue = [];
    for (let i = 0; i < nKey; i++) {
      canon.push(r[`k${i}`] ?? '\u0000NULL');
      native.push(r[`n${i}`] ?? null);
    }
    return { canon: canon.join('\u0001'), native, hash: r.h ?? '' };
  });
}

/**
 * Reads the source side and the target side of a chunk. The default runs both
 * at once; during CDC the source read happens inside a snapshot at a known log
 * position and the target read only once the applier has passed it.
 */
export type ReadPair = <A, B>(source: () => Promise<A>, target: () => Promise<B>) => Promise<[A, B]>;

export const readConcurrently: ReadPair = (a, b) => Promise.all([a(), b()]);

/** Row diff of one chunk: only called when the sums disagree. */
export async function diffChunk(
  sql: TableSql,
  src: SqlSession,
  tgt: SqlSession,
  chunk: VerifyChunk,
  maxKeylessRows: number,
  readPair: ReadPair = readConcurrently,
  counts?: { source: number; target: number },
): Promise<ChunkDiff> {
  const nKey = sql.spec.key.length;
  if (nKey === 0) {
    // Multiset comparison of row hashes; the listing is the whole table, so only below a size bound
    // (above it, only the count difference is known).
    if (counts && (counts.source > maxKeylessRows || counts.target > maxKeylessRows)) {
      return {
        missing: [],
        different: [],
        extra: [],
        sourceKeys: [],
        keyless: { missing: Math.max(0, counts.source - counts.target), extra: Math.max(0, counts.target - counts.source) },
      };
    }
    const [a, b] = await readPair(
      () => list(src, sql.listing('source', chunk), 0),
      () => list(tgt, sql.listing('target', chunk), 0),
    );
    const left = new Map<string, number>();
    for (const r of a) left.set(r.hash, (left.get(r.hash) ?? 0) + 1);
    let extra = 0;
    for (const r of b) {
      const c = left.get(r.hash) ?? 0;
      if (c > 0) left.set(r.hash, c - 1);
      else extra++;
    }
    let missing = 0;
    for (const c of left.values()) missing += c;
    return { missing: [], different: [], extra: [], sourceKeys: [], keyless: { missing, extra } };
  }
  const [a, b] = await readPair(
    () => list(src, sql.listing('source', chunk), nKey),
    () => list(tgt, sql.listing('target', chunk), nKey),
  );
  const byKey = new Map<string, ListedRow>();
  for (const r of b) byKey.set(r.canon, r);
  const missing: KeyValue[] = [];
  const different: KeyValue[] = [];
  for (const r of a) {
    const t = byKey.get(r.canon);
    if (!t) missing.push(r.native);
    else {
      if (t.hash !== r.hash) different.push(r.native);
      byKey.delete(r.canon);
    }
  }
  const extra = [...byKey.values()].map((r) => r.native);
  return { missing, different, extra, sourceKeys: a.map((r) => r.native) };
}

/**
 * Key ranges (exclusive lower, inclusive upper) that cover exactly the bad
 * source keys, built from runs of consecutive bad keys in the chunk's source
 * key order. A run that starts at the chunk's first row needs the key before
 * it, which `predecessor` looks up.
 */
export async function repairRanges(
  bad: KeyValue[],
  sourceKeys: KeyValue[],
  predecessor: (k: KeyValue) => Promise<KeyValue | null>,
): Promise<{ lower: KeyValue | null; upper: KeyValue }[]> {
  if (bad.length === 0) return [];
  const badSet = new Set(bad.map((k) => JSON.stringify(k)));
  const out: { lower: KeyValue | null; upper: KeyValue }[] = [];
  let i = 0;
  while (i < sourceKeys.length) {
    if (!badSet.has(JSON.stringify(sourceKeys[i]))) {
      i++;
      continue;
    }
    const start = i;
    while (i + 1 < sourceKeys.length && badSet.has(JSON.stringify(sourceKeys[i + 1]))) i++;
    const lower = start > 0 ? sourceKeys[start - 1]! : await predecessor(sourceKeys[start]!);
    out.push({ lower, upper: sourceKeys[i]! });
    i++;
  }
  return out;
}
