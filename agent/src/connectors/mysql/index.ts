export { MysqlSource } from './source';
export { MysqlTarget } from './target';
export { checkMysql } from './check';
export { parseMysqlType, mysqlDeclaration } from './types';
export type { MyConn } from './client';
