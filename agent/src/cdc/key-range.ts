/**
 * The key-range listing a live resync uses to find rows only the target has
 * (issue 14 §5). Integer keys only: both engines order them alike, so a source
 * chunk's range is the same range on the target.
 */
const INT = /^-?\d{1,40}$/;

export function integerKeyRangeSql(
  q: (ident: string) => string,
  asText: (expr: string) => string,
  table: string,
  keyColumns: string[],
  after: string[] | null,
  upTo: string[] | null,
): string {
  const tuple = `(${keyColumns.map(q).join(', ')})`;
  const lit = (v: string[]) => {
    if (v.length !== keyColumns.length || v.some((x) => !INT.test(x))) throw new Error('a live resync lists target keys only for integer keys');
    return `(${v.join(', ')})`;
  };
  const conds: string[] = [];
  if (after) conds.push(`${tuple} > ${lit(after)}`);
  if (upTo) conds.push(`${tuple} <= ${lit(upTo)}`);
  const cols = keyColumns.map((k, i) => `${asText(q(k))} AS k${i}`).join(', ');
  return `SELECT ${cols} FROM ${table}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY ${keyColumns.map(q).join(', ')}`;
}
