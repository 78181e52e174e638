'use client';

import type { ReactNode } from 'react';
import { setRuntimeConfig, type RuntimeConfig } from '../lib/runtime-config';
import { ToastProvider } from './ui';

export function Providers({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  // Set synchronously so children's first effects see it.
  setRuntimeConfig(config);
  return <ToastProvider>{children}</ToastProvider>;
}
