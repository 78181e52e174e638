'use client';

import { useMemo, useState } from 'react';
import { formatNumber } from '../lib/format';
import type { DiscoveredTable } from '../lib/ops/data-sources';
import { Badge, Empty } from './ui';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Indexes (unique ones marked) and foreign keys of one table, under its columns. */
function TableKeys({ t }: { t: DiscoveredTable }) {
  if (t.indexes.length === 0 && t.foreignKeys.length === 0 && t.uniqueKeys.length === 0) return null;
  // Unique constraints the engine reports apart from the index list (PostgreSQL constraints are indexes too).
  const indexes = [...t.indexes, ...t.uniqueKeys.filter((u) => !t.indexes.some((i) => i.name === u.name))];
  return (
    <div className="grid-2" style={{ margin: '0 0 10px' }}>
      {indexes.length ? (
        <div>
          <div className="small" style={{ fontWeight: 600 }}>
            Indexes
          </div>
          <ul className="small" aria-label={`Indexes of ${t.name}`}>
            {indexes.map((i) => (
              <li key={i.name}>
                <span className="mono">{i.name}</span> ({i.columns.join(', ')}) {i.unique ? <Badge tone="info">unique</Badge> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {t.foreignKeys.length ? (
        <div>
          <div className="small" style={{ fontWeight: 600 }}>
            Foreign keys
          </div>
          <ul className="small" aria-label={`Foreign keys of ${t.name}`}>
            {t.foreignKeys.map((f) => (
              <li key={f.name}>
                <span className="mono">
                  ({f.columns.join(', ')}) → {f.refSchema && f.refSchema !== t.schema ? `${f.refSchema}.` : ''}
                  {f.refTable}({f.refColumns.join(', ')})
                </span>
                {f.onDelete && f.onDelete !== 'NO ACTION' ? <span className="muted"> on delete {f.onDelete.toLowerCase()}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export function SchemaBrowser({ tables }: { tables: DiscoveredTable[] }) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const m = new Map<string, DiscoveredTable[]>();
    for (const t of tables) {
      if (f && !t.name.toLowerCase().includes(f) && !t.columns.some((c) => c.name.toLowerCase().includes(f))) continue;
      const k = t.schema ?? '(default)';
      m.set(k, [...(m.get(k) ?? []), t]);
    }
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [tables, filter]);
  if (tables.length === 0) return <Empty title="No tables found">The agent connected but saw no tables it may read.</Empty>;
  return (
    <div className="stack-sm">
      <div className="row-between">
        <span className="muted small">
          {tables.length} table{tables.length === 1 ? '' : 's'}
        </span>
        <input
          type="search"
          placeholder="Filter tables or columns"
          aria-label="Filter tables or columns"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          style={{ maxWidth: 260 }}
        />
      </div>
      <ul className="tree" aria-label="Discovered schema">
        {groups.map(([schema, ts]) => (
          <li key={schema}>
            <details open>
              <summary>
                <strong>{schema}</strong> <span className="muted small">({ts.length})</span>
              </summary>
              <ul>
                {ts.map((t) => (
                  <li key={t.name}>
                    <details>
                      <summary>
                        <span className="mono">{t.name}</span>{' '}
                        <span className="muted small">
                          {t.rowEstimate !== null ? `~${formatNumber(t.rowEstimate)} rows · ` : ''}
                          {t.columns.length} columns
                          {t.indexes.length ? ` · ${plural(t.indexes.length, 'index', 'indexes')}` : ''}
                          {t.foreignKeys.length ? ` · ${plural(t.foreignKeys.length, 'foreign key')}` : ''}
                        </span>{' '}
                        {t.primaryKey.length === 0 ? <Badge tone="warn">no primary key</Badge> : null}
                      </summary>
                      <div className="table-wrap" style={{ margin: '6px 0 10px' }}>
                        <table className="table">
                          <thead>
                            <tr>
                              <th>Column</th>
                              <th>Type</th>
                              <th>Null</th>
                              <th>Key</th>
                            </tr>
                          </thead>
                          <tbody>
                            {t.columns.map((c) => (
                              <tr key={c.name}>
                                <td className="mono">{c.name}</td>
                                <td className="mono">{c.type}</td>
                                <td>{c.nullable ? 'yes' : 'no'}</td>
                                <td>
                                  {t.primaryKey.includes(c.name) ? <Badge tone="accent">PK</Badge> : null}{' '}
                                  {t.uniqueKeys.some((u) => u.columns.includes(c.name)) ? <Badge tone="info">UQ</Badge> : null}{' '}
                                  {t.foreignKeys.some((f) => f.columns.includes(c.name)) ? <Badge>FK</Badge> : null}
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                      <TableKeys t={t} />
                    </details>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
