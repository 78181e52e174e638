import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RpcMetric } from '@sluice/agent/protocol';

export function createGatewayMetrics(registry: Registry) {
  const registers = [registry];
  const m = {
    connections: new Gauge({ name: 'sluice_agent_connections', help: 'Agent sockets that finished the handshake', registers }),
    handshakes: new Counter({
      name: 'sluice_agent_handshakes_total',
      help: 'Agent handshakes by outcome (ok or the refusal code)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    messages: new Counter({
      name: 'sluice_agent_messages_total',
      help: 'Agent protocol frames by direction and type',
      labelNames: ['direction', 'type'] as const,
      registers,
    }),
    bytes: new Counter({ name: 'sluice_agent_bytes_total', help: 'Agent protocol bytes by direction', labelNames: ['direction'] as const, registers }),
    rpc: new Histogram({
      name: 'sluice_agent_rpc_seconds',
      help: 'Agent RPC duration by side (call: server asked, handled: agent asked), type and outcome',
      labelNames: ['side', 'type', 'outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    slow: new Counter({ name: 'sluice_agent_rpc_slow_total', help: 'Agent RPCs slower than the threshold', labelNames: ['side', 'type'] as const, registers }),
    badFrames: new Counter({
      name: 'sluice_agent_bad_frames_total',
      help: 'Malformed, unknown or oversized frames from agents',
      labelNames: ['code'] as const,
      registers,
    }),
    violations: new Counter({
      name: 'sluice_agent_ownership_violations_total',
      help: 'Agent messages naming another tenant’s (or an unheld) task, job or data source',
      labelNames: ['kind', 'type'] as const,
      registers,
    }),
    heartbeat: new Histogram({
      name: 'sluice_agent_heartbeat_handling_seconds',
      help: 'Time to handle one heartbeat on the api',
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    }),
    heartbeatFlush: new Histogram({
      name: 'sluice_agent_heartbeat_flush_seconds',
      help: 'Time to write one batch of heartbeats to Postgres',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
  };
  return {
    ...m,
    rpcObserver(m2: RpcMetric): void {
      switch (m2.kind) {
        case 'call':
          m.rpc.observe({ side: 'call', type: m2.type, outcome: m2.outcome }, m2.ms / 1000);
          break;
        case 'handled':
          m.rpc.observe({ side: 'handled', type: m2.type, outcome: m2.outcome }, m2.ms / 1000);
          break;
        case 'in':
        case 'out':
          m.messages.inc({ direction: m2.kind, type: m2.type });
          m.bytes.inc({ direction: m2.kind }, m2.bytes);
          break;
        case 'bad_frame':
          m.badFrames.inc({ code: m2.code });
          break;
      }
    },
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
