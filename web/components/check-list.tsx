import type { ReactNode } from 'react';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export function CheckList({ items }: { items: Array<{ key: string; status: CheckStatus; title: ReactNode; detail?: ReactNode }> }) {
  return (
    <ul className="check-list">
      {items.map((i) => (
        <li key={i.key} data-status={i.status}>
          <span className={`check-icon ${i.status}`} aria-hidden="true">
            {i.status === 'ok' ? '✓' : i.status === 'fail' ? '✕' : i.status === 'warn' ? '!' : '–'}
          </span>
          <span className="sr-only">{i.status === 'ok' ? 'passed' : i.status === 'fail' ? 'failed' : i.status === 'warn' ? 'warning' : 'skipped'}:</span>
          <div style={{ minWidth: 0, flex: 1 }}>
            <div style={{ fontWeight: 600 }}>{i.title}</div>
            {i.detail ? <div className="muted small break">{i.detail}</div> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
