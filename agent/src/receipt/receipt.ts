/**
 * The correctness receipt (issue 15 item 6): what a job run did and what it proved, signed with
 * an Ed25519 key (the agent's credential key, or a local receipt key), checkable offline by
 * `sluice-agent receipt verify FILE`:
 *  - the plan as run (tables, target tables, chunks, rows) and the load's warnings;
 *  - T0 (the CDC start captured before the snapshot) and the final position;
 *  - per table and per chunk: row counts and hashes on both sides (the verification's sums);
 *  - CDC applied (from T0 to the final position, events, transactions);
 *  - verification and repair results.
 * The signature covers the canonical JSON of `body` (keys sorted, no whitespace).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

export interface ReceiptSignature {
  alg: 'ed25519';
  /** SPKI DER, base64: the signer's public key (compare it with the agent's, or pin it with --public-key). */
  publicKey: string;
  /** Who signed: the agent id for a registered agent, else "local". */
  signer: string;
  value: string;
}

export interface Receipt {
  body: Record<string, unknown>;
  signature: ReceiptSignature;
}

/** A public key's fingerprint (SHA-256 of its SPKI DER): what the portal shows for an agent and a receipt. */
export function publicKeyFingerprint(publicKeyB64: string): string {
  return `sha256:${createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex')}`;
}

/** JSON with object keys sorted at every level: the bytes the signature covers. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!obj(x)) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The receipt body of one run, from the engine's result (load, verify, cdc parts, whichever ran). */
export function receiptBody(run: {
  jobId: string;
  mode: string;
  agentVersion: string;
  startedAt: string;
  finishedAt: string;
  outcome: string;
  exitCode: number;
  result: Obj | null;
}): Obj {
  const r = run.result ?? {};
  const load = obj(r.load);
  const verifyPart = obj(r.verify) ?? (Array.isArray(r.tables) && obj(r.totals) ? r : null);
  const cdc = obj(r.cdc);
  const t0 = load?.cdcStart ?? null;
  return {
    v: 1,
    kind: 'sluice.correctness-receipt',
    jobId: run.jobId,
    mode: run.mode,
    agentVersion: run.agentVersion,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    exitCode: run.exitCode,
    plan: load
      ? {
          tables: arr(load.tables).map((t) => ({
            table: t.table,
            target: t.target,
            chunks: num(t.chunks),
            rows: num(t.rows),
            skippedChunks: num(t.skippedChunks),
            ...(Array.isArray(t.outOfRange) ? { outOfRange: t.outOfRange } : {}),
          })),
          warnings: Array.isArray(load.warnings) ? load.warnings : [],
          // every schema object: carried, translated or not carried, and whether the target has it (issue 15 item 3)
          ...(Array.isArray(load.objects)
            ? {
                objects: arr(load.objects).map((o) => ({
                  id: o.id,
                  status: o.status,
                  ...(o.result ? { result: o.result } : {}),
                  ...(o.reason ? { reason: o.reason } : {}),
                })),
              }
            : {}),
        }
      : null,
    load: load
      ? {
          rows: num(load.rows),
          bytes: num(load.bytes),
          seconds: num(load.seconds),
          // what the columns' outOfRange policies did, and the rows set aside in _sluice_rejects
          outOfRange: arr(load.outOfRange).map((o) => ({
            table: o.table,
            column: o.column,
            policy: o.policy,
            nulled: num(o.nulled),
            clamped: num(o.clamped),
            rejected: num(o.rejected),
          })),
          rejects: arr(load.outOfRange).reduce((n, o) => n + num(o.rejected), 0),
        }
      : null,
    positions: { t0, final: cdc?.position ?? null },
    cdc: cdc ? { applied: [{ from: t0, to: cdc.position ?? null, events: num(cdc.events), transactions: num(cdc.transactions) }] } : null,
    verification: verifyPart
      ? {
          ok: verifyPart.ok === true,
          totals: verifyPart.totals ?? null,
          tables: arr(verifyPart.tables).map((t) => ({
            table: t.tableName,
            target: t.targetTable ?? null,
            status: t.status,
            chunks: num(t.chunks),
            chunksOk: num(t.chunksOk),
            chunksMismatched: num(t.chunksMismatched),
            chunksRepaired: num(t.chunksRepaired),
            rowsSource: num(t.rowsSource),
            rowsTarget: num(t.rowsTarget),
            rowsMissing: num(t.rowsMissing),
            rowsExtra: num(t.rowsExtra),
            rowsDifferent: num(t.rowsDifferent),
            rowsRepaired: num(t.rowsRepaired),
            ...(typeof t.rowsByPolicy === 'number' ? { rowsByPolicy: t.rowsByPolicy } : {}),
            ...(typeof t.error === 'string' ? { error: t.error } : {}),
            chunkSums: arr(t.chunkSums).map((c) => ({ index: num(c.index), source: c.source, target: c.target })),
          })),
        }
      : null,
  };
}

