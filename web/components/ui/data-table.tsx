'use client';

import { type ReactNode } from 'react';

/**
 * The portal's list table (`table stacked` in a `table-wrap`): one header cell a column, plus an unlabelled actions
 * column when `actions` is set. `children` are the body rows.
 */
export function DataTable({ columns, actions, compact, children }: { columns: string[]; actions?: boolean; compact?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={compact ? 'table stacked compact' : 'table stacked'}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            {actions ? (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
