import type { IncomingMessage, ServerResponse } from 'node:http';

/** CORS for the portal's origin, with credentials (the session cookie). Returns true if it answered a preflight. */
export function applyCors(req: IncomingMessage, res: ServerResponse, webOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin && origin === webOrigin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    if (origin === webOrigin) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.statusCode = 204;
    res.end();
    return true;
  }
  return false;
}
