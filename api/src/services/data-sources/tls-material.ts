/**
 * TLS material for a data source (CA bundle, client certificate and key, PEM):
 * validated here so a bad paste is refused with a clear message instead of
 * failing later on the agent. Stored encrypted like the password.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors';

const pem = z.string().max(65536, 'must be at most 64 KiB of PEM');

export const tlsMaterialInput = z.strictObject({
  ca: pem.nullable().optional(),
  cert: pem.nullable().optional(),
  key: pem.nullable().optional(),
});
export type TlsMaterialInput = z.infer<typeof tlsMaterialInput>;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certs(text: string, field: string): X509Certificate[] {
  const blocks = text.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw AppError.badInput(`${field}: expected PEM certificates ("-----BEGIN CERTIFICATE-----" ...)`, field);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (e) {
      throw AppError.badInput(`${field}: certificate ${i + 1} is not a valid X.509 certificate (${(e as Error).message})`, field);
    }
  });
}

/** Validates and normalises the material; returns undefined when nothing is given. */
export function parseTlsMaterial(input: TlsMaterialInput, field = 'input.tls'): { ca?: string; cert?: string; key?: string } | undefined {
  const ca = input.ca?.trim() || undefined;
  const cert = input.cert?.trim() || undefined;
  const key = input.key?.trim() || undefined;
  if (!ca && !cert && !key) return undefined;
  if (ca) certs(ca, `${field}.ca`);
  if (!!cert !== !!key)
    throw AppError.badInput(
      `${field}: give both the client certificate (cert) and its private key (key) for mutual TLS, or neither`,
      cert ? `${field}.key` : `${field}.cert`,
    );
  if (cert && key) {
    const leaf = certs(cert, `${field}.cert`)[0]!;
    let k: KeyObject;
    try {
      k = createPrivateKey(key);
    } catch (e) {
      throw AppError.badInput(`${field}.key: not an unencrypted PEM private key (${(e as Error).message})`, `${field}.key`);
    }
    if (!leaf.checkPrivateKey(k)) throw AppError.badInput(`${field}.key: the private key does not belong to the client certificate`, `${field}.key`);
  }
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
