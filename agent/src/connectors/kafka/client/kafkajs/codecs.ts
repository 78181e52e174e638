/**
 * Compression codecs for kafkajs (it ships gzip only): snappy (kafkajs-snappy, pure JS with xerial
 * framing), lz4 (lz4js, LZ4 frames of independent blocks as Kafka writes them, lz4-frame.ts) and zstd (@bokuweb/zstd-wasm, WebAssembly
 * shipped in the package). Registered once; batches in any of the four codecs read and write.
 */
import { createRequire } from 'node:module';
import type { CompressionTypes } from 'kafkajs';
import { kafkajs } from './lib';
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-frame';
import type { CompressionCodec } from '../types';

const require = createRequire(import.meta.url);

interface Encoder {
  buffer: Buffer;
}
interface Codec {
  compress(encoder: Encoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

type Zstd = { init(): Promise<void>; compress(buf: Uint8Array, level?: number): Uint8Array; decompress(buf: Uint8Array): Uint8Array };
let zstdReady: Promise<Zstd> | null = null;
/** Loaded on first use: the WebAssembly module is read from the package's directory. */
const loadZstd = (): Promise<Zstd> =>
  (zstdReady ??= (async () => {
    const z = require('@bokuweb/zstd-wasm') as Zstd;
    await z.init();
    return z;
  })());
const zstd = (): Codec => ({
  compress: async (encoder) => toBuffer((await loadZstd()).compress(encoder.buffer, 3)),
  decompress: async (buffer) => toBuffer((await loadZstd()).decompress(buffer)),
});

const lz4 = (): Codec => ({
  compress: (encoder) => Promise.resolve(lz4CompressFrame(encoder.buffer)),
  decompress: (buffer) => Promise.resolve(lz4DecompressFrame(buffer)),
});

let registered = false;
export function registerCodecs(): void {
  if (registered) return;
  const codecs = kafkajs.CompressionCodecs as Record<number, () => Codec>;
  codecs[kafkajs.CompressionTypes.Snappy] = require('kafkajs-snappy') as () => Codec;
  codecs[kafkajs.CompressionTypes.LZ4] = lz4;
  codecs[kafkajs.CompressionTypes.ZSTD] = zstd;
  registered = true;
}

export function compressionType(c: CompressionCodec | undefined): CompressionTypes {
  switch (c) {
    case 'gzip':
      return kafkajs.CompressionTypes.GZIP;
    case 'snappy':
      return kafkajs.CompressionTypes.Snappy;
    case 'lz4':
      return kafkajs.CompressionTypes.LZ4;
    case 'zstd':
      return kafkajs.CompressionTypes.ZSTD;
    default:
      return kafkajs.CompressionTypes.None;
  }
}
