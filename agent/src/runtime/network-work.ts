/**
 * Requests from the control plane that need the customer's network but are not
 * tasks: test a connection, discover a catalogue, clean up after a deleted CDC
 * job. Each loads the engine lazily and honours cancellation.
 */
import { RpcError, type RpcPeer } from '../protocol';
import type { EngineModule } from './engine';

export function handleCustomerNetworkWork(peer: RpcPeer, loadEngine: () => Promise<EngineModule>): void {
  const engineFor = async (signal: AbortSignal): Promise<EngineModule> => {
    const engine = await loadEngine();
    if (signal.aborted) throw new RpcError('CANCELLED', 'cancelled');
    return engine;
  };
  peer.handle('datasource.test', async (p, ctx) => {
    const res = await (await engineFor(ctx.signal)).testConnection(p.connection, p.role ?? 'source', p.cdc ? { cdc: p.cdc } : {});
    return { ok: res.ok, checks: res.checks, ...(res.version ? { version: res.version } : {}), ...(res.tls ? { tls: res.tls } : {}) };
  });
  peer.handle('datasource.discover', async (p, ctx) => {
    return { result: await (await engineFor(ctx.signal)).discover(p.connection) };
  });
  peer.handle('cdc.cleanup', async (p, ctx) => {
    return (await engineFor(ctx.signal)).cleanupCdcJob(p.source, p.jobId, { slot: p.slot, publication: p.publication }, p.target);
  });
}
