/** Keyset pagination shapes shared by tenant-scoped list methods. */
export interface TimeKey {
  createdAt: Date;
  id: string;
}
export interface SerialKey {
  id: number;
}
export interface Page<K> {
  /** How many rows to return; the repository fetches one more to know if there is a next page. */
  first: number;
  after?: K | null;
}
export interface PageResult<T> {
  rows: T[];
  hasNextPage: boolean;
}

export function toPage<T>(rows: T[], first: number): PageResult<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
