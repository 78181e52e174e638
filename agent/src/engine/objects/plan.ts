/**
 * The plan's schema objects (issue 15 item 3): every object of the selected schema listed as
 * carried (the source's own DDL), translated (the target DDL shown) or not carried (a reason
 * and what to do). Between the same dialect everything the target can hold is carried; across
 * dialects only what translates faithfully (sql-translate.ts). Objects created after the load
 * come with the steps the target runs, in dependency order (sequences, types and domains,
 * routines, checks, generated columns, ON UPDATE, comments, views, triggers last).
 */
import type { ObjectPlanEntry } from '../../protocol/objects-shapes';
import type { Engine, TableInfo } from '../../connectors/catalog';
import type { ObjectCapability, ObjectKind, ObjectStep, SchemaObject } from '../../connectors/objects';
import type { TableMappingResult } from '../type-mapping';
import { mapColumn } from '../type-mapping';
import { translateSql } from './sql-translate';
import { createTableText, mysqlColumnDef, pgOnUpdateTrigger, qid, qstr, shortIdent } from './render';
import { indexEntries, tableCommentEntry } from './plan-tables';

export interface ObjectPlanInput {
  /** What the source discovered (empty when it has no objects capability). */
  objects: SchemaObject[];
  mapped: TableMappingResult[];
  from: Engine;
  to: Engine;
  /** The target's objects capability; undefined when it creates none. */
  target: ObjectCapability | undefined;
  /** The job replicates changes after the load (CDC). */
  cdc: boolean;
}

export interface ObjectPlan {
  entries: ObjectPlanEntry[];
  /** What the target runs after the load, in order; ids are entry ids. */
  steps: ObjectStep[];
}

const ORDER: Partial<Record<ObjectKind, number>> = {
  sequence: 0,
  enum: 1,
  domain: 2,
  function: 3,
  procedure: 3,
  check: 4,
  generated_column: 5,
  on_update: 6,
  comment: 7,
  view: 8,
  materialized_view: 8,
  trigger: 9,
};

const CROSS_ROUTINE = 'its body is procedural code in the source dialect; there is no faithful automatic translation to the target dialect';

