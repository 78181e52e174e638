import { describe, expect, it } from 'vitest';
import { parseReplicationMessage, standbyStatus, startReplicationSql } from './pg-replication-stream';

const PG_EPOCH_MS = 946_684_800_000;

function xlog(walStart: bigint, walEnd: bigint, sendMs: number, payload: string): Buffer {
  const b = Buffer.alloc(25);
  b[0] = 0x77;
  b.writeBigUInt64BE(walStart, 1);
  b.writeBigUInt64BE(walEnd, 9);
  b.writeBigInt64BE(BigInt(sendMs - PG_EPOCH_MS) * 1000n, 17);
  return Buffer.concat([b, Buffer.from(payload)]);
}

describe('replication stream protocol', () => {
  it('parses XLogData with its LSNs, send time and pgoutput payload', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const m = parseReplicationMessage(xlog(0x16b374d848n, 0x16b374d900n, now, 'B...'));
    expect(m).toEqual({ type: 'xlog', walStart: '16/B374D848', walEnd: '16/B374D900', sendTimeMs: now, data: Buffer.from('B...') });
  });

  it('parses a keepalive and whether it asks for a reply', () => {
    const b = Buffer.alloc(18);
    b[0] = 0x6b;
    b.writeBigUInt64BE(0x1_0000_0010n, 1);
    b.writeBigInt64BE(0n, 9);
    b[17] = 1;
    expect(parseReplicationMessage(b)).toEqual({ type: 'keepalive', walEnd: '1/10', sendTimeMs: PG_EPOCH_MS, replyRequested: true });
    b[17] = 0;
    expect(parseReplicationMessage(b)).toMatchObject({ replyRequested: false });
  });

  it('refuses truncated and unknown frames', () => {
    expect(() => parseReplicationMessage(Buffer.from([0x77, 0, 0]))).toThrow(/truncated/);
    expect(() => parseReplicationMessage(Buffer.from([0x6b]))).toThrow(/truncated/);
    expect(() => parseReplicationMessage(Buffer.from([0x51]))).toThrow(/unknown message type 0x51/);
  });

  it('builds a standby status update that confirms exactly the given LSN', () => {
    const now = PG_EPOCH_MS + 1_500;
    const b = standbyStatus('16/B374D848', now);
    expect(b.length).toBe(34);
    expect(b[0]).toBe(0x72);
    for (const off of [1, 9, 17]) expect(b.readBigUInt64BE(off)).toBe(0x16b374d848n);
    expect(b.readBigInt64BE(25)).toBe(1_500_000n);
    expect(b[33]).toBe(0);
    expect(() => standbyStatus('garbage', now)).toThrow(/not an LSN/);
  });

  it('quotes the slot and the plugin options of START_REPLICATION', () => {
    expect(startReplicationSql('job_1', '0/16B3748', { proto_version: '1', publication_names: 'pub"x', messages: 'true' })).toBe(
      `START_REPLICATION SLOT "job_1" LOGICAL 0/16B3748 ("proto_version" '1', "publication_names" 'pub"x', "messages" 'true')`,
    );
    expect(startReplicationSql('s', '0/0', { a: "it's" })).toContain(`"a" 'it''s'`);
    expect(() => startReplicationSql('s', 'x', {})).toThrow(/not an LSN/);
  });
});
