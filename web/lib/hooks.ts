'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { GqlError, request, type Operation } from './gql';
import { subscribe } from './ws';

type Listener = (err: GqlError) => void;
const unauthListeners = new Set<Listener>();

/** The session provider registers here to send the user to /login when a session ends. */
export function onUnauthenticated(fn: Listener): () => void {
  unauthListeners.add(fn);
  return () => unauthListeners.delete(fn);
}

function notify(err: unknown): void {
  if (err instanceof GqlError && err.code === 'UNAUTHENTICATED') for (const l of unauthListeners) l(err);
}

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
  /** Replace the cached data (e.g. after a subscription event). */
  setData: (updater: (prev: T | undefined) => T | undefined) => void;
}

export function useQuery<TData, TVars>(op: Operation<TData, TVars>, variables: TVars, opts: { skip?: boolean; pollMs?: number } = {}): QueryState<TData> {
  const [data, setDataState] = useState<TData | undefined>(undefined);
  /** The variables the current data was fetched with; data for other variables counts as loading. */
  const [dataKey, setDataKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(!opts.skip);
  const key = JSON.stringify(variables);
  const varsRef = useRef(variables);
  varsRef.current = variables;
  const seq = useRef(0);

  const run = useCallback(
    async (quiet: boolean) => {
      const mine = ++seq.current;
      if (!quiet) setLoading(true);
      try {
        const d = await request(op, varsRef.current);
        if (mine === seq.current) {
          setDataState(d);
          setDataKey(JSON.stringify(varsRef.current));
          setError(undefined);
        }
      } catch (e) {
        notify(e);
        if (mine === seq.current) setError(e);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the serialised variables: an equal vars object from a new render must not refetch
    [op, key],
  );

  useEffect(() => {
    if (opts.skip) return;
    void run(false);
    if (!opts.pollMs) return;
    const t = setInterval(() => void run(true), opts.pollMs);
    return () => clearInterval(t);
  }, [run, opts.skip, opts.pollMs]);

  const refetch = useCallback(() => run(true), [run]);
  const setData = useCallback((u: (prev: TData | undefined) => TData | undefined) => setDataState(u), []);
  return { data, error, loading: loading || (!opts.skip && data !== undefined && dataKey !== key), refetch, setData };
}

export interface MutationState {
  loading: boolean;
  error: unknown;
  reset: () => void;
}

/** Returns a function that runs the mutation; it throws on error and records it in `state.error`. */
export function useMutation<TData, TVars>(op: Operation<TData, TVars>): [(vars: TVars) => Promise<TData>, MutationState] {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const mutate = useCallback(
    async (vars: TVars) => {
      setLoading(true);
      setError(undefined);
      try {
        return await request(op, vars);
      } catch (e) {
        notify(e);
        setError(e);
        throw e;
      } finally {
        setLoading(false);
      }
    },
    [op],
  );
  const reset = useCallback(() => setError(undefined), []);
  return [mutate, { loading, error, reset }];
}

export type LiveStatus = 'connecting' | 'live' | 'error' | 'off';

/** Subscribe while mounted; `onData` always sees the latest closure. */
export function useSubscription<TData, TVars>(
  op: Operation<TData, TVars>,
  variables: TVars,
  onData: (data: TData) => void,
  opts: { skip?: boolean } = {},
): { status: LiveStatus; error: unknown } {
  const [status, setStatus] = useState<LiveStatus>(opts.skip ? 'off' : 'connecting');
  const [error, setError] = useState<unknown>(undefined);
  const cb = useRef(onData);
  cb.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (opts.skip) {
      setStatus('off');
      return;
    }
    setStatus('connecting');
    const stop = subscribe(op, JSON.parse(key) as TVars, {
      next: (d) => {
        setStatus('live');
        cb.current(d);
      },
      started: () => setStatus('live'),
      error: (e) => {
        setStatus('error');
        setError(e);
      },
    });
    return stop;
  }, [op, key, opts.skip]);
  return { status, error };
}
