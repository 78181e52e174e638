/**
 * The Sluice release version. The agent reports it (`sluice-agent --version`, the connect
 * message) and the api serves the agent bundle built from this same tree, so an agent that
 * connects with an older version is flagged as outdated.
 */
export const SLUICE_VERSION = '0.1.0';

/** Compares dotted numeric versions ("0.1.10" > "0.1.9"); a suffix after "-" sorts before the release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [main = '', pre] = v.trim().replace(/^v/, '').split('-', 2);
    return { parts: main.split('.').map((p) => Number.parseInt(p, 10) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}
