'use client';

import { createClient, type Client } from 'graphql-ws';
import { GqlError, type GraphQLErrorShape, type Operation } from './gql';
import { runtimeConfig } from './runtime-config';

let client: Client | undefined;
let clientUrl: string | undefined;

/**
 * The graphql-ws endpoint. The api serves graphql-ws on its own origin; the browser sends the
 * session cookie because cookies are scoped by host, not port. Configured at runtime through
 * SLUICE_WS_URL (read by the root layout), else ws(s)://<this host>:4000/graphql.
 */
export function wsUrl(): string {
  const configured = runtimeConfig().wsUrl;
  if (configured) return configured;
  const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${window.location.hostname}:4000/graphql`;
}

function getClient(): Client {
  const url = wsUrl();
  if (client && clientUrl === url) return client;
  void client?.dispose();
  clientUrl = url;
  client = createClient({
    url,
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const cap = Math.min(30_000, 500 * 2 ** retries);
      await new Promise((r) => setTimeout(r, Math.random() * cap));
    },
  });
  return client;
}

/** Drop the socket (e.g. after log-out or a tenant switch) so the next one carries the new cookie. */
export function resetSubscriptions(): void {
  void client?.dispose();
  client = undefined;
  clientUrl = undefined;
}

export function subscribe<TData, TVars>(
  op: Operation<TData, TVars>,
  variables: TVars,
  sink: { next: (d: TData) => void; error: (e: unknown) => void; started?: () => void },
): () => void {
  const c = getClient();
  const offConnected = c.on('connected', () => sink.started?.());
  const stop = c.subscribe<TData>(
    { query: op.query, operationName: op.name, variables: variables as Record<string, unknown> },
    {
      next: (r) => {
        if (r.errors && r.errors.length > 0) sink.error(GqlError.from(r.errors as unknown as GraphQLErrorShape[]));
        else if (r.data) sink.next(r.data as TData);
      },
      error: (e) => {
        if (Array.isArray(e)) sink.error(GqlError.from(e as GraphQLErrorShape[]));
        else sink.error(new GqlError('NETWORK', 'Live updates are disconnected; retrying.'));
      },
      complete: () => undefined,
    },
  );
  return () => {
    offConnected();
    stop();
  };
}
