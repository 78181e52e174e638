'use client';

import { type CSSProperties, type ReactNode } from 'react';
import Link from 'next/link';

/** One figure in a `grid-4` row of stat cards; with `href` the whole card is a link. Extra content (a progress bar) goes in `children`. */
export function StatCard({
  label,
  value,
  sub,
  href,
  valueStyle,
  valueTestId,
  children,
}: {
  label: ReactNode;
  value: ReactNode;
  sub?: ReactNode;
  href?: string;
  valueStyle?: CSSProperties;
  valueTestId?: string;
  children?: ReactNode;
}) {
  const body = (
    <>
      <div className="stat-label">{label}</div>
      <div className="stat-value" style={valueStyle} data-testid={valueTestId}>
        {value}
      </div>
      {sub !== undefined ? <div className="stat-sub">{sub}</div> : null}
      {children}
    </>
  );
  return href ? (
    <Link href={href} className="card stat" style={{ color: 'inherit' }}>
      {body}
    </Link>
  ) : (
    <div className="card stat">{body}</div>
  );
}
