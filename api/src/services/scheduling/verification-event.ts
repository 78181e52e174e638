/**
 * The `verification.table` event as the control plane stores it (verification_results): the
 * counts, strictly checked, and the detail (status, error, the differing rows named), which the
 * agent renders safely and which is dropped alone when malformed.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative().max(2_147_483_647);
/** The fields of a `verification.table` event the control plane stores (the agent sends more: ignored). */
export const verificationTableEvent = z.object({
  tableName: z.string().min(1).max(512),
  chunksOk: count,
  chunksMismatched: count,
  chunksRepaired: count,
  rowsMissing: count,
  rowsExtra: count,
  rowsDifferent: count,
});

/** What the agent says beyond the counts; a malformed detail is dropped, the counts are still stored. */
export const verificationDetail = z.object({
  status: z.enum(['ok', 'repaired', 'mismatch', 'failed']).optional(),
  error: z.string().max(4000).optional(),
  notes: z.array(z.string().max(1000)).max(100).optional(),
  differencesTotal: count.optional(),
  /** The differing rows, named (agent/src/verify/differences.ts): bounded, values already rendered safely by the agent. */
  differences: z
    .array(
      z.object({
        kind: z.enum(['missing', 'extra', 'different']),
        key: z.string().max(2000),
        columns: z
          .array(z.object({ column: z.string().max(512), source: z.string().max(1000).nullable(), target: z.string().max(1000).nullable() }))
          .max(50)
          .optional(),
        columnsDiffering: count.optional(),
      }),
    )
    .max(200)
    .optional(),
});
