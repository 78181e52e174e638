/**
 * GET /downloads/sluice-agent.tgz (the self-contained agent) and GET /downloads/install-agent.sh
 * (the installer that fetches it). Public, like the agent's WebSocket path: neither contains a
 * secret, and registering still needs a single-use token. `/agent` stays the WebSocket upgrade path.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SLUICE_VERSION } from '@sluice/agent/protocol';
import type { AgentBundler } from './agent-bundle';
import { installAgentScript } from './install-agent-script';

export const AGENT_TARBALL_PATH = '/downloads/sluice-agent.tgz';
export const AGENT_INSTALLER_PATH = '/downloads/install-agent.sh';

export function isDownloadPath(pathname: string): boolean {
  return pathname === AGENT_TARBALL_PATH || pathname === AGENT_INSTALLER_PATH;
}

/** Serves one of the download paths (isDownloadPath must be true). */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  o: { bundler: AgentBundler; publicApiUrl: string },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    res.end(`${pathname} answers GET only\n`);
    return;
  }
  const head = { 'x-sluice-version': SLUICE_VERSION, 'cache-control': 'no-cache' };
  if (pathname === AGENT_INSTALLER_PATH) {
    const body = installAgentScript(o.publicApiUrl.replace(/\/+$/, ''), SLUICE_VERSION);
    res.writeHead(200, { ...head, 'content-type': 'text/x-shellscript; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  let bundle;
  try {
    bundle = await o.bundler.current();
  } catch (e) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end(
      `the agent bundle could not be built on this server: ${(e as Error).message.slice(0, 2000)}\nIt needs the repository's agent/ and node_modules (esbuild); run "node agent/scripts/bundle.mjs --out DIR" to see the error.\n`,
    );
    return;
  }
  const etag = `"${bundle.hash}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ...head, etag });
    res.end();
    return;
  }
  res.writeHead(200, {
    ...head,
    etag,
    'content-type': 'application/gzip',
    'content-length': bundle.bytes,
    'content-disposition': `attachment; filename="sluice-agent-${SLUICE_VERSION}.tgz"`,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(bundle.file).pipe(res);
}
