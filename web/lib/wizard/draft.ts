/**
 * The new-job wizard's draft: what the user has chosen so far, its validation per step, and the JobInput it becomes.
 * Pure: no React, no network (the reducer in ./reducer.ts and its tests build on it).
 */
import type { DataSourceKind, DiscoveredTable } from '../ops/data-sources';
import type { JobInput, JobMode, JobOptions, JobSpec, OutOfRangePolicy, SchemaChangesSpec, SchemaPolicy, SpecMode, TableMapping } from '../ops/jobs';
import { buildKafka, DEFAULT_KAFKA_DRAFT, kafkaPair, validateKafka, type KafkaDraft } from './kafka-draft';
import type { Placement } from '../ops/chunks';

export const STEPS = ['Source & target', 'Tables', 'Mode & options', 'Preflight', 'Plan', 'Create'] as const;
export const PREFLIGHT_STEP = 3;

export const MODES: Array<{ mode: JobMode; spec: SpecMode; desc: string }> = [
  { mode: 'FULL', spec: 'full', desc: 'Copy every selected row once, then verify.' },
  { mode: 'FULL_CDC', spec: 'full_cdc', desc: 'Copy, then keep the target in sync from the change log.' },
  { mode: 'CDC', spec: 'cdc', desc: 'Only stream changes from a start position.' },
  { mode: 'VERIFY', spec: 'verify', desc: 'Compare source and target without copying: a report, unless you choose repair.' },
];

export interface TableEdit {
  rename: string;
  where: string;
  /** source column -> target column ('' = same name) */
  columns: Record<string, string>;
  exclude: string[];
  /** Per column, chosen on the dry-run plan where the engine flagged it: the policy for values the target can't hold. */
  outOfRange?: Record<string, OutOfRangePolicy>;
}
export const EMPTY_EDIT: TableEdit = { rename: '', where: '', columns: {}, exclude: [] };

export interface Draft {
  name: string;
  sourceId: string;
  targetId: string;
  /** Kinds of the chosen source and target (set with them): they decide whether and which Kafka options apply. */
  sourceKind: DataSourceKind | null;
  targetKind: DataSourceKind | null;
  selection: 'all' | 'pick' | 'patterns';
  picked: string[];
  include: string;
  exclude: string;
  edits: Record<string, TableEdit>;
  mode: SpecMode;
  options: JobOptions;
  /** The user ticked or unticked "Repair" themselves: switching modes no longer changes it. */
  repairChosen: boolean;
  /** Kafka options (lib/wizard/kafka-draft.ts), used when the source or target is Kafka. */
  kafka: KafkaDraft;
  /** CDC between databases: what a source schema change does (spec.schemaChanges). */
  schema: SchemaDraft;
  /** Which agents may run the job (group, `key=value` labels, comma separated) and whether the load is spread over them. */
  placement: PlacementDraft;
}

export interface PlacementDraft {
  group: string;
  labels: string;
  spread: boolean;
}

export const DEFAULT_PLACEMENT_DRAFT: PlacementDraft = { group: '', labels: '', spread: false };

/** `zone=eu, disk=ssd` -> {zone: 'eu', disk: 'ssd'}; null when a part is not key=value. */
export function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return null;
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function placementOf(p: PlacementDraft): Placement | null {
  const labels = parseLabels(p.labels) ?? {};
  if (!p.group.trim() && Object.keys(labels).length === 0 && !p.spread) return null;
  return { ...(p.group.trim() ? { group: p.group.trim() } : {}), ...(Object.keys(labels).length ? { labels } : {}), ...(p.spread ? { spread: true } : {}) };
}

export interface SchemaDraft {
  policy: SchemaPolicy;
  narrowing: SchemaPolicy;
  /** Per-table overrides, one `table=policy` a line (patterns allowed). */
  overrides: string;
  captureDdl: boolean;
}

export const DEFAULT_SCHEMA_DRAFT: SchemaDraft = { policy: 'apply', narrowing: 'quarantine', overrides: '', captureDdl: true };
const POLICIES: readonly SchemaPolicy[] = ['apply', 'pause', 'quarantine', 'ignore'];

