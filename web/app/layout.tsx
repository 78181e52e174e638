import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../components/providers';
// The portal's global stylesheet, one file per area, in cascade order (it was one 1,275-line globals.css).
import './styles/base.css';
import './styles/shell.css';
import './styles/page.css';
import './styles/controls.css';
import './styles/feedback.css';
import './styles/overlays.css';
import './styles/live.css';

export const metadata: Metadata = { title: { default: 'Sluice', template: '%s · Sluice' }, description: 'Sluice: database migration and replication' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** Read at request time (not inlined at build), so one build runs against any api. */
function env(name: string): string | null {
  const v = process.env[name];
  return v && v.trim() ? v.trim() : null;
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const config = {
    wsUrl: env('SLUICE_WS_URL') ?? env('NEXT_PUBLIC_SLUICE_WS_URL'),
    apiPublicUrl: env('SLUICE_API_PUBLIC_URL') ?? env('SLUICE_API_URL'),
  };
  return (
    <html lang="en">
      <body>
        <Providers config={config}>{children}</Providers>
      </body>
    </html>
  );
}
