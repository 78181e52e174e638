import { tlsSettings, type TlsConfigLike } from '@sluice/agent/protocol';

/** The read model of a data source's TLS settings (what the portal shows). */
export function tlsView(config: Record<string, unknown>, hasMaterial: boolean) {
  const s = tlsSettings(config as TlsConfigLike);
  const warning =
    s.mode === 'require'
      ? `encrypted, not verified: the server's certificate is not checked, so a machine in the middle can read the password and rows${s.legacy ? ' (legacy "ssl: true" means require; choose verify-full and add the CA)' : ''}`
      : null;
  return { mode: s.mode, serverName: s.serverName ?? null, verified: s.mode === 'verify-ca' || s.mode === 'verify-full', hasMaterial, warning };
}
