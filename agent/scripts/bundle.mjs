#!/usr/bin/env node
// Builds the self-contained agent the api serves at /downloads/sluice-agent.tgz:
// esbuild bundles agent/src (the CLI and both worker-thread entries) with every
// dependency into plain ESM, so a host needs only Node 20: no checkout, no
// npm install, no tsx (the few packages loaded through createRequire ship in
// the tree's node_modules). Usage: node agent/scripts/bundle.mjs --out DIR
// Writes DIR/sluice-agent/ (the tree) and DIR/sluice-agent.tgz, prints {"version","tarball","bytes"}.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile, readdir, stat, chmod, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const agentDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Packages the Kafka client loads at run time through createRequire (kafkajs's CommonJS export object,
 * its compression codecs, zstd's wasm), which esbuild cannot bundle: they ship beside dist/ in the
 * tree's node_modules, with their own dependencies.
 */
const RUNTIME_REQUIRED = ['kafkajs', 'kafkajs-snappy', 'lz4js', '@bokuweb/zstd-wasm'];

async function packageDir(name) {
  for (let dir = agentDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`agent bundle: package ${name} is not installed`);
  }
}

async function copyRuntimeRequired(tree) {
  const done = new Set();
  const queue = [...RUNTIME_REQUIRED];
  while (queue.length) {
    const name = queue.shift();
    if (done.has(name)) continue;
    done.add(name);
    const dir = await packageDir(name);
    await cp(dir, path.join(tree, 'node_modules', name), { recursive: true, dereference: true });
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    queue.push(...Object.keys(pkg.dependencies ?? {}));
  }
}

export async function agentVersion() {
  const src = await readFile(path.join(agentDir, 'src/protocol/version.ts'), 'utf8');
  const m = /SLUICE_VERSION = '([^']+)'/.exec(src);
  if (!m) throw new Error('agent/src/protocol/version.ts has no SLUICE_VERSION');
  return m[1];
}

/** A minimal ustar writer: regular files and directories, names split into prefix/name. */
function tarHeader(name, size, mode, type) {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for tar: ${name}`);
  }
  const put = (s, off, len) => h.write(s, off, len, 'utf8');
  const oct = (n, len) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(base, 0, 100);
  put(oct(mode, 8), 100, 8);
  put(oct(0, 8), 108, 8);
  put(oct(0, 8), 116, 8);
  put(oct(size, 12), 124, 12);
  put(oct(Math.floor(Date.now() / 1000), 12), 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

async function tarGz(rootDir, topName) {
  const parts = [];
  async function walk(rel) {
    const abs = path.join(rootDir, rel);
    const st = await stat(abs);
    const name = path.posix.join(topName, rel.split(path.sep).join('/'));
    if (st.isDirectory()) {
      parts.push(tarHeader(name + '/', 0, 0o755, '5'));
      for (const e of (await readdir(abs)).sort()) await walk(path.join(rel, e));
    } else {
      const data = await readFile(abs);
      parts.push(tarHeader(name, data.length, st.mode & 0o111 ? 0o755 : 0o644, '0'), data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  await walk('');
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

export async function bundleAgent(outDir) {
  const version = await agentVersion();
  const tree = path.join(outDir, 'sluice-agent');
  await rm(tree, { recursive: true, force: true });
  await mkdir(path.join(tree, 'bin'), { recursive: true });
  await build({
    absWorkingDir: agentDir,
    entryPoints: {
      cli: 'src/cli/main.ts',
      'session-worker': 'src/runtime/session-worker.ts',
      'task-worker': 'src/runtime/task-worker.ts',
    },
    outdir: path.join(tree, 'dist'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Optional native add-ons the drivers try to load and work without.
    external: ['pg-native', 'bufferutil', 'utf-8-validate', 'cardinal', 'supports-color'],
    define: { __SLUICE_BUNDLE__: 'true' },
    banner: { js: "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await copyRuntimeRequired(tree);
  await writeFile(
    path.join(tree, 'package.json'),
    JSON.stringify(
      {
        name: 'sluice-agent',
        version,
        description: 'Sluice agent: moves data between MySQL/MariaDB and PostgreSQL inside your network (self-contained build)',
        type: 'module',
        bin: { 'sluice-agent': './bin/sluice-agent.mjs' },
        engines: { node: '>=20.9' },
      },
      null,
      2,
    ) + '\n',
  );
  const bin = path.join(tree, 'bin/sluice-agent.mjs');
  await writeFile(bin, "#!/usr/bin/env node\n// sluice-agent (self-contained build): needs only Node 20.\nawait import('../dist/cli.mjs');\n");
  await chmod(bin, 0o755);
  const tgz = await tarGz(tree, 'sluice-agent');
  const tarball = path.join(outDir, 'sluice-agent.tgz');
  await writeFile(`${tarball}.tmp`, tgz);
  await rename(`${tarball}.tmp`, tarball);
  return { version, tarball, bytes: tgz.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = arg('--out');
  if (!out) {
    process.stderr.write('usage: node agent/scripts/bundle.mjs --out DIR\n');
    process.exit(2);
  }
  await mkdir(out, { recursive: true });
  const r = await bundleAgent(path.resolve(out));
  process.stdout.write(JSON.stringify(r) + '\n');
}
