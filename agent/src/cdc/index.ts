/** Real-time replication (CDC). See ARCHITECTURE.md, "CDC". */
export { runCdc, runCdcExtension, assertCdcPreflight, cdcTaskSpecSchema, defaultSlotName, mysqlCurrentPosition, type CdcTaskSpec } from './run-cdc';
export { setupPgCdc, cleanupPgCdc, PgCdcSource } from './pg-logical';
export { MysqlCdcSource } from './mysql-binlog';
export { capturePgStart, captureMysqlStart } from './handoff';
export type { PreflightCheck } from './preflight';
export { preflightCdc, preflightCdcForJob, listCapturedTables, installDdlCaptureFor } from './preflight-for-job';
export { emitCdcBarrier, positionReached } from './barrier';
export { toChangeStream } from './change-stream';
export { PgStreaming } from './pg-stream';
export { MysqlStreaming } from './mysql-stream';
export type { CdcPosition } from './types';
export { cleanupCdcJob, type CdcCleanupResult } from './cleanup';