export function planObjects(input: ObjectPlanInput): ObjectPlan {
  const { from, to, mapped } = input;
  const same = from === to;
  const entries: ObjectPlanEntry[] = [];
  const stepsOf = new Map<string, { order: number; statements: string[] }>();
  const byTable = new Map(mapped.map((m) => [m.source.name, m]));
  const can = (k: ObjectKind) => !!input.target?.kinds.includes(k);
  const tname = (t: string | undefined) => byTable.get(t ?? '')?.target.name ?? t ?? '';
  const srcCol = (o: SchemaObject) => byTable.get(o.table ?? '')?.source.columns.find((c) => c.name === o.column);
  const tgtCol = (table: string | undefined, column: string | undefined) => byTable.get(table ?? '')?.columns.find((c) => c.source.name === column)?.target;
  /** MySQL column redefinitions must carry both a comment and ON UPDATE (MODIFY replaces the whole column). */
  const mysqlExtras = new Map<string, { onUpdate?: string; comment?: string }>();

  const add = (e: Omit<ObjectPlanEntry, 'id' | 'ddl'> & { ddl?: string[] }, after?: string[]) => {
    const id = `${e.kind}:${e.name}`;
    const ddl = e.ddl ?? [];
    const entry: ObjectPlanEntry = { id, ...e, ddl };
    entries.push(entry);
    if (after && e.status !== 'not_carried') {
      entry.when = 'after_load';
      stepsOf.set(id, { order: ORDER[e.kind] ?? 10, statements: after });
    }
    return entry;
  };
  const notCarried = (o: SchemaObject, name: string, reason: string, fix: string, extra: Partial<ObjectPlanEntry> = {}) =>
    add({ kind: o.kind, name, ...(o.table ? { table: o.table } : {}), status: 'not_carried', sourceDdl: o.ddl, reason, fix, ...extra });
  const noTarget = (k: ObjectKind) => `the target has no ${k.replace(/_/g, ' ')}s`;

  // tables (with their comments, enum/set columns and indexes the table DDL carries)
  for (const m of mapped) {
    add({
      kind: 'table',
      name: m.source.name,
      table: m.source.name,
      status: same ? 'carried' : 'translated',
      when: 'with_tables',
      ddl: [createTableText(m.target, to)],
      ...(same ? {} : { note: 'column types follow the type mapping (docs/type-mapping.md); lossy ones are listed in the warnings' }),
    });
    const tc = tableCommentEntry(m, same, to);
    if (tc) add(tc);
    for (const c of m.columns) {
      const k = c.source.type.kind;
      if ((k !== 'enum' && k !== 'set') || c.source.type.enumTypeName) continue;
      add({
        kind: k,
        name: `${m.source.name}.${c.source.name}`,
        table: m.source.name,
        status: same ? 'carried' : 'translated',
        when: 'with_tables',
        ddl: [`${qid(c.target.name, to)} ${c.target.sqlType}`],
        ...(c.target.createEnum ? { note: `the type ${c.target.createEnum.name} is created with the table` } : {}),
        ...(c.lossy ? { reason: c.lossy } : {}),
      });
    }
    for (const ie of indexEntries(m, same, can)) add(ie);
  }

  for (const o of input.objects) {
    const t = tname(o.table);
    switch (o.kind) {
      case 'view':
      case 'materialized_view': {
        if (same && can(o.kind)) {
          add({ kind: o.kind, name: o.name, status: 'carried', ddl: [o.ddl] }, [o.ddl]);
          break;
        }
        const tr = translateSql(o.definition ?? '', from, to);
        if (o.kind === 'view' && can('view') && tr.ok) {
          const ddl = `CREATE VIEW ${qid(o.name, to)} AS ${tr.sql}`;
          add({ kind: 'view', name: o.name, status: 'translated', ddl: [ddl], sourceDdl: o.ddl }, [ddl]);
        } else if (!can(o.kind)) {
          const suggestion = tr.ok ? `: CREATE TABLE ${qid(o.name, to)} AS ${tr.sql}` : '';
          notCarried(o, o.name, noTarget(o.kind), `create a table from its query on the target, or a plain view, and refresh it yourself${suggestion}`);
        } else
          notCarried(
            o,
            o.name,
            `its SQL does not translate: ${tr.ok ? 'unknown' : tr.reason}`,
            'write the view for the target by hand from the source SQL shown',
          );
        break;
      }
      case 'function':
      case 'procedure':
        if (o.unreadable)
          notCarried(
            o,
            o.name,
            `its definition could not be read: ${o.unreadable}`,
            'grant the source user the right to read routine bodies (or use the definer), or create it on the target by hand',
          );
        else if (same && can(o.kind)) add({ kind: o.kind, name: o.name, status: 'carried', ddl: [o.ddl] }, [o.ddl]);
        else notCarried(o, o.name, CROSS_ROUTINE, 'rewrite it for the target by hand from the source DDL shown');
        break;
      case 'trigger':
        if (!same || !can('trigger')) notCarried(o, o.name, CROSS_ROUTINE, 'rewrite it for the target by hand from the source DDL shown');
        else if (input.cdc)
          notCarried(
            o,
            o.name,
            'the job replicates changes (CDC): what the source trigger did arrives with them, and the same trigger on the target would do it a second time',
            'create it on the target at cutover, when replication stops, with the DDL shown',
          );
        else
          add(
            {
              kind: 'trigger',
              name: o.name,
              table: o.table!,
              status: 'carried',
              ddl: [o.ddl],
              note: 'created after the load, so it does not fire on the loaded rows (a rerun into tables that already have it fires it on the rows it rewrites)',
            },
            [o.ddl],
          );
        break;
      case 'sequence': {
        if (!same || !can('sequence')) {
          notCarried(
            o,
            o.name,
            noTarget('sequence'),
            `use an AUTO_INCREMENT column or a counter table${o.lastValue ? `; its last value was ${o.lastValue}` : ''}`,
          );
          break;
        }
        const ddl = [
          o.ddl,
          ...(o.lastValue !== null && o.lastValue !== undefined ? [`SELECT setval(${qstr(qid(o.name, to), to)}, ${o.lastValue}, true)`] : []),
        ];
        add({ kind: 'sequence', name: o.name, status: 'carried', ddl, note: 'its value is set to the source value read when the job planned' }, ddl);
        break;
      }
      case 'enum': {
        const used = mapped.flatMap((m) => m.columns.filter((c) => c.source.type.enumTypeName === o.name).map((c) => ({ m, c })));
        if (same && used.length)
          add({ kind: 'enum', name: o.name, status: 'carried', when: 'with_tables', ddl: [o.ddl], note: 'created with the first table that uses it' });
        else if (same && can('enum')) {
          const ddl = `DO $sluice$ BEGIN ${o.ddl}; EXCEPTION WHEN duplicate_object THEN NULL; END $sluice$`;
          add({ kind: 'enum', name: o.name, status: 'carried', ddl: [o.ddl] }, [ddl]);
        } else if (used.length)
          add({
            kind: 'enum',
            name: o.name,
            status: 'translated',
            when: 'with_tables',
            sourceDdl: o.ddl,
            ddl: used.map(({ m, c }) => `${qid(m.target.name, to)}.${qid(c.target.name, to)} ${c.target.sqlType}`),
            note: 'each column that uses it carries its values',
          });
        else
          notCarried(o, o.name, 'the target has no standalone enum types and no selected column uses it', 'declare the values on the columns that need them');
        break;
      }
      case 'domain':
        planDomain(o);
        break;
      case 'check': {
        const ddl = same ? o.ddl.replace(/^ALTER TABLE (?:"(?:[^"]|"")+"|`(?:[^`]|``)+`)/, `ALTER TABLE ${qid(t, to)}`) : undefined;
        if (ddl && can('check')) add({ kind: 'check', name: `${o.table}.${o.name}`, table: o.table!, status: 'carried', ddl: [ddl] }, [ddl]);
        else {
          const tr = translateSql(o.definition ?? '', from, to);
          if (tr.ok && can('check')) {
            const d = `ALTER TABLE ${qid(t, to)} ADD CONSTRAINT ${qid(o.name, to)} CHECK (${tr.sql})`;
            add({ kind: 'check', name: `${o.table}.${o.name}`, table: o.table!, status: 'translated', ddl: [d], sourceDdl: o.ddl }, [d]);
          } else
            notCarried(
              o,
              `${o.table}.${o.name}`,
              tr.ok ? noTarget('check') : `its expression does not translate: ${tr.reason}`,
              'add the constraint on the target by hand',
            );
        }
        break;
      }
      case 'generated_column':
        planGenerated(o);
        break;
      case 'on_update': {
        const name = `${o.table}.${o.column}`;
        const col = tgtCol(o.table, o.column);
        const clause = `ON UPDATE CURRENT_TIMESTAMP${o.fsp ? `(${o.fsp})` : ''}`;
        if (!col) notCarried(o, name, 'its column is not copied (excluded by the mapping)', 'nothing to do, or copy the column');
        else if (to === 'mysql') {
          const extra = { ...mysqlExtras.get(name), onUpdate: clause };
          mysqlExtras.set(name, extra);
          const d = `ALTER TABLE ${qid(t, to)} MODIFY ${mysqlColumnDef(col, extra)}`;
          add({ kind: 'on_update', name, table: o.table!, status: same ? 'carried' : 'translated', ddl: [d] }, [d]);
        } else {
          const ddl = pgOnUpdateTrigger(t, col.name, o.fsp ?? 0);
          add(
            {
              kind: 'on_update',
              name,
              table: o.table!,
              status: 'translated',
              ddl,
              sourceDdl: o.ddl,
              note: "a BEFORE UPDATE trigger sets the column to the current time when an update changes the row without setting it (MySQL's rule); created after the load",
            },
            ddl,
          );
        }
        break;
      }
      default:
        notCarried(o, o.name, `the engine does not know how to carry a ${o.kind}`, 'create it on the target by hand');
    }
  }

  // column comments
  for (const m of mapped)
    for (const c of m.columns) {
      if (!c.source.comment) continue;
      const name = `${m.source.name}.${c.source.name}`;
      let ddl: string;
      if (to === 'mysql') {
        const extra = { ...mysqlExtras.get(name), comment: c.source.comment };
        mysqlExtras.set(name, extra);
        ddl = `ALTER TABLE ${qid(m.target.name, to)} MODIFY ${mysqlColumnDef(c.target, extra)}`;
        // an ON UPDATE planned earlier must keep the comment too
        const ou = entries.find((e) => e.id === `on_update:${name}`);
        if (ou) ou.ddl = [ddl];
        if (stepsOf.has(`on_update:${name}`)) stepsOf.get(`on_update:${name}`)!.statements = [ddl];
      } else ddl = `COMMENT ON COLUMN ${qid(m.target.name, to)}.${qid(c.target.name, to)} IS ${qstr(c.source.comment, to)}`;
      if (can('comment')) add({ kind: 'comment', name, table: m.source.name, status: same ? 'carried' : 'translated', ddl: [ddl] }, [ddl]);
      else add({ kind: 'comment', name, table: m.source.name, status: 'not_carried', ddl: [], reason: noTarget('comment'), fix: 'nothing to do' });
    }

  if (!input.target) {
    for (const e of entries)
      if (e.when === 'after_load') {
        Object.assign(e, { status: 'not_carried', reason: 'the target cannot create schema objects', fix: 'create it on the target by hand', when: undefined });
        stepsOf.delete(e.id);
      }
  }
  const steps = orderViews([...stepsOf.entries()], input.objects).map(([id, s]) => ({ id, statements: s.statements }));
  return { entries, steps };

  function planDomain(o: SchemaObject): void {
    const uses = (o.usedBy ?? []).map((u) => ({ table: u.slice(0, u.lastIndexOf('.')), column: u.slice(u.lastIndexOf('.') + 1) }));
    if (same && can('domain')) {
      const ddl = [
        o.ddl,
        ...uses.map(
          (u) => `ALTER TABLE ${qid(tname(u.table), to)} ALTER COLUMN ${qid(tgtCol(u.table, u.column)?.name ?? u.column, to)} TYPE ${qid(o.name, to)}`,
        ),
      ];
      add(
        {
          kind: 'domain',
          name: o.name,
          status: 'carried',
          ddl,
          note: uses.length ? 'its columns are loaded as the base type, then typed with the domain' : undefined,
        },
        ddl,
      );
      return;
    }
    if (!uses.length) {
      notCarried(o, o.name, `${noTarget('domain')} and no selected column uses it`, 'declare its base type and CHECK on the columns that need them');
      return;
    }
    const ddl: string[] = [];
    for (const u of uses) {
      const col = tgtCol(u.table, u.column);
      if (!col) continue;
      if (o.definition) {
        const tr = translateSql(o.definition, from, to, col.name);
        if (!tr.ok) {
          notCarried(o, o.name, `its CHECK does not translate: ${tr.reason}`, `add a CHECK on ${uses.map((x) => `${x.table}.${x.column}`).join(', ')} by hand`);
          return;
        }
        ddl.push(`ALTER TABLE ${qid(tname(u.table), to)} ADD CONSTRAINT ${qid(shortIdent(`${tname(u.table)}_${col.name}_${o.name}`), to)} CHECK (${tr.sql})`);
      }
      if (o.nullable === false && to === 'mysql') ddl.push(`ALTER TABLE ${qid(tname(u.table), to)} MODIFY ${mysqlColumnDef(col, { notNull: true })}`);
    }
    add(
      {
        kind: 'domain',
        name: o.name,
        status: 'translated',
        ddl,
        sourceDdl: o.ddl,
        note: `its columns use the base type ${o.nativeType ?? ''} with the domain's CHECK`,
      },
      ddl.length ? ddl : undefined,
    );
  }

  function planGenerated(o: SchemaObject): void {
    const name = `${o.table}.${o.column}`;
    const m = byTable.get(o.table ?? '');
    const col = srcCol(o);
    if (!m || !col) return void notCarried(o, name, 'its table is not copied', 'nothing to do');
    if (!can('generated_column')) return void notCarried(o, name, noTarget('generated_column'), 'add the column on the target by hand');
    const tr = same ? ({ ok: true, sql: o.definition ?? '' } as const) : translateSql(o.definition ?? '', from, to);
    if (!tr.ok)
      return void notCarried(o, name, `its expression does not translate: ${tr.reason}`, 'add the column on the target by hand from the expression shown');
    const type = same ? col.nativeType : mapColumn(m.source as TableInfo, col, from, to, col.name, m.target.name).target.sqlType;
    const stored = o.stored !== false || !input.target?.virtualColumns;
    const ddl = `ALTER TABLE ${qid(m.target.name, to)} ADD COLUMN ${qid(col.name, to)} ${type} GENERATED ALWAYS AS (${tr.sql}) ${stored ? 'STORED' : 'VIRTUAL'}`;
    const virtualToStored = o.stored === false && stored;
    add(
      {
        kind: 'generated_column',
        name,
        table: o.table!,
        status: same && !virtualToStored ? 'carried' : 'translated',
        ddl: [ddl],
        ...(same ? {} : { sourceDdl: o.ddl }),
        note: `added after the load and computed by the target${virtualToStored ? '; VIRTUAL becomes STORED (the target has only stored generated columns)' : ''}`,
      },
      [ddl],
    );
  }
}

/** After-load steps by kind, views after the views they read. */
function orderViews(steps: [string, { order: number; statements: string[] }][], objects: SchemaObject[]): [string, { order: number; statements: string[] }][] {
  const sorted = [...steps].sort((a, b) => a[1].order - b[1].order);
  const views = objects.filter((o) => o.kind === 'view' || o.kind === 'materialized_view');
  const idOf = (o: SchemaObject) => `${o.kind}:${o.name}`;
  const deps = new Map(
    views.map((v) => [
      idOf(v),
      views.filter((w) => w !== v && new RegExp(`(^|[^\\w$])${w.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w$]|$)`).test(v.definition ?? '')).map(idOf),
    ]),
  );
  const out: typeof steps = [];
  const done = new Set<string>();
  let rest = sorted;
  while (rest.length) {
    const ready = rest.filter(([id]) => (deps.get(id) ?? []).every((d) => done.has(d) || !rest.some(([r]) => r === d)) || false);
    const next = ready.length ? ready[0]! : rest[0]!;
    out.push(next);
    done.add(next[0]);
    rest = rest.filter((s) => s !== next);
  }
  return out;
}
