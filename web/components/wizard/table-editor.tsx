'use client';

import type { DiscoveredTable } from '../../lib/ops/data-sources';
import type { TableEdit } from '../../lib/wizard/draft';
import { Badge, Field } from '../ui';

/** Rename a table, filter its rows, and choose and rename its columns. */
export function TableEditor({
  table,
  cols,
  edit,
  onChange,
  errors,
}: {
  table: string;
  cols: DiscoveredTable | undefined;
  edit: TableEdit;
  onChange: (e: TableEdit) => void;
  errors: Record<string, string>;
}) {
  return (
    <div className="stack-sm" style={{ padding: '8px 0 4px' }}>
      <div className="grid-2">
        <Field label="Target table name" hint="Blank keeps the source name." error={errors[`rename:${table}`]}>
          <input type="text" value={edit.rename} placeholder={table.split('.').pop()} onChange={(e) => onChange({ ...edit, rename: e.target.value })} />
        </Field>
        <Field label="Row filter (SQL WHERE)" hint="Applied on the source, e.g. created_at >= '2024-01-01'.">
          <input type="text" value={edit.where} onChange={(e) => onChange({ ...edit, where: e.target.value })} spellCheck={false} />
        </Field>
      </div>
      {cols ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Column mapping for {table}</caption>
            <thead>
              <tr>
                <th>Copy</th>
                <th>Source column</th>
                <th>Type</th>
                <th>Target column</th>
              </tr>
            </thead>
            <tbody>
              {cols.columns.map((c) => {
                const excluded = edit.exclude.includes(c.name);
                const pk = cols.primaryKey.includes(c.name);
                const err = errors[`col:${table}:${c.name}`];
                return (
                  <tr key={c.name}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Copy column ${c.name}`}
                        checked={!excluded}
                        disabled={pk}
                        title={pk ? 'Primary key columns are always copied' : undefined}
                        onChange={(e) =>
                          onChange({ ...edit, exclude: e.target.checked ? edit.exclude.filter((x) => x !== c.name) : [...edit.exclude, c.name] })
                        }
                      />
                    </td>
                    <td className="mono">
                      {c.name} {pk ? <Badge tone="accent">PK</Badge> : null}
                    </td>
                    <td className="mono muted">{c.type}</td>
                    <td>
                      <input
                        type="text"
                        aria-label={`Target name for ${c.name}`}
                        aria-invalid={err ? true : undefined}
                        value={edit.columns[c.name] ?? ''}
                        placeholder={c.name}
                        disabled={excluded}
                        onChange={(e) => onChange({ ...edit, columns: { ...edit.columns, [c.name]: e.target.value } })}
                      />
                      {err ? <span className="field-error small">{err}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
