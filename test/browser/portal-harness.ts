/**
 * Browser-test harness for the portal: a real api (in-process, fresh control database,
 * see test/support/api-harness.ts), the real Next.js app (`next build` once, then
 * `next start` on a free port), and Debian's chromium driven by playwright-core.
 *
 *   const h = await startPortal();
 *   const page = await h.newPage();
 *   await page.goto(h.webUrl + '/signup');
 *   await h.screenshot(page, 'signup');
 *   await h.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type ApiHarness, type ApiHarnessOptions } from '../support/api-harness';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(repoRoot, 'web');
export const screenshotDir = path.join(repoRoot, 'test/artifacts/screenshots');

export const CHROMIUM_PATH = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e === '.next' || e.startsWith('.')) continue;
    max = Math.max(max, newestMtime(path.join(p, e)));
  }
  return max;
}

/**
 * Builds the portal unless .next is newer than every source file (keeps CI time low).
 * Asynchronous: a synchronous build blocks the vitest worker's event loop for minutes and vitest
 * then reports an unhandled "Timeout calling onTaskUpdate".
 */
export async function ensureWebBuild(): Promise<void> {
  const buildId = path.join(webDir, '.next', 'BUILD_ID');
  const sources = ['app', 'components', 'lib', 'next.config.mjs', 'package.json'].map((p) => path.join(webDir, p)).filter((p) => fs.existsSync(p));
  const srcTime = Math.max(...sources.map(newestMtime));
  if (process.env.SLUICE_WEB_SKIP_BUILD === '1' || (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= srcTime)) return;
  let out = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-6000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-6000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${out}`);
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

export interface Portal {
  api: ApiHarness;
  webUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookie jar) and page, 1280x800 unless given. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  /** The portal's stdout/stderr so far. */
  webOutput(): string;
  stop(): Promise<void>;
}

export async function startPortal(opts: { api?: ApiHarnessOptions } = {}): Promise<Portal> {
  await ensureWebBuild();
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await startApi({
    dbPrefix: 'sluice_h5',
    redisPrefix: 'h5',
    ...opts.api,
    env: { WEB_ORIGIN: webUrl, COOKIE_SECURE: 'false', LOGIN_RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: 'true', ...opts.api?.env },
  });
  let out = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/next/dist/bin/next'), 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    cwd: webDir,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      SLUICE_API_URL: api.baseUrl,
      SLUICE_WS_URL: api.wsUrl,
      SLUICE_API_PUBLIC_URL: api.baseUrl,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const killWeb = () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  };
  let browser: Browser | undefined;
  try {
    await waitForHttp(`${webUrl}/login`, child, () => out);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  } catch (e) {
    killWeb();
    await api.stop();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  fs.mkdirSync(screenshotDir, { recursive: true });
  const b = browser;
  return {
    api,
    webUrl,
    browser: b,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const ctx = await b.newContext({ viewport, baseURL: webUrl });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    webOutput: () => out,
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await b.close().catch(() => undefined);
      killWeb();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => {
          if (child.pid) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              /* gone */
            }
          }
          resolve();
        }, 5_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      await api.stop();
    },
  };
}
