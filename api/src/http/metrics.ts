/** Prometheus metrics (prom-client). One registry per app instance, so tests can run several apps in one process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sluice_api_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'sluice_api_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'sluice_api_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'sluice_api_graphql_operations_total',
      help: 'GraphQL operations by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'sluice_api_graphql_errors_total',
      help: 'GraphQL errors by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    wsConnections: new Gauge({
      name: 'sluice_api_websocket_connections',
      help: 'Open WebSocket connections by path',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
    queueJobs: new Counter({
      name: 'sluice_api_queue_jobs_total',
      help: 'BullMQ jobs processed by name and outcome',
      labelNames: ['name', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
