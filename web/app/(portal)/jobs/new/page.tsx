'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type ReactNode } from 'react';
import { CheckList } from '../../../../components/check-list';
import { KIND_LABEL, MODE_LABEL } from '../../../../components/status';
import { Alert, Badge, Button, CopyBox, Empty, ErrorAlert, Field, Loading, PageHeader, QueryView, useToast } from '../../../../components/ui';
import { cliRunCommand } from '../../../../lib/cli-command';
import { formatBytes, formatDuration, formatNumber } from '../../../../lib/format';
import { GqlError, request } from '../../../../lib/gql';
import { useMutation, useQuery } from '../../../../lib/hooks';
import { DATA_SOURCES, DISCOVER_DATA_SOURCE, readCatalog, type DataSource, type DiscoveredTable } from '../../../../lib/ops/data-sources';
import { CREATE_JOB, JOB, JOB_LOGS, START_JOB, UPDATE_JOB, type JobDetail, type JobInput, type JobMode, type JobOptions, type JobSpec, type SpecMode, type TableMapping } from '../../../../lib/ops/jobs';
import { TEST_DATA_SOURCE, type Catalog, type TestResult } from '../../../../lib/ops/data-sources';
import { dryRunPlan, preflightChecks, type PreflightCheck } from '../../../../lib/preflight';
import { useSession } from '../../../../lib/session';

interface EngineDryRun {
  state: 'running' | 'done' | 'failed';
  jobState: string | null;
  warnings: string[];
  /** The engine's PlanReport, when the api stores it on the run. */
  plan: { totalRows?: number; totalBytes?: number; estimatedSeconds?: number; measuredRowsPerSec?: number | null } | null;
  error: string | null;
}

const STEPS = ['Source & target', 'Tables', 'Mode & options', 'Preflight', 'Plan', 'Create'] as const;

const MODES: Array<{ mode: JobMode; spec: SpecMode; desc: string }> = [
  { mode: 'FULL', spec: 'full', desc: 'Copy every selected row once, then verify.' },
  { mode: 'FULL_CDC', spec: 'full_cdc', desc: 'Copy, then keep the target in sync from the change log.' },
  { mode: 'CDC', spec: 'cdc', desc: 'Only stream changes from a start position.' },
  { mode: 'VERIFY', spec: 'verify', desc: 'Compare source and target without copying.' },
];

interface TableEdit {
  rename: string;
  where: string;
  /** source column -> target column ('' = same name) */
  columns: Record<string, string>;
  exclude: string[];
}

interface Draft {
  name: string;
  sourceId: string;
  targetId: string;
  selection: 'all' | 'pick' | 'patterns';
  picked: string[];
  include: string;
  exclude: string;
  edits: Record<string, TableEdit>;
  mode: SpecMode;
  options: JobOptions;
}

const DEFAULT_OPTIONS: JobOptions = {
  existingTable: 'fail',
  chunkSize: 50_000,
  parallelism: 4,
  verifyAfterLoad: true,
  repair: true,
  createSecondaryIndexes: true,
  createForeignKeys: true,
  dryRun: false,
};

function tableKey(t: DiscoveredTable, multiSchema: boolean): string {
  return multiSchema && t.schema ? `${t.schema}.${t.name}` : t.name;
}

const splitList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const PATTERN = /^[A-Za-z0-9_$.*?-]+$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

function buildInput(d: Draft): JobInput {
  const include = d.selection === 'all' ? ['*'] : d.selection === 'pick' ? d.picked : splitList(d.include);
  const exclude = d.selection === 'patterns' ? splitList(d.exclude) : [];
  const mapping: Record<string, TableMapping> = {};
  for (const [table, e] of Object.entries(d.edits)) {
    if (d.selection === 'pick' && !d.picked.includes(table)) continue;
    const m: TableMapping = {};
    if (e.rename.trim()) m.rename = e.rename.trim();
    if (e.where.trim()) m.where = e.where.trim();
    const cols = Object.fromEntries(Object.entries(e.columns).filter(([k, v]) => v.trim() && v.trim() !== k && !e.exclude.includes(k)).map(([k, v]) => [k, v.trim()]));
    if (Object.keys(cols).length) m.columns = cols;
    if (e.exclude.length) m.excludeColumns = e.exclude;
    if (Object.keys(m).length) mapping[table] = m;
  }
  const { cdcStart, ...options } = d.options;
  const cdc = d.mode === 'cdc' || d.mode === 'full_cdc';
  const spec: JobSpec = { mode: d.mode, tables: { include, exclude }, mapping, options: cdc && cdcStart ? { ...options, cdcStart } : options };
  return { name: d.name.trim(), sourceId: d.sourceId, targetId: d.targetId || null, spec };
}

