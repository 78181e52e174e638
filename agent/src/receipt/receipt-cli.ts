/**
 * The receipt on disk: which key signs it (the agent's credential key when this machine is
 * registered, else a local receipt key kept 0600 beside it), where a standalone run writes it
 * (--receipt PATH, else next to the spec as <jobId>.receipt.json), and
 * `sluice-agent receipt verify FILE [--public-key B64]` (exit 0 valid, 1 not valid).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCredentialsPath, generateKeyPair, loadCredentials } from '../runtime/credentials';
import { checkReceipt, publicKeyFingerprint, type Receipt } from './receipt';

export const RECEIPT_HELP = `Usage: sluice-agent receipt verify FILE [--public-key B64] [--json]

Checks a correctness receipt offline: its Ed25519 signature over the content, and that its
figures agree with each other (chunk counts and hashes, table and total counts, statuses).
--public-key pins the signer (the agent's public key, as the portal's receipt shows it); the
output names the key's fingerprint, to compare with the agent's on the portal's Agents page.
Exit codes: 0 valid, 1 not valid (the problems are listed), 2 bad usage.
`;

/** The signing key: the registered agent's, else the local receipt key (created on first use). */
export async function receiptKey(credentialsPath?: string): Promise<{ privateKeyPem: string; signer: string }> {
  const file = credentialsPath ?? process.env.SLUICE_AGENT_CREDENTIALS ?? defaultCredentialsPath();
  if (existsSync(file)) {
    const c = await loadCredentials(file);
    return { privateKeyPem: c.privateKey, signer: c.agentId };
  }
  const local = path.join(path.dirname(credentialsPath ?? path.join(homedir(), '.sluice', 'agent.json')), 'receipt-key.pem');
  if (existsSync(local)) return { privateKeyPem: await readFile(local, 'utf8'), signer: 'local' };
  const kp = generateKeyPair();
  await mkdir(path.dirname(local), { recursive: true, mode: 0o700 });
  await writeFile(local, kp.privateKeyPem, { mode: 0o600 });
  await chmod(local, 0o600);
  return { privateKeyPem: kp.privateKeyPem, signer: 'local' };
}

/** Where a standalone run writes its receipt. */
export function receiptPath(o: { receipt?: string; spec: string; jobId: string }): string {
  if (o.receipt) return o.receipt;
  const dir = o.spec === '-' ? process.cwd() : path.dirname(path.resolve(o.spec));
  return path.join(dir, `${o.jobId.replace(/[^A-Za-z0-9_.-]/g, '_')}.receipt.json`);
}

export async function writeReceipt(file: string, r: Receipt): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, JSON.stringify(r, null, 2) + '\n');
}

export class ReceiptUsageError extends Error {}

export async function receiptCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'public-key': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(RECEIPT_HELP);
    return 0;
  }
  const [sub, file] = positionals;
  if (sub !== 'verify' || !file) throw new ReceiptUsageError(`receipt: use "sluice-agent receipt verify FILE" (sluice-agent receipt --help)`);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ReceiptUsageError(`receipt: cannot read ${file}: ${(e as Error).message}`);
  }
  const problems = checkReceipt(doc, values['public-key']);
  const sig = (doc as Partial<Receipt>).signature;
  if (values.json)
    process.stdout.write(
      JSON.stringify(
        {
          valid: problems.length === 0,
          problems,
          signer: sig?.signer ?? null,
          publicKey: sig?.publicKey ?? null,
          publicKeyFingerprint: typeof sig?.publicKey === 'string' ? publicKeyFingerprint(sig.publicKey) : null,
        },
        null,
        2,
      ) + '\n',
    );
  else if (problems.length === 0)
    process.stdout.write(
      `${file}: valid receipt, signed by ${sig?.signer ?? '?'} (public key ${sig?.publicKey ?? '?'}, fingerprint ${sig?.publicKey ? publicKeyFingerprint(sig.publicKey) : '?'})\n`,
    );
  else process.stdout.write(`${file}: NOT VALID\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  return problems.length === 0 ? 0 : 1;
}