export function signReceipt(body: Obj, privateKeyPem: string, signer: string): Receipt {
  const key = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  const value = sign(null, Buffer.from(canonicalJson(body)), key).toString('base64');
  return { body, signature: { alg: 'ed25519', publicKey, signer, value } };
}

/** Why the Ed25519 signature over the body's canonical JSON does not hold with this public key (SPKI DER, base64); null when it does. */
export function signatureProblem(body: Obj, publicKey: string, value: string): string | null {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (!verify(null, Buffer.from(canonicalJson(body)), key, Buffer.from(value, 'base64')))
      return 'the signature does not match the content (the receipt was changed after signing)';
    return null;
  } catch (e) {
    return `the signature cannot be checked: ${(e as Error).message}`;
  }
}

/** Checks the signature and the receipt's own consistency. Returns the problems found (none: valid). */
export function checkReceipt(doc: unknown, pinnedPublicKey?: string): string[] {
  const d = obj(doc);
  const body = obj(d?.body);
  const sig = obj(d?.signature);
  if (!d || !body || !sig || typeof sig.value !== 'string' || typeof sig.publicKey !== 'string') return ['not a Sluice receipt (body and signature expected)'];
  const problems: string[] = [];
  if (pinnedPublicKey && pinnedPublicKey !== sig.publicKey) problems.push('signed by another key than the one given with --public-key');
  const bad = signatureProblem(body, sig.publicKey, sig.value);
  if (bad) problems.push(bad);
  problems.push(...consistency(body));
  return problems;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Figures that must agree with each other inside a receipt. */
function consistency(body: Obj): string[] {
  const out: string[] = [];
  const plan = obj(body.plan);
  const load = obj(body.load);
  if (plan && load) {
    const rows = arr(plan.tables).reduce((n, t) => n + num(t.rows), 0);
    if (rows !== num(load.rows)) out.push(`the plan's tables hold ${rows} rows, the load says ${num(load.rows)}`);
  }
  const v = obj(body.verification);
  if (!v) return out;
  const tables = arr(v.tables);
  for (const t of tables) {
    const name = String(t.table);
    const sums = arr(t.chunkSums);
    if (t.status === 'failed') continue;
    if (num(t.chunksOk) + num(t.chunksMismatched) !== num(t.chunks))
      out.push(`${name}: ${num(t.chunksOk)} ok + ${num(t.chunksMismatched)} mismatched chunks is not ${num(t.chunks)}`);
    if (t.status === 'ok' && num(t.chunksMismatched) !== 0) out.push(`${name}: status ok with mismatched chunks`);
    if (t.status === 'repaired' && num(t.chunksRepaired) !== num(t.chunksMismatched))
      out.push(`${name}: status repaired but not every mismatched chunk was repaired`);
    if (t.status === 'mismatch' && num(t.chunksRepaired) >= num(t.chunksMismatched)) out.push(`${name}: status mismatch but no chunk is left mismatched`);
    if (sums.length === num(t.chunks)) {
      const n = (side: 'source' | 'target') => sums.reduce((s, c) => s + num(obj(c[side])?.n), 0);
      if (n('source') !== num(t.rowsSource)) out.push(`${name}: chunk counts add up to ${n('source')} source rows, the table says ${num(t.rowsSource)}`);
      if (n('target') !== num(t.rowsTarget)) out.push(`${name}: chunk counts add up to ${n('target')} target rows, the table says ${num(t.rowsTarget)}`);
      const equal = sums.filter((c) => same(c.source, c.target)).length;
      if (equal > num(t.chunksOk)) out.push(`${name}: ${equal} chunks hash the same on both sides but only ${num(t.chunksOk)} are counted ok`);
    }
  }
  const totals = obj(v.totals);
  if (totals) {
    for (const k of ['chunks', 'chunksOk', 'chunksMismatched', 'chunksRepaired', 'rowsMissing', 'rowsExtra', 'rowsDifferent', 'rowsRepaired']) {
      const sum = tables.reduce((s, t) => s + num(t[k]), 0);
      if (sum !== num(totals[k])) out.push(`verification totals: ${k} is ${num(totals[k])}, the tables add up to ${sum}`);
    }
  }
  const ok = tables.every((t) => t.status === 'ok' || t.status === 'repaired');
  if ((v.ok === true) !== ok) out.push(`verification says ok=${String(v.ok)} but its tables say ${ok}`);
  return out;
}
