import { describe, expect, it } from 'vitest';
import { parseFrame } from './messages';

describe('parseFrame', () => {
  it('rejects non-JSON', () => {
    expect(parseFrame('nope')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
  });
  it('rejects unknown types with the id so the peer can reply', () => {
    const r = parseFrame(JSON.stringify({ v: 1, id: 'a1', type: 'bogus', ts: 1, payload: {} }));
    expect(r).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE', id: 'a1' });
  });
  it('validates the payload for its type', () => {
    const bad = parseFrame(JSON.stringify({ v: 1, id: 'a2', type: 'heartbeat', ts: 1, payload: { freeSlots: -1 } }));
    expect(bad.ok).toBe(false);
    const good = parseFrame(JSON.stringify({ v: 1, id: 'a3', type: 'heartbeat', ts: 1, payload: { inFlight: [], freeSlots: 2, cpu: 0.1, rssBytes: 1000 } }));
    expect(good.ok).toBe(true);
  });
});
