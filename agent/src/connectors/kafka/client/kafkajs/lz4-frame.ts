/**
 * LZ4 frames as Kafka reads them: independent blocks of at most 64 KiB, no content checksum (Kafka's
 * Lz4BlockInputStream refuses dependent-block frames, which is what lz4js's own frame writer makes).
 * Blocks are compressed with lz4js's block compressor and a fresh hash table each; frames of any
 * kind decompress with lz4js.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Lz4js {
  compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  compressBound(n: number): number;
  decompress(src: Uint8Array): Uint8Array;
}
interface Xxh32 {
  hash(seed: number, src: Uint8Array, index: number, length: number): number;
}

const lz4 = require('lz4js') as Lz4js;
const xxh = require('lz4js/xxh32.js') as Xxh32;

const BLOCK = 64 << 10;
/** Magic, FLG (version 01, block independence), BD (64 KiB blocks), header checksum. */
const HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0]);
HEADER[6] = (xxh.hash(0, HEADER, 4, 2) >> 8) & 0xff;

const table = new Uint32Array(1 << 16);
let scratch: Buffer | null = null;

export function lz4CompressFrame(src: Buffer): Buffer {
  scratch ??= Buffer.allocUnsafe(lz4.compressBound(BLOCK));
  const parts: Buffer[] = [HEADER];
  for (let at = 0; at < src.length; at += BLOCK) {
    const len = Math.min(BLOCK, src.length - at);
    const block = src.subarray(at, at + len);
    table.fill(0);
    const n = lz4.compressBlock(block, scratch, 0, len, table);
    const size = Buffer.allocUnsafe(4);
    if (n === 0 || n >= len) {
      size.writeUInt32LE((0x80000000 | len) >>> 0);
      parts.push(size, Buffer.from(block));
    } else {
      size.writeUInt32LE(n);
      parts.push(size, Buffer.from(scratch.subarray(0, n)));
    }
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

export function lz4DecompressFrame(src: Buffer): Buffer {
  const out = lz4.decompress(src);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