function validateStep(step: number, d: Draft): Record<string, string> {
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
    if (!Number.isInteger(d.options.chunkSize) || d.options.chunkSize < 100 || d.options.chunkSize > 10_000_000) e['chunkSize'] = 'Between 100 and 10,000,000 rows.';
    if (!Number.isInteger(d.options.parallelism) || d.options.parallelism < 1 || d.options.parallelism > 64) e['parallelism'] = 'Between 1 and 64.';
    const cs = d.options.cdcStart;
    if (cs && (d.mode === 'cdc' || d.mode === 'full_cdc')) {
      if (cs.from === 'gtid' && !cs.gtidSet.trim()) e['cdcStart'] = 'Enter the GTID set to start after, e.g. 0-1-1234.';
      if (cs.from === 'lsn' && !/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(cs.lsn.trim())) e['cdcStart'] = 'An LSN looks like 16/B374D848.';
    }
  }
  return e;
}

function SourceCard({ ds, name, checked, onChange, disabled }: { ds: DataSource; name: string; checked: boolean; onChange: () => void; disabled?: boolean }) {
  return (
    <label className="choice" style={disabled ? { opacity: 0.5 } : undefined}>
      <input type="radio" name={name} checked={checked} onChange={onChange} disabled={disabled} />
      <span>
        <span className="choice-title">{ds.name}</span>
        <span className="choice-desc" style={{ display: 'block' }}>
          {KIND_LABEL[ds.kind]}
        </span>
      </span>
    </label>
  );
}

