/**
 * Every subcommand's options in one table: parseArgs reads them and `--help` prints them, so
 * the help can never miss an option the command takes.
 */
import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../runtime/version';

export class UsageError extends Error {}

export interface OptionDef {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. URL. */
  arg?: string;
  env?: string;
  help: string;
}

export interface CommandDef {
  usage: string;
  summary: string;
  options: Record<string, OptionDef>;
  /** Extra text after the options (exit codes, examples). */
  footer?: string;
}

const logLevel: OptionDef = { type: 'string', arg: 'LEVEL', env: 'SLUICE_AGENT_LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' };
const credentials: OptionDef = { type: 'string', arg: 'PATH', env: 'SLUICE_AGENT_CREDENTIALS', help: 'credential file (default ~/.sluice/agent.json)' };
const ca: OptionDef = { type: 'string', arg: 'PATH', env: 'SLUICE_AGENT_CA', help: 'extra CA certificate (PEM) to trust for https/wss' };
const help: OptionDef = { type: 'boolean', help: 'show this help' };

export const RUN_EXIT_CODES = `Exit codes:
  0    success: loaded (and verified, when verifyAfterLoad), or already finished on an earlier run
  1    the job failed (connection, schema, load or CDC error); a rerun resumes from the state file
  2    bad usage or an invalid spec (nothing was run)
  4    verification found rows that differ and repair was off (report only)
  5    rows still differ after repair
  6    verification could not complete for a table (its error is in the summary)
  130  interrupted (Ctrl-C / SIGTERM) at a checkpoint; a rerun resumes`;

export const COMMANDS: Record<'register' | 'start' | 'run' | 'status' | 'kafka' | 'schema', CommandDef> = {
  register: {
    usage: 'sluice-agent register --api URL --token srt_... [--name NAME] [--credentials PATH]',
    summary: 'Register this machine with the control plane (once); writes a 0600 credential file.',
    options: {
      api: { type: 'string', arg: 'URL', env: 'SLUICE_API_URL', help: 'control plane URL, e.g. https://sluice.example.com' },
      token: { type: 'string', arg: 'srt_...', env: 'SLUICE_AGENT_TOKEN', help: 'registration token from the portal (single use)' },
      name: { type: 'string', arg: 'NAME', env: 'SLUICE_AGENT_NAME', help: "agent name shown in the portal (default: the token's name, else the host name)" },
      credentials,
      ca,
      force: { type: 'boolean', help: 'replace an existing credential file (registers a new agent)' },
      'log-level': logLevel,
      help,
    },
  },
  start: {
    usage: 'sluice-agent start [--credentials PATH] [--capacity N]',
    summary: 'Connect to the control plane and run the tasks it assigns (outbound connections only).',
    options: {
      api: { type: 'string', arg: 'URL', env: 'SLUICE_API_URL', help: 'override the api URL stored in the credential' },
      credentials,
      capacity: { type: 'string', arg: 'N', env: 'SLUICE_AGENT_CAPACITY', help: 'tasks run at once (default 4)' },
      ca,
      'status-file': {
        type: 'string',
        arg: 'PATH',
        env: 'SLUICE_AGENT_STATUS_FILE',
        help: 'where the agent writes its state (default next to the credential)',
      },
      'log-level': logLevel,
      help,
    },
    footer: 'Exit codes: 0 drained after SIGTERM, 1 crashed, 2 bad configuration, 3 refused by the control plane (revoked or unknown agent).',
  },
  run: {
    usage: 'sluice-agent run --spec job.json [--source URL] [--target URL] [--json] [--restart] [--dry-run] [--out-of-range POLICY]',
    summary: `Run one job standalone, without a control plane. The spec is either a standalone spec
({ source, target, job }) or the job spec the portal's wizard shows ({ mode, tables, mapping, options })
with the connections given by --source and --target. Format: docs/job-spec.md, JSON Schema:
docs/job-spec.schema.json. Checkpoints go to a state file: a rerun resumes an interrupted run, and
says so and exits 0 when the job already finished.`,
    options: {
      spec: { type: 'string', arg: 'FILE', help: 'the job spec (JSON); "-" reads standard input' },
      source: { type: 'string', arg: 'URL', help: 'source connection, e.g. mysql://user@host:3306/db (password: SLUICE_SOURCE_PASSWORD or in the URL)' },
      target: { type: 'string', arg: 'URL', help: 'target connection, e.g. postgres://user@host:5432/db?schema=public (password: SLUICE_TARGET_PASSWORD)' },
      'state-file': { type: 'string', arg: 'PATH', help: "where checkpoints are kept (default: the spec's stateFile, else ./.sluice-state-<jobId>.json)" },
      restart: { type: 'boolean', help: 'ignore the state file and start over (existing target tables are truncated and reloaded)' },
      'dry-run': {
        type: 'boolean',
        help: 'plan only (the same as options.dryRun): tables, chunks, estimate, warnings and every schema object carried, translated or not; writes nothing',
      },
      'out-of-range': {
        type: 'string',
        arg: 'POLICY',
        help: "values the target can't hold: dead-letter (default: the row goes to _sluice_rejects), fail, null or clamp (overrides options.outOfRange)",
      },
      json: { type: 'boolean', help: 'print one JSON document with the result on stdout (progress and logs stay on stderr)' },
      quiet: { type: 'boolean', help: 'no progress, only warnings and errors on stderr' },
      'log-level': { type: 'string', arg: 'LEVEL', help: 'debug|info|warn|error: the engine messages shown on stderr (default info)' },
      receipt: { type: 'string', arg: 'PATH', help: 'where the signed correctness receipt goes (default: next to the spec, <jobId>.receipt.json)' },
      credentials: { ...credentials, help: "signs the receipt with this agent's key (default ~/.sluice/agent.json; else a local receipt key beside it)" },
      help,
    },
    footer: RUN_EXIT_CODES,
  },
  kafka: {
    usage: 'sluice-agent kafka translate-offsets --spec job.json [--group G] [--dry-run] [--every SECONDS] [--json]',
    summary: `Consumer switch-over for a Kafka -> Kafka job: translate the committed offsets of its consumer groups
(job.kafka.consumerGroups, or --group) from the source cluster to the target, exactly, from the offset syncs
the job writes on the target, and set them on the target's groups. A group with active members on the
target is left alone; an offset already ahead on the target is never moved back. docs/kafka-switch-over.md.`,
    options: {
      spec: { type: 'string', arg: 'FILE', help: 'the standalone spec of the Kafka -> Kafka job (its jobId, source, target and job.kafka)' },
      group: { type: 'string', arg: 'G[,G2]', help: 'translate these groups instead of job.kafka.consumerGroups' },
      'dry-run': { type: 'boolean', help: 'translate and print, write nothing' },
      every: { type: 'string', arg: 'SECONDS', help: 'repeat every SECONDS until Ctrl-C (while the job is live)' },
      json: { type: 'boolean', help: 'print the outcome as JSON (offsets as decimal text)' },
      help,
    },
    footer:
      'Exit codes: 0 every group translated (or nothing to do), 1 an error, 2 bad usage, 3 a group was left alone (active on the target) or a partition could not be translated yet.',
  },
  schema: {
    usage: 'sluice-agent schema list|approve --job ID [--change ID] [--api URL] [--api-key KEY] [--json]',
    summary: `Schema changes a CDC job holds for approval (tables whose schemaChanges policy is pause): list them with
the target DDL each proposes, or approve one; the running job then applies it and releases the table's changes.`,
    options: {
      api: { type: 'string', arg: 'URL', env: 'SLUICE_API_URL', help: 'control plane URL, e.g. https://sluice.example.com' },
      'api-key': { type: 'string', arg: 'KEY', env: 'SLUICE_API_KEY', help: 'an API key of the tenant (operator role to approve)' },
      job: { type: 'string', arg: 'ID', help: 'the job id' },
      change: { type: 'string', arg: 'ID', help: 'approve: the change id that list shows' },
      ca,
      json: { type: 'boolean', help: 'machine-readable output' },
      help,
    },
    footer: 'Exit codes: 0 done, 1 the control plane refused (the message says why), 2 bad usage.',
  },
  status: {
    usage: 'sluice-agent status [--credentials PATH] [--json]',
    summary: "Show this agent's credential, connection state, tasks in flight and last heartbeat (exit 0 when connected).",
    options: {
      credentials,
      'status-file': { type: 'string', arg: 'PATH', env: 'SLUICE_AGENT_STATUS_FILE', help: 'the state file start writes (default next to the credential)' },
      json: { type: 'boolean', help: 'machine-readable output' },
      help,
    },
  },
};

