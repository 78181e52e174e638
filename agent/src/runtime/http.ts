/** A tiny JSON POST over node:http/https, so a custom CA can be trusted (fetch cannot take one). */
import http from 'node:http';
import https from 'node:https';

export async function postJson(
  url: string,
  body: unknown,
  opts: { ca?: Buffer; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const u = new URL(url);
  const data = Buffer.from(JSON.stringify(body));
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': data.length, accept: 'application/json', ...opts.headers },
        timeout: opts.timeoutMs ?? 15_000,
        ...(opts.ca ? { ca: opts.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${u.origin} within ${opts.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}
