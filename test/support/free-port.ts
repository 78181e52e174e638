import net from 'node:net';

/** The first port in [from, until) that 127.0.0.1 can listen on (each suite keeps to its own range). */
export async function freePort(from: number, until = 4299): Promise<number> {
  for (let p = from; p < until; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return p;
  }
  throw new Error(`no free port in ${from}-${until - 1}`);
}