export function commandHelp(name: keyof typeof COMMANDS): string {
  const c = COMMANDS[name];
  const withEnv = Object.values(c.options).some((o) => o.env);
  const rows = Object.entries(c.options).map(([k, o]) => {
    const flag = `--${k}${o.arg ? ` ${o.arg}` : ''}`;
    return `  ${flag.padEnd(22)} ${withEnv ? `${(o.env ?? '').padEnd(26)} ` : ''}${o.help}`;
  });
  const head = withEnv ? 'Options (flag, environment variable, meaning; flags win):' : 'Options:';
  return `Usage: ${c.usage}\n\n${c.summary}\n\n${head}\n${rows.join('\n')}\n${c.footer ? `\n${c.footer}\n` : ''}`;
}

export const MAIN_HELP = `sluice-agent ${AGENT_VERSION}: runs Sluice data movement inside your network (outbound connections only).

Usage:
  sluice-agent register --api URL --token srt_...   register this machine (once); writes a 0600 credential file
  sluice-agent start                                connect to the control plane and run assigned tasks
  sluice-agent run --spec job.json                  run one job standalone, without a control plane
  sluice-agent status [--json]                      show this agent's credential and connection state
  sluice-agent kafka translate-offsets --spec F     move consumer groups' offsets to a Kafka job's target
  sluice-agent schema list|approve --job ID         schema changes a CDC job holds for approval
  sluice-agent receipt verify FILE                  check a run's signed correctness receipt offline
  sluice-agent --version                            the agent version

"sluice-agent <command> --help" lists every option of a command.
`;

export function parseFlags(command: keyof typeof COMMANDS, args: string[]): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(
    Object.entries(COMMANDS[command].options).map(([k, o]) => [k, k === 'help' ? { type: o.type, short: 'h' } : { type: o.type }]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (sluice-agent ${command} --help lists the options)`);
  }
}
