/**
 * What the chaos suite prints when a pair did NOT recover from a fault: the job's state and last error, its
 * tasks (kind, state, agent, attempts, lease), its latest events, logs and alerts, the checkpoint positions, and
 * the tail of each agent's and the api process's output, so that a CI failure says why the job was stuck.
 */
import type { ChaosCluster } from './cluster';
import type { ChaosPair } from './pairs';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString().slice(11, 23) : v === null || v === undefined ? '-' : String(v));
const cut = (s: unknown, n = 300) => {
  const t = s === null || s === undefined ? '' : String(s);
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

async function rows<T extends Record<string, unknown>>(c: ChaosCluster, sql: string, params: unknown[]): Promise<T[] | string> {
  try {
    return (await c.harness.sql<T>(sql, params)).rows;
  } catch (e) {
    return `(query failed: ${(e as Error).message})`;
  }
}

function table<T extends Record<string, unknown>>(title: string, r: T[] | string, line: (x: T) => string): string {
  if (typeof r === 'string') return `${title}: ${r}`;
  return `${title} (${r.length}):${r.length ? '\n' + r.map((x) => `    ${line(x)}`).join('\n') : ' none'}`;
}

/** A multi-line report of one pair's job as the control plane sees it, plus the processes' output tails. */
export async function diagnose(c: ChaosCluster, p: ChaosPair, tailChars = 4000): Promise<string> {
  const name = (id: unknown) => c.agents.find((a) => a.agentId === id)?.name ?? (id ? String(id).slice(0, 8) : '-');
  const out: string[] = [`=== diagnosis of ${p.label} (job ${p.jobId}) at ${new Date().toISOString()}`];
  const job = await rows(c, 'select state, version, last_error, updated_at, progress from jobs where id = $1', [p.jobId]);
  out.push(
    table(
      'job',
      job,
      (j) =>
        `state ${iso(j.state)} v${iso(j.version)} updated ${iso(j.updated_at)} last_error: ${cut(j.last_error, 600) || '-'} progress: ${cut(JSON.stringify(j.progress), 400)}`,
    ),
  );
  const tasks = await rows(
    c,
    `select id, kind, state, command, agent_id, attempts, lease_epoch, lease_expires_at, now() as now, updated_at, error, progress
       from tasks where job_id = $1 order by created_at`,
    [p.jobId],
  );
  out.push(
    table(
      'tasks',
      tasks,
      (t) =>
        `${String(t.id).slice(0, 8)} ${iso(t.kind)} ${iso(t.state)} cmd=${iso(t.command)} agent=${name(t.agent_id)} attempts=${iso(t.attempts)} epoch=${iso(t.lease_epoch)} ` +
        `lease_expires=${iso(t.lease_expires_at)} (now ${iso(t.now)}) updated=${iso(t.updated_at)} error: ${cut(t.error) || '-'} progress: ${cut(JSON.stringify(t.progress), 300)}`,
    ),
  );
  const cps = await rows(c, 'select task_id, stream, position, updated_at from checkpoints where job_id = $1 order by stream', [p.jobId]);
  const cpsShown =
    typeof cps === 'string'
      ? cps
      : [...cps.filter((x) => !String(x.stream).startsWith('chunk:')), ...cps.filter((x) => String(x.stream).startsWith('chunk:')).slice(-5)];
  out.push(
    table(
      'checkpoints (cdc + the last 5 chunks)',
      cpsShown,
      (x) => `${String(x.task_id).slice(0, 8)} ${iso(x.stream)} at ${iso(x.updated_at)}: ${cut(JSON.stringify(x.position), 300)}`,
    ),
  );
  const events = await rows(c, 'select type, message, data, created_at from job_events where job_id = $1 order by id desc limit 25', [p.jobId]);
  out.push(
    table('latest job events (newest first)', events, (e) => `${iso(e.created_at)} ${iso(e.type)}: ${cut(e.message)} ${cut(JSON.stringify(e.data), 200)}`),
  );
  const logs = await rows(c, 'select level, message, task_id, created_at from job_logs where job_id = $1 order by id desc limit 25', [p.jobId]);
  out.push(
    table('latest job logs (newest first)', logs, (l) => `${iso(l.created_at)} ${iso(l.level)} ${String(l.task_id ?? '-').slice(0, 8)}: ${cut(l.message)}`),
  );
  const alerts = await rows(c, 'select subject, message, opened_at, resolved_at from alert_events where job_id = $1 order by opened_at desc limit 10', [
    p.jobId,
  ]);
  out.push(table('alerts', alerts, (a) => `${iso(a.opened_at)}-${iso(a.resolved_at)} ${iso(a.subject)}: ${cut(a.message)}`));
  const agents = await rows(c, 'select id, name, online, in_flight, last_seen_at from agents order by name', []);
  out.push(table('agents', agents, (a) => `${iso(a.name)} online=${iso(a.online)} in_flight=${iso(a.in_flight)} last seen ${iso(a.last_seen_at)}`));
  out.push(`--- api process (alive: ${c.api?.alive ?? false}), last ${tailChars} chars\n${c.apiOutput.slice(-tailChars)}`);
  for (const a of c.agents)
    out.push(
      `--- agent ${a.name} (running: ${a.running}, kills: ${a.kills}, state: ${a.state() ?? '-'}), last ${tailChars} chars\n${a.output.slice(-tailChars)}`,
    );
  return out.join('\n');
}