/** `orders=pause` lines -> overrides; the lines that are not `pattern=policy`, for an error. */
export function parseSchemaOverrides(text: string): { tables: Record<string, SchemaPolicy>; bad: string[] } {
  const tables: Record<string, SchemaPolicy> = {};
  const bad: string[] = [];
  for (const line of text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_$.*?-]+)\s*=\s*(\w+)$/.exec(line);
    if (m && (POLICIES as readonly string[]).includes(m[2]!)) tables[m[1]!] = m[2] as SchemaPolicy;
    else bad.push(line);
  }
  return { tables, bad };
}

function schemaChangesOf(s: SchemaDraft): SchemaChangesSpec | null {
  const { tables } = parseSchemaOverrides(s.overrides);
  if (s.policy === 'apply' && s.narrowing === 'quarantine' && s.captureDdl && Object.keys(tables).length === 0) return null;
  return { policy: s.policy, narrowing: s.narrowing, tables, captureDdl: s.captureDdl };
}

export const DEFAULT_OPTIONS: JobOptions = {
  existingTable: 'fail',
  outOfRange: 'dead-letter',
  targetOnlyRows: 'keep',
  chunkSize: 50_000,
  parallelism: 4,
  verifyAfterLoad: true,
  repair: true,
  createSecondaryIndexes: true,
  createForeignKeys: true,
  dryRun: false,
};

export const EMPTY_DRAFT: Draft = {
  name: '',
  sourceId: '',
  targetId: '',
  sourceKind: null,
  targetKind: null,
  selection: 'all',
  picked: [],
  include: '*',
  exclude: '',
  edits: {},
  mode: 'full',
  options: DEFAULT_OPTIONS,
  repairChosen: false,
  kafka: DEFAULT_KAFKA_DRAFT,
  schema: DEFAULT_SCHEMA_DRAFT,
  placement: DEFAULT_PLACEMENT_DRAFT,
};

export const isCdcMode = (m: SpecMode): m is 'cdc' | 'full_cdc' => m === 'cdc' || m === 'full_cdc';

/** Repair writes to the target: a verify-only job reports unless the user chose repair; after a load it is on. */
export function defaultRepair(mode: SpecMode): boolean {
  return mode !== 'verify';
}

export function tableKey(t: Pick<DiscoveredTable, 'schema' | 'name'>, multiSchema: boolean): string {
  return multiSchema && t.schema ? `${t.schema}.${t.name}` : t.name;
}

export const splitList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const PATTERN = /^[A-Za-z0-9_$.*?-]+$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export function tableSelection(d: Pick<Draft, 'selection' | 'picked' | 'include' | 'exclude'>): JobSpec['tables'] {
  const include = d.selection === 'all' ? ['*'] : d.selection === 'pick' ? d.picked : splitList(d.include);
  const exclude = d.selection === 'patterns' ? splitList(d.exclude) : [];
  return { include, exclude };
}

export function buildInput(d: Draft): JobInput {
  const mapping: Record<string, TableMapping> = {};
  for (const [table, e] of Object.entries(d.edits)) {
    if (d.selection === 'pick' && !d.picked.includes(table)) continue;
    const m: TableMapping = {};
    if (e.rename.trim()) m.rename = e.rename.trim();
    if (e.where.trim()) m.where = e.where.trim();
    const cols = Object.fromEntries(
      Object.entries(e.columns)
        .filter(([k, v]) => v.trim() && v.trim() !== k && !e.exclude.includes(k))
        .map(([k, v]) => [k, v.trim()]),
    );
    if (Object.keys(cols).length) m.columns = cols;
    if (e.exclude.length) m.excludeColumns = e.exclude;
    const policies = Object.entries(e.outOfRange ?? {}).filter(([c]) => !e.exclude.includes(c));
    if (policies.length) m.outOfRange = Object.fromEntries(policies);
    if (Object.keys(m).length) mapping[table] = m;
  }
  const { cdcStart, applyPartitions, ...options } = d.options;
  const cdc = isCdcMode(d.mode);
  const dbTarget = !kafkaPair(d.sourceKind, d.targetKind);
  const cdcOptions = { ...(cdc && cdcStart ? { cdcStart } : {}), ...(cdc && dbTarget && applyPartitions ? { applyPartitions } : {}) };
  const spec: JobSpec = { mode: d.mode, tables: tableSelection(d), mapping, options: { ...options, ...cdcOptions } };
  const pair = kafkaPair(d.sourceKind, d.targetKind);
  const schemaChanges = isCdcMode(d.mode) && !pair ? schemaChangesOf(d.schema) : null;
  if (schemaChanges) spec.schemaChanges = schemaChanges;
  const placement = placementOf(d.placement);
  if (placement) spec.placement = placement;
  if (pair) {
    spec.kafka = buildKafka(d.kafka, pair);
    // Verification compares two databases: a Kafka job has nothing to verify after its load.
    spec.options = { ...spec.options, verifyAfterLoad: false };
  }
  return { name: d.name.trim(), sourceId: d.sourceId, targetId: d.targetId || null, spec };
}

