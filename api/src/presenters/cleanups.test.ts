import { describe, expect, it } from 'vitest';
import type { CdcCleanupRow } from '../repositories/cdc-cleanups';
import { cdcNames } from '../services/cleanups/cdc-cleanup-service';
import { cleanupSql } from './cleanups';

const row = (o: Partial<CdcCleanupRow> = {}): CdcCleanupRow => ({
  id: 'c1',
  tenantId: 't',
  dataSourceId: 's',
  targetId: 'd',
  jobId: '0f8e0c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6',
  jobName: 'orders',
  slot: 'sluice_0f8e0c2a_1b2c_4d5e_8f90_a1b2c3d4e5f6',
  publication: 'sluice_0f8e0c2a_1b2c_4d5e_8f90_a1b2c3d4e5f6',
  sourceClean: false,
  targetClean: false,
  state: 'pending',
  reason: 'no agent',
  attempts: 0,
  createdAt: new Date(),
  updatedAt: new Date(),
  doneAt: null,
  ...o,
});

describe('cdc cleanup SQL', () => {
  it('names the slot and publication the agent uses for the job', () => {
    expect(cdcNames('0F8E0C2A-1B2C-4D5E-8F90-A1B2C3D4E5F6')).toEqual({ slot: row().slot, publication: row().slot });
  });

  it('drops the PG slot and publication, then deletes the target checkpoint rows (PG and MySQL targets)', () => {
    const pgTarget = cleanupSql(row(), 'postgres', { kind: 'postgres', config: { schema: 'app' } });
    expect(pgTarget).toBe(
      [
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${row().slot}';`,
        `DROP PUBLICATION IF EXISTS "${row().slot}";`,
        `-- then, if no other Sluice job streams from this database (no other sluice_% slot in pg_replication_slots), its DDL capture:`,
        'DROP EVENT TRIGGER IF EXISTS sluice_ddl_end;',
        'DROP EVENT TRIGGER IF EXISTS sluice_ddl_drop;',
        'DROP FUNCTION IF EXISTS "_sluice"._sluice_ddl_capture();',
        'DROP TABLE IF EXISTS "_sluice"._sluice_ddl_state;',
        'DROP SCHEMA IF EXISTS "_sluice";',
        `-- on the target data source:\nDELETE FROM "app"."_sluice_checkpoints" WHERE job_id = '${row().jobId}';`,
      ].join('\n'),
    );
    expect(cleanupSql(row({ sourceClean: true }), 'postgres', { kind: 'mysql', config: { database: 'shop' } })).toBe(
      `-- on the target data source:\nDELETE FROM \`shop\`.\`_sluice_checkpoints\` WHERE job_id = '${row().jobId}';`,
    );
  });

  it('has nothing to drop on a MySQL source and quotes hostile names', () => {
    expect(cleanupSql(row({ targetClean: true }), 'mysql', null)).toBe('');
    const sql = cleanupSql(row({ slot: "a'b", publication: 'p"q', targetClean: true }), 'postgres', null);
    expect(sql).toContain(`slot_name = 'a''b';`);
    expect(sql).toContain(`DROP PUBLICATION IF EXISTS "p""q";`);
  });
});