function TableEditor({ table, cols, edit, onChange, errors }: { table: string; cols: DiscoveredTable | undefined; edit: TableEdit; onChange: (e: TableEdit) => void; errors: Record<string, string> }) {
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
                return (
                  <tr key={c.name}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Copy column ${c.name}`}
                        checked={!excluded}
                        disabled={pk}
                        title={pk ? 'Primary key columns are always copied' : undefined}
                        onChange={(e) => onChange({ ...edit, exclude: e.target.checked ? edit.exclude.filter((x) => x !== c.name) : [...edit.exclude, c.name] })}
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
                        aria-invalid={errors[`col:${table}:${c.name}`] ? true : undefined}
                        value={edit.columns[c.name] ?? ''}
                        placeholder={c.name}
                        disabled={excluded}
                        onChange={(e) => onChange({ ...edit, columns: { ...edit.columns, [c.name]: e.target.value } })}
                      />
                      {errors[`col:${table}:${c.name}`] ? <span className="field-error small">{errors[`col:${table}:${c.name}`]}</span> : null}
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

function Section({ title, children, description }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="stack">
      <div>
        <h2>{title}</h2>
        {description ? <p className="muted">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

export default function NewJobPage() {
  const router = useRouter();
  const toast = useToast();
  const { can } = useSession();
  const sources = useQuery(DATA_SOURCES, {});
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<Record<number, boolean>>({});
  const [d, setD] = useState<Draft>({
    name: '',
    sourceId: '',
    targetId: '',
    selection: 'all',
    picked: [],
    include: '*',
    exclude: '',
    edits: {},
    mode: 'full',
    options: DEFAULT_OPTIONS,
  });
  const [discover, discoverState] = useMutation(DISCOVER_DATA_SOURCE);
  const [discovered, setDiscovered] = useState<{ sourceId: string; tables: DiscoveredTable[] } | null>(null);
  const [openTable, setOpenTable] = useState<string | null>(null);
  const [testDs] = useMutation(TEST_DATA_SOURCE);
  const [discoverTarget] = useMutation(DISCOVER_DATA_SOURCE);
  const [preflightState, setPreflightState] = useState<{ loading: boolean; error: unknown }>({ loading: false, error: undefined });
  const [preflightResult, setPreflightResult] = useState<{ checks: PreflightCheck[]; sourceCatalog: Catalog | null } | null>(null);
  const [create, createState] = useMutation(CREATE_JOB);
  const [start, startState] = useMutation(START_JOB);
  const [updateJob, updateState] = useMutation(UPDATE_JOB);
  /** The job the engine's dry run ran as; creating the job reuses it (dryRun turned off). */
  const [dryJobId, setDryJobId] = useState<string | null>(null);
  const [dry, setDry] = useState<EngineDryRun | null>(null);

  const errors = touched[step] ? validateStep(step, d) : {};
  const remote = createState.error instanceof GqlError ? createState.error.fieldErrors() : {};
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((o) => ({ ...o, [k]: v }));
    // Anything that changes the spec invalidates earlier preflight/plan results.
    setPreflightResult(null);
    setDry(null);
  };
  const setOpt = <K extends keyof JobOptions>(k: K, v: JobOptions[K]) => set('options', { ...d.options, [k]: v });

  const all = sources.data?.dataSources ?? [];
  const source = all.find((s) => s.id === d.sourceId);
  const tables = discovered && discovered.sourceId === d.sourceId ? discovered.tables : null;
  const multiSchema = useMemo(() => new Set((tables ?? []).map((t) => t.schema)).size > 1, [tables]);
  const byKey = useMemo(() => new Map((tables ?? []).map((t) => [tableKey(t, multiSchema), t])), [tables, multiSchema]);
  const input = buildInput(d);

  async function runDiscover() {
    if (!d.sourceId) return;
    try {
      const r = await discover({ id: d.sourceId });
      setDiscovered({ sourceId: d.sourceId, tables: readCatalog(r.discoverDataSource.catalog).tables });
    } catch {
      /* shown */
    }
  }

  async function next() {
    setTouched((t) => ({ ...t, [step]: true }));
    if (Object.keys(validateStep(step, d)).length > 0) return;
    const n = step + 1;
    setStep(n);
    if (n === 1 && !tables && source && source.kind !== 'KAFKA') void runDiscover();
    if (n === 3 && !preflightResult) void runPreflight();
  }
  /** Tests both connections and reads both catalogues through agents, then checks the spec against them. */
  async function runPreflight() {
    const target = all.find((x) => x.id === d.targetId);
    if (!source) return;
    setPreflightState({ loading: true, error: undefined });
    try {
      const cat = async (id: string, fn: typeof discover) => readCatalog((await fn({ id })).discoverDataSource.catalog);
      const [sourceTest, targetTest, sourceCatalog, targetCatalog] = await Promise.all([
        testDs({ id: source.id }).then((r) => r.testDataSource),
        target ? testDs({ id: target.id }).then((r) => r.testDataSource) : Promise.resolve(null as TestResult | null),
        source.kind === 'KAFKA' ? Promise.resolve(null) : cat(source.id, discover).catch(() => null),
        target && target.kind !== 'KAFKA' ? cat(target.id, discoverTarget).catch(() => null) : Promise.resolve(null),
      ]);
      if (sourceCatalog) setDiscovered({ sourceId: source.id, tables: sourceCatalog.tables });
      const tcfg = (target?.config ?? {}) as Record<string, unknown>;
      const targetSchema = target?.kind === 'POSTGRES' ? String(tcfg['schema'] ?? 'public') : target?.kind === 'MYSQL' ? String(tcfg['database'] ?? '') : null;
      const checks = preflightChecks({ input, sourceKind: source.kind, targetKind: target?.kind ?? null, sourceTest, targetTest, sourceCatalog, targetCatalog, targetSchema });
      setPreflightResult({ checks, sourceCatalog });
      setPreflightState({ loading: false, error: undefined });
    } catch (e) {
      setPreflightState({ loading: false, error: e });
    }
  }
  const targetDs = all.find((x) => x.id === d.targetId);
  const targetCfg = (targetDs?.config ?? {}) as Record<string, unknown>;
  const planResult =
    preflightResult?.sourceCatalog
      ? dryRunPlan(input, preflightResult.sourceCatalog, targetDs?.kind === 'POSTGRES' ? String(targetCfg['schema'] ?? 'public') : targetDs?.kind === 'MYSQL' ? String(targetCfg['database'] ?? '') : null)
      : null;
  /**
   * The engine's own dry run: the job is saved with options.dryRun and started; an agent plans it
   * (tables, chunks, lossy type mappings, a timed sample read) without writing anything.
   */
  async function runEngineDryRun() {
    const dryInput = { ...input, spec: { ...input.spec, options: { ...input.spec.options, dryRun: true } } };
    setDry({ state: 'running', warnings: [], plan: null, error: null, jobState: null });
    try {
      let id = dryJobId;
      if (id) await updateJob({ id, input: dryInput });
      else {
        id = (await create({ input: dryInput })).createJob.id;
        setDryJobId(id);
      }
      const jobId = id;
      await start({ id: jobId });
      const deadline = Date.now() + 180_000;
      let job: Awaited<ReturnType<typeof request<{ job: JobDetail }, { id: string }>>>['job'] | null = null;
      while (Date.now() < deadline) {
        job = (await request(JOB, { id: jobId })).job;
        setDry((d) => (d ? { ...d, jobState: job?.state ?? null } : d));
        if (['COMPLETED', 'FAILED', 'STOPPED'].includes(job.state)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const logs = (await request(JOB_LOGS, { jobId, first: 100, newestFirst: true })).jobLogs.edges.map((e) => e.node);
      const warnings = logs.filter((l) => l.level === 'WARN' || l.level === 'ERROR').map((l) => l.message).reverse();
      setDry({
        state: job?.state === 'COMPLETED' ? 'done' : 'failed',
        warnings: [...new Set(warnings)],
        plan: (job?.dryRun?.plan as EngineDryRun['plan']) ?? null,
        error: job?.state === 'COMPLETED' ? null : (job?.lastError ?? `the dry run ended ${job?.state.toLowerCase() ?? 'without finishing'}`),
        jobState: job?.state ?? null,
      });
    } catch (e) {
      setDry({ state: 'failed', warnings: [], plan: null, error: e instanceof Error ? e.message : String(e), jobState: null });
    }
  }

  async function submit(andStart: boolean) {
    try {
      const r = dryJobId ? { createJob: (await updateJob({ id: dryJobId, input })).updateJob } : await create({ input });
      const id = r.createJob.id;
      if (andStart) {
        try {
          await start({ id });
          toast(`Job “${r.createJob.name}” created and started`);
        } catch (e) {
          toast(`Job created, but it could not start: ${e instanceof Error ? e.message : String(e)}`, true);
        }
      } else toast(`Job “${r.createJob.name}” saved as draft`);
      router.push(`/jobs/${id}`);
    } catch {
      /* shown */
    }
  }

  if (!can('OPERATOR')) {
    return (
      <>
        <PageHeader title="New job" breadcrumb={<Link href="/jobs">Jobs</Link>} />
        <Alert tone="info" title="Read-only access">
          Your role can view jobs but not create them.
        </Alert>
      </>
    );
  }

  const preflightBlocking = preflightResult ? preflightResult.checks.some((c) => c.status === 'fail') : false;

  return (
    <>
      <PageHeader title="New job" breadcrumb={<Link href="/jobs">Jobs</Link>} description="Six short steps; nothing runs until you start it." />
      <ol className="steps" aria-label="Wizard progress">
        {STEPS.map((s, i) => (
          <li key={s} data-state={i < step ? 'done' : i === step ? 'current' : 'todo'} aria-current={i === step ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <div className="card">
        <div className="card-body">
          <QueryView state={sources}>
            {() => (
              <div className="stack">
                {step === 0 ? (
                  <Section title="Source and target" description="Rows move from the source to the target through one of your agents.">
                    {all.length < 2 ? (
                      <Alert tone="warn" title="You need two data sources">
                        <Link href="/data-sources/new">Create a data source</Link> for the source and one for the target first.
                      </Alert>
                    ) : null}
                    <Field label="Job name" required error={errors['name'] ?? remote['name']}>
                      <input type="text" value={d.name} onChange={(e) => set('name', e.target.value)} maxLength={100} />
                    </Field>
                    <fieldset>
                      <legend>Source</legend>
                      {errors['sourceId'] ? <p className="field-error small">{errors['sourceId']}</p> : null}
                      <div className="choice-grid" role="radiogroup" aria-label="Source">
                        {all.map((s) => (
                          <SourceCard key={s.id} ds={s} name="source" checked={d.sourceId === s.id} onChange={() => set('sourceId', s.id)} />
                        ))}
                      </div>
                    </fieldset>
                    <fieldset>
                      <legend>Target</legend>
                      {errors['targetId'] ? <p className="field-error small">{errors['targetId']}</p> : null}
                      <div className="choice-grid" role="radiogroup" aria-label="Target">
                        {all.map((s) => (
                          <SourceCard key={s.id} ds={s} name="target" checked={d.targetId === s.id} disabled={s.id === d.sourceId} onChange={() => set('targetId', s.id)} />
                        ))}
                      </div>
                    </fieldset>
                  </Section>
                ) : null}

                {step === 1 ? (
                  <Section title="Tables" description="Choose what to copy, rename tables and columns, and filter rows.">
                    <div className="segmented" role="radiogroup" aria-label="Table selection">
                      {(
                        [
                          ['all', 'All tables'],
                          ['pick', 'Pick tables'],
                          ['patterns', 'Include / exclude patterns'],
                        ] as const
                      ).map(([v, l]) => (
                        <label key={v}>
                          <input type="radio" name="selection" checked={d.selection === v} onChange={() => set('selection', v)} />
                          {l}
                        </label>
                      ))}
                    </div>
                    {d.selection === 'patterns' ? (
                      <div className="grid-2">
                        <Field label="Include" hint="Space or comma separated; * and ? are wildcards." error={errors['include']}>
                          <input type="text" value={d.include} onChange={(e) => set('include', e.target.value)} spellCheck={false} />
                        </Field>
                        <Field label="Exclude" hint="Applied after include, e.g. *_tmp audit_*">
                          <input type="text" value={d.exclude} onChange={(e) => set('exclude', e.target.value)} spellCheck={false} />
                        </Field>
                      </div>
                    ) : null}
                    {discoverState.loading ? <Loading label="Reading the source schema through an agent…" /> : null}
                    <ErrorAlert error={discoverState.error} onRetry={() => void runDiscover()} />
                    {errors['tables'] ? <p className="field-error">{errors['tables']}</p> : null}
                    {tables ? (
                      tables.length === 0 ? (
                        <Empty title="The source has no tables" />
                      ) : (
                        <div className="table-wrap">
                          <table className="table" data-testid="wizard-tables">
                            <thead>
                              <tr>
                                {d.selection === 'pick' ? <th>Copy</th> : null}
                                <th>Table</th>
                                <th className="num">Rows (est.)</th>
                                <th>Mapping</th>
                                <th>
                                  <span className="sr-only">Edit</span>
                                </th>
                              </tr>
                            </thead>
                            <tbody>
                              {tables.map((t) => {
                                const key = tableKey(t, multiSchema);
                                const ed = d.edits[key];
                                const changed = ed && (ed.rename || ed.where || ed.exclude.length || Object.values(ed.columns).some(Boolean));
                                return [
                                  <tr key={key}>
                                    {d.selection === 'pick' ? (
                                      <td>
                                        <input
                                          type="checkbox"
                                          aria-label={`Copy table ${key}`}
                                          checked={d.picked.includes(key)}
                                          onChange={(e) => set('picked', e.target.checked ? [...d.picked, key] : d.picked.filter((x) => x !== key))}
                                        />
                                      </td>
                                    ) : null}
                                    <td className="mono">
                                      {key} {t.primaryKey.length === 0 ? <Badge tone="warn">no PK</Badge> : null}
                                    </td>
                                    <td className="num">{t.rowEstimate !== null ? formatNumber(t.rowEstimate) : '—'}</td>
                                    <td className="small">
                                      {changed ? (
                                        <>
                                          {ed.rename ? `→ ${ed.rename} ` : ''}
                                          {ed.where ? <Badge tone="info">filtered</Badge> : null} {ed.exclude.length ? <Badge>{ed.exclude.length} cols skipped</Badge> : null}
                                        </>
                                      ) : (
                                        <span className="muted">as is</span>
                                      )}
                                    </td>
                                    <td className="actions">
                                      <Button size="sm" variant="ghost" aria-expanded={openTable === key} onClick={() => setOpenTable(openTable === key ? null : key)}>
                                        {openTable === key ? 'Close' : 'Map'}
                                      </Button>
                                    </td>
                                  </tr>,
                                  openTable === key ? (
                                    <tr key={`${key}-edit`}>
                                      <td colSpan={d.selection === 'pick' ? 5 : 4}>
                                        <TableEditor
                                          table={key}
                                          cols={byKey.get(key)}
                                          edit={ed ?? { rename: '', where: '', columns: {}, exclude: [] }}
                                          errors={errors}
                                          onChange={(e) => set('edits', { ...d.edits, [key]: e })}
                                        />
                                      </td>
                                    </tr>
                                  ) : null,
                                ];
                              })}
                            </tbody>
                          </table>
                        </div>
                      )
                    ) : !discoverState.loading && source?.kind !== 'KAFKA' ? (
                      <div className="row">
                        <Button onClick={() => void runDiscover()}>Discover tables</Button>
                        <span className="muted small">Needs an online agent that can reach {source?.name}.</span>
                      </div>
                    ) : null}
                  </Section>
                ) : null}

                {step === 2 ? (
                  <Section title="Mode and options">
                    <div className="choice-grid" role="radiogroup" aria-label="Mode">
                      {MODES.map((m) => (
                        <label key={m.mode} className="choice">
                          <input type="radio" name="mode" value={m.spec} checked={d.mode === m.spec} onChange={() => set('mode', m.spec)} />
                          <span>
                            <span className="choice-title">{MODE_LABEL[m.mode]}</span>
                            <span className="choice-desc" style={{ display: 'block' }}>
                              {m.desc}
                            </span>
                          </span>
                        </label>
                      ))}
                    </div>
                    {d.mode === 'cdc' || d.mode === 'full_cdc' ? (
                      <div className="grid-2">
                        <Field label="Start change capture from" hint={d.mode === 'full_cdc' ? 'For full + CDC the start is captured before the first snapshot read.' : undefined}>
                          <select
                            value={d.options.cdcStart?.from ?? 'now'}
                            onChange={(e) => {
                              const from = e.target.value;
                              setOpt('cdcStart', from === 'gtid' ? { from: 'gtid', gtidSet: '' } : from === 'lsn' ? { from: 'lsn', lsn: '' } : { from: 'now' });
                            }}
                          >
                            <option value="now">Now</option>
                            <option value="gtid">A MySQL/MariaDB GTID set</option>
                            <option value="lsn">A PostgreSQL LSN</option>
                          </select>
                        </Field>
                        {d.options.cdcStart?.from === 'gtid' ? (
                          <Field label="GTID set" required error={errors['cdcStart']}>
                            <input type="text" value={d.options.cdcStart.gtidSet} onChange={(e) => setOpt('cdcStart', { from: 'gtid', gtidSet: e.target.value })} spellCheck={false} placeholder="0-1-1234" />
                          </Field>
                        ) : d.options.cdcStart?.from === 'lsn' ? (
                          <Field label="LSN" required error={errors['cdcStart']}>
                            <input type="text" value={d.options.cdcStart.lsn} onChange={(e) => setOpt('cdcStart', { from: 'lsn', lsn: e.target.value })} spellCheck={false} placeholder="16/B374D848" />
                          </Field>
                        ) : null}
                      </div>
                    ) : null}
                    <div className="grid-3">
                      <Field label="If a target table exists">
                        <select value={d.options.existingTable} onChange={(e) => setOpt('existingTable', e.target.value as JobOptions['existingTable'])}>
                          <option value="fail">Fail (safest)</option>
                          <option value="truncate">Truncate it first</option>
                          <option value="upsert">Upsert into it</option>
                        </select>
                      </Field>
                      <Field label="Chunk size (rows)" error={errors['chunkSize']}>
                        <input type="number" min={100} max={10_000_000} value={d.options.chunkSize} onChange={(e) => setOpt('chunkSize', Number(e.target.value))} />
                      </Field>
                      <Field label="Parallel chunks" error={errors['parallelism']}>
                        <input type="number" min={1} max={64} value={d.options.parallelism} onChange={(e) => setOpt('parallelism', Number(e.target.value))} />
                      </Field>
                    </div>
                    <fieldset>
                      <legend>After and around the load</legend>
                      <div className="grid-2">
                        {(
                          [
                            ['verifyAfterLoad', 'Verify after load', 'Compare per-chunk counts and hashes in both databases.'],
                            ['repair', 'Repair mismatches', 'Re-copy only the rows that differ.'],
                            ['createSecondaryIndexes', 'Create secondary indexes', 'Built after the rows are in, for speed.'],
                            ['createForeignKeys', 'Create foreign keys', 'Added after the load.'],
                          ] as const
                        ).map(([k, l, h]) => (
                          <label key={k} className="check">
                            <input type="checkbox" checked={d.options[k]} onChange={(e) => setOpt(k, e.target.checked)} />
                            <span>
                              {l}
                              <span className="muted small" style={{ display: 'block' }}>
                                {h}
                              </span>
                            </span>
                          </label>
                        ))}
                      </div>
                    </fieldset>
                  </Section>
                ) : null}

                {step === 3 ? (
                  <Section title="Preflight" description="The agent checks permissions, settings and table compatibility before anything moves.">
                    {preflightState.loading ? <Loading label="Running preflight checks through an agent…" /> : null}
                    <ErrorAlert error={preflightState.error} onRetry={() => void runPreflight()} />
                    {preflightResult ? (
                      <div className="stack" data-testid="preflight">
                        <Alert tone={preflightBlocking ? 'error' : preflightResult.checks.some((c) => c.status === 'warn') ? 'warn' : 'ok'} title={preflightBlocking ? 'Fix the failing checks first' : 'Preflight passed'}>
                          {preflightResult.checks.filter((c) => c.status === 'ok').length} of {preflightResult.checks.length} checks passed.
                        </Alert>
                        <CheckList
                          items={preflightResult.checks.map((c, i) => ({
                            key: `${i}-${c.name}`,
                            status: c.status,
                            title: c.name,
                            detail: (
                              <>
                                {c.message}
                                {c.fix ? (
                                  <span style={{ display: 'block', marginTop: 6 }}>
                                    <CopyBox value={c.fix} label={`Fix for ${c.name}`} wrap />
                                  </span>
                                ) : null}
                              </>
                            ),
                          }))}
                        />
                        <div>
                          <Button onClick={() => void runPreflight()} loading={preflightState.loading}>
                            Run again
                          </Button>
                        </div>
                      </div>
                    ) : null}
                  </Section>
                ) : null}

                {step === 4 ? (
                  <Section title="Dry-run plan" description="What the job will do, from the source catalogue the agent read. Nothing has moved yet.">
                    {!planResult ? (
                      <Alert tone="info" title="No plan yet">
                        The plan needs the source catalogue. Run the preflight (previous step) with an online agent.
                      </Alert>
                    ) : (
                      <div className="stack" data-testid="plan">
                        <div className="grid-4">
                          <div className="card stat">
                            <div className="stat-label">Tables</div>
                            <div className="stat-value">{planResult.tables.length}</div>
                          </div>
                          <div className="card stat">
                            <div className="stat-label">Rows (est.)</div>
                            <div className="stat-value">{formatNumber(planResult.totalRows)}</div>
                          </div>
                          <div className="card stat">
                            <div className="stat-label">Data (est.)</div>
                            <div className="stat-value">{formatBytes(planResult.totalBytes)}</div>
                          </div>
                          <div className="card stat">
                            <div className="stat-label">Duration (est.)</div>
                            <div className="stat-value">{formatDuration(planResult.estimatedSeconds * 1000)}</div>
                            <div className="stat-sub">at ~{formatNumber(planResult.rate)} rows/s</div>
                          </div>
                        </div>
                        <div className="table-wrap">
                          <table className="table stacked">
                            <thead>
                              <tr>
                                <th>Source table</th>
                                <th>Target table</th>
                                <th className="num">Rows (est.)</th>
                                <th className="num">Size</th>
                                <th className="num">Chunks</th>
                                <th>Notes</th>
                              </tr>
                            </thead>
                            <tbody>
                              {planResult.tables.map((t) => (
                                <tr key={t.source}>
                                  <td data-label="Source" className="mono">
                                    {t.source}
                                  </td>
                                  <td data-label="Target" className="mono">
                                    {t.target}
                                  </td>
                                  <td data-label="Rows" className="num">
                                    {formatNumber(t.rows)}
                                  </td>
                                  <td data-label="Size" className="num">
                                    {formatBytes(t.bytes)}
                                  </td>
                                  <td data-label="Chunks" className="num">
                                    {t.chunks}
                                  </td>
                                  <td data-label="Notes" className="small">
                                    {t.notes.length ? t.notes.join('; ') : <span className="muted">—</span>}
                                  </td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </div>
                        <div className="card" data-testid="engine-dry-run">
                          <div className="card-head">
                            <div>
                              <h2>Engine dry run</h2>
                              <p>An agent plans the job for real: chunk bounds, lossy type mappings and a timed sample read. Nothing is written.</p>
                            </div>
                            <Button onClick={() => void runEngineDryRun()} loading={dry?.state === 'running'}>
                              {dry ? 'Run the dry run again' : 'Run a dry run on an agent'}
                            </Button>
                          </div>
                          {dry ? (
                            <div className="card-body stack-sm">
                              {dry.state === 'running' ? <Loading label={`Dry run ${dry.jobState ? dry.jobState.toLowerCase() : 'starting'}…`} /> : null}
                              {dry.state === 'failed' ? <Alert tone="error" title="The dry run failed">{dry.error}</Alert> : null}
                              {dry.state === 'done' ? (
                                <Alert tone={dry.warnings.length ? 'warn' : 'ok'} title={dry.warnings.length ? `${dry.warnings.length} warning${dry.warnings.length > 1 ? 's' : ''} from the engine` : 'The engine planned the job without warnings'}>
                                  {dry.plan?.estimatedSeconds !== undefined ? (
                                    <>
                                      Engine estimate: {formatDuration(dry.plan.estimatedSeconds * 1000)}
                                      {dry.plan.measuredRowsPerSec ? ` at a measured ${formatNumber(dry.plan.measuredRowsPerSec)} rows/s` : ''}.
                                    </>
                                  ) : null}
                                </Alert>
                              ) : null}
                              {dry.warnings.length ? (
                                <ul className="check-list" data-testid="dry-run-warnings">
                                  {dry.warnings.map((w) => (
                                    <li key={w}>
                                      <span className="check-icon warn" aria-hidden="true">
                                        !
                                      </span>
                                      <span className="small break">{w}</span>
                                    </li>
                                  ))}
                                </ul>
                              ) : null}
                            </div>
                          ) : null}
                        </div>
                      </div>
                    )}
                  </Section>
                ) : null}

                {step === 5 ? (
                  <Section title="Review and create">
                    <dl className="kv">
                      <dt>Name</dt>
                      <dd>{input.name}</dd>
                      <dt>Route</dt>
                      <dd>
                        {all.find((s) => s.id === input.sourceId)?.name} → {all.find((s) => s.id === input.targetId)?.name ?? '—'}
                      </dd>
                      <dt>Mode</dt>
                      <dd>{MODE_LABEL[MODES.find((m) => m.spec === d.mode)?.mode ?? 'FULL']}</dd>
                      <dt>Tables</dt>
                      <dd className="mono">
                        {input.spec.tables.include.join(', ')}
                        {input.spec.tables.exclude.length ? ` (except ${input.spec.tables.exclude.join(', ')})` : ''}
                      </dd>
                      <dt>Mappings</dt>
                      <dd>{Object.keys(input.spec.mapping).length || 'none'}</dd>
                      <dt>Preflight</dt>
                      <dd>{preflightResult ? (preflightBlocking ? <Badge tone="danger">failing checks</Badge> : <Badge tone="ok">passed</Badge>) : <Badge>not run</Badge>}</dd>
                    </dl>
                    <details>
                      <summary className="muted small">Job spec (JSON)</summary>
                      <pre className="block">{JSON.stringify(input.spec, null, 2)}</pre>
                      <p className="muted small">
                        The same spec runs without the control plane: save it as <span className="mono">job.json</span> and run (format: docs/job-spec.md)
                      </p>
                      <CopyBox value={cliRunCommand(all.find((s) => s.id === input.sourceId), all.find((s) => s.id === input.targetId))} label="Standalone command" wrap />
                    </details>
                    <ErrorAlert error={createState.error ?? updateState.error ?? startState.error} />
                  </Section>
                ) : null}

                <div className="row-between" style={{ borderTop: '1px solid var(--border)', paddingTop: 14 }}>
                  <Button disabled={step === 0} onClick={() => setStep((s) => s - 1)}>
                    ← Back
                  </Button>
                  {step < STEPS.length - 1 ? (
                    <Button variant="primary" onClick={() => void next()}>
                      {step === 3 && preflightBlocking ? 'Continue anyway →' : 'Next →'}
                    </Button>
                  ) : (
                    <div className="row">
                      <Button loading={createState.loading && !startState.loading} onClick={() => void submit(false)}>
                        Save as draft
                      </Button>
                      <Button variant="primary" loading={createState.loading || startState.loading} onClick={() => void submit(true)}>
                        Create and start
                      </Button>
                    </div>
                  )}
                </div>
              </div>
            )}
          </QueryView>
        </div>
      </div>
    </>
  );
}
