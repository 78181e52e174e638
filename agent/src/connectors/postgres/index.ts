export { PgSource } from './source';
export { PgTarget } from './target';
export { checkPg } from './check';
export { parsePgType, pgDeclaration } from './types';
export type { PgConn } from './client';
