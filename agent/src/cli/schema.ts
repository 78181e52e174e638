/**
 * `sluice-agent schema list|approve`: the schema changes a CDC job holds for approval (policy pause),
 * through the control plane's GraphQL api with an API key (Job.pendingSchemaChanges, approveSchemaChange).
 */
import { readFileSync } from 'node:fs';
import { postJson } from '../runtime/http';
import { UsageError, commandHelp, parseFlags } from './options';

/** A schema change a job holds for approval (Job.pendingSchemaChanges). */
export interface PendingSchemaChange {
  changeId: string;
  table: string;
  statement: string | null;
  proposal: string[];
  approved: boolean;
}

const FIELDS = 'changeId table statement proposal approved';

async function gql<T>(api: string, key: string, ca: Buffer | undefined, query: string, variables: Record<string, unknown>): Promise<T> {
  const url = new URL('/graphql', api).toString();
  let res: { status: number; body: unknown };
  try {
    res = await postJson(url, { query, variables }, { ...(ca ? { ca } : {}), headers: { authorization: `Bearer ${key}` } });
  } catch (e) {
    throw new UsageError(`cannot reach the control plane at ${api}: ${(e as Error).message}. Check --api and that the api is running.`);
  }
  const body = (res.body ?? {}) as { data?: T | null; errors?: { message?: string; extensions?: { fix?: string } }[] };
  if (body.errors?.length) {
    throw new Error(body.errors.map((e) => `${e.message ?? 'error'}${e.extensions?.fix ? ` (${e.extensions.fix})` : ''}`).join('; '));
  }
  if (res.status !== 200 || !body.data) throw new Error(`HTTP ${res.status} from ${url} (is --api the Sluice api's URL?)`);
  return body.data;
}

function show(p: PendingSchemaChange): string {
  return `${p.changeId}  ${p.table}${p.approved ? '  (approved, applying)' : ''}\n  source: ${p.statement ?? '?'}\n  target: ${p.proposal.join('; ') || '(nothing to change)'}\n`;
}

export async function schemaCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(commandHelp('schema'));
    return sub ? 0 : 2;
  }
  const f = parseFlags('schema', rest);
  if (f.help) {
    process.stdout.write(commandHelp('schema'));
    return 0;
  }
  const api = (f.api as string | undefined) ?? process.env.SLUICE_API_URL;
  const key = (f['api-key'] as string | undefined) ?? process.env.SLUICE_API_KEY;
  const job = f.job as string | undefined;
  if (!api) throw new UsageError('--api URL (or SLUICE_API_URL) is required: the control plane to ask');
  if (!key) throw new UsageError('--api-key KEY (or SLUICE_API_KEY) is required: create one in the portal under API keys');
  if (!job) throw new UsageError('--job ID is required (the job page shows it)');
  const caPath = (f.ca as string | undefined) ?? process.env.SLUICE_AGENT_CA;
  const ca = caPath ? readFileSync(caPath) : undefined;
  if (sub === 'list') {
    const d = await gql<{ job: { pendingSchemaChanges: PendingSchemaChange[] } | null }>(
      api,
      key,
      ca,
      `query($id: ID!) { job(id: $id) { pendingSchemaChanges { ${FIELDS} } } }`,
      {
        id: job,
      },
    );
    const list = d.job?.pendingSchemaChanges ?? [];
    process.stdout.write(f.json ? `${JSON.stringify(list)}\n` : list.length ? list.map(show).join('') : 'no schema change awaits approval\n');
    return 0;
  }
  if (sub === 'approve') {
    const change = f.change as string | undefined;
    if (!change) throw new UsageError('--change ID is required: sluice-agent schema list --job ID shows the ids');
    const d = await gql<{ approveSchemaChange: PendingSchemaChange }>(
      api,
      key,
      ca,
      `mutation($id: ID!, $c: String!) { approveSchemaChange(jobId: $id, changeId: $c) { ${FIELDS} } }`,
      { id: job, c: change },
    );
    process.stdout.write(f.json ? `${JSON.stringify(d.approveSchemaChange)}\n` : `approved:\n${show(d.approveSchemaChange)}`);
    return 0;
  }
  throw new UsageError(`unknown schema subcommand "${sub}": use list or approve (sluice-agent schema --help)`);
}