/** Field errors of one step, keyed by field ('name', 'rename:<table>', 'col:<table>:<column>', ...). */
export function validateStep(step: number, d: Draft): Record<string, string> {
  const e: Record<string, string> = {};
  if (step === 0) {
    if (!d.name.trim()) e['name'] = 'Name the job, e.g. “orders to warehouse”.';
    if (!d.sourceId) e['sourceId'] = 'Choose where rows come from.';
    if (d.mode !== 'verify' && !d.targetId) e['targetId'] = 'Choose where rows go.';
    if (d.sourceId && d.sourceId === d.targetId) e['targetId'] = 'The target must differ from the source.';
  }
  if (step === 1) {
    if (d.selection === 'pick' && d.picked.length === 0) e['tables'] = 'Pick at least one table.';
    if (d.selection === 'patterns') {
      const inc = splitList(d.include);
      if (inc.length === 0) e['include'] = 'Give at least one pattern, e.g. * or orders_*.';
      const bad = [...inc, ...splitList(d.exclude)].find((p) => !PATTERN.test(p));
      if (bad) e['include'] = `“${bad}” may use only letters, digits, _ $ . - and the wildcards * ?`;
    }
    for (const [t, ed] of Object.entries(d.edits)) {
      if (ed.rename.trim() && !IDENT.test(ed.rename.trim())) e[`rename:${t}`] = 'Use letters, digits and _ (max 63), starting with a letter.';
      for (const [c, v] of Object.entries(ed.columns)) if (v.trim() && !IDENT.test(v.trim())) e[`col:${t}:${c}`] = 'Not a valid column name.';
    }
  }
  if (step === 2) {
    const pair = kafkaPair(d.sourceKind, d.targetKind);
    if (pair && d.mode === 'verify') e['mode'] = 'Verify compares two databases: choose full, full + live or live for a Kafka job.';
    Object.assign(e, validateKafka(d.kafka, pair));
    if (!Number.isInteger(d.options.chunkSize) || d.options.chunkSize < 100 || d.options.chunkSize > 10_000_000)
      e['chunkSize'] = 'Between 100 and 10,000,000 rows.';
    if (!Number.isInteger(d.options.parallelism) || d.options.parallelism < 1 || d.options.parallelism > 64) e['parallelism'] = 'Between 1 and 64.';
    const ap = d.options.applyPartitions;
    if (ap !== undefined && (!Number.isInteger(ap) || ap < 1 || ap > 16)) e['applyPartitions'] = 'Between 1 and 16, or empty for the default.';
    if (parseLabels(d.placement.labels) === null) e['labels'] = 'Labels are key=value pairs, comma separated: zone=eu, disk=ssd.';
    const cs = d.options.cdcStart;
    if (cs && isCdcMode(d.mode)) {
      if (cs.from === 'gtid' && !cs.gtidSet.trim()) e['cdcStart'] = 'Enter the GTID set to start after, e.g. 0-1-1234.';
      if (cs.from === 'lsn' && !/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(cs.lsn.trim())) e['cdcStart'] = 'An LSN looks like 16/B374D848.';
    }
    if (isCdcMode(d.mode)) {
      const bad = parseSchemaOverrides(d.schema.overrides).bad;
      if (bad.length) e['schemaOverrides'] = `Write one table=policy a line (apply, pause, quarantine or ignore): ${bad.slice(0, 3).join('; ')}`;
    }
  }
  return e;
}
