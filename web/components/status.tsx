import type { JobState } from '../lib/ops/jobs';
import type { Agent } from '../lib/ops/agents';
import { Badge, type Tone } from './ui';

const JOB_TONE: Record<JobState, Tone> = {
  DRAFT: 'neutral',
  QUEUED: 'info',
  RUNNING: 'accent',
  PAUSING: 'warn',
  PAUSED: 'warn',
  STOPPING: 'warn',
  STOPPED: 'neutral',
  COMPLETED: 'ok',
  FAILED: 'danger',
};

/** How a completed job ended, when that is not simply fine (Job.outcome): the badge says so. */
const OUTCOME: Partial<Record<string, { tone: Tone; label: string }>> = {
  DIFFERENCES: { tone: 'warn', label: 'COMPLETED · DIFFERENCES' },
  VERIFICATION_FAILED: { tone: 'danger', label: 'COMPLETED · VERIFICATION FAILED' },
};

export function JobStateBadge({ state, outcome }: { state: JobState; outcome?: string | null | undefined }) {
  const o = state === 'COMPLETED' && outcome ? OUTCOME[outcome] : undefined;
  return (
    <Badge tone={o?.tone ?? JOB_TONE[state] ?? 'neutral'} dot>
      <span data-testid="job-state" data-outcome={outcome ?? undefined}>
        {o?.label ?? state}
      </span>
    </Badge>
  );
}

export function AgentStatusBadge({ agent }: { agent: Pick<Agent, 'online' | 'revokedAt'> }) {
  if (agent.revokedAt) return <Badge tone="danger">revoked</Badge>;
  return agent.online ? (
    <Badge tone="ok" dot>
      online
    </Badge>
  ) : (
    <Badge dot>offline</Badge>
  );
}

export const MODE_LABEL: Record<string, string> = {
  FULL: 'Full load',
  FULL_CDC: 'Full load + CDC',
  CDC: 'CDC only',
  VERIFY: 'Verify only',
};

export const KIND_LABEL: Record<string, string> = { MYSQL: 'MySQL / MariaDB', POSTGRES: 'PostgreSQL', KAFKA: 'Kafka' };
