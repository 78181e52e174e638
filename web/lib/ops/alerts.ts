import { gql } from '../gql';

export type AlertKind = 'JOB_FAILED' | 'LAG' | 'RETENTION' | 'VERIFICATION_MISMATCH' | 'AGENT_OFFLINE';
export const ALERT_KINDS: AlertKind[] = ['JOB_FAILED', 'LAG', 'RETENTION', 'VERIFICATION_MISMATCH', 'AGENT_OFFLINE'];

/** How each kind reads, and what its threshold means (null: it takes none). */
export const KIND_INFO: Record<AlertKind, { label: string; threshold: { label: string; unit: string; required: boolean; placeholder: string } | null; jobScope: boolean }> = {
  JOB_FAILED: { label: 'Job failed', threshold: null, jobScope: true },
  LAG: { label: 'Replication lag above', threshold: { label: 'Lag above', unit: 'seconds', required: true, placeholder: '60' }, jobScope: true },
  RETENTION: { label: 'Log retention below', threshold: { label: 'Time until the source purges logs, below', unit: 'hours', required: true, placeholder: '24' }, jobScope: true },
  VERIFICATION_MISMATCH: { label: 'Verification mismatch', threshold: null, jobScope: true },
  AGENT_OFFLINE: { label: 'Agent offline', threshold: { label: 'Offline for more than', unit: 'seconds', required: false, placeholder: '60' }, jobScope: false },
};

export function describeRule(r: { kind: AlertKind; threshold: number | null }): string {
  const i = KIND_INFO[r.kind];
  if (!i.threshold || r.threshold === null) return i.label;
  return `${i.label} ${r.threshold} ${i.threshold.unit}`.replace('Agent offline', 'Agent offline for more than');
}

export interface AlertRule {
  id: string;
  name: string;
  kind: AlertKind;
  scope: 'TENANT' | 'JOB';
  jobId: string | null;
  job: { id: string; name: string } | null;
  threshold: number | null;
  webhookUrl: string;
  webhookHost: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
const RULE_FIELDS = 'id name kind scope jobId job { id name } threshold webhookUrl webhookHost enabled createdAt updatedAt';

export interface AlertDelivery {
  id: string;
  ruleId: string;
  type: string;
  state: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextRetryAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog: { at: string; statusCode: number | null; error: string | null; durationMs: number }[];
}
const DELIVERY_FIELDS = 'id ruleId type state attempts lastStatusCode lastError nextRetryAt deliveredAt createdAt attemptLog { at statusCode error durationMs }';

export interface ActiveAlert {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  message: string;
  jobId: string | null;
  jobName: string | null;
  agentId: string | null;
  openedAt: string;
}
const ACTIVE_FIELDS = 'id ruleId ruleName kind message jobId jobName agentId openedAt';

export interface AlertRuleInput {
  name?: string;
  kind?: AlertKind;
  jobId?: string | null;
  threshold?: number | null;
  webhookUrl?: string;
  enabled?: boolean;
  rotateSecret?: boolean;
}

export const ALERT_RULES = gql<{ alertRules: AlertRule[] }>(`
  query AlertRules { alertRules { ${RULE_FIELDS} } }
`);

export const ALERT_DELIVERIES = gql<{ alertDeliveries: AlertDelivery[] }, { ruleId?: string | null; first?: number }>(`
  query AlertDeliveries($ruleId: ID, $first: Int) { alertDeliveries(ruleId: $ruleId, first: $first) { ${DELIVERY_FIELDS} } }
`);

export const ACTIVE_ALERTS = gql<{ activeAlerts: ActiveAlert[] }, { jobId?: string | null }>(`
  query ActiveAlerts($jobId: ID) { activeAlerts(jobId: $jobId) { ${ACTIVE_FIELDS} } }
`);

export const ALERT_JOB_CHOICES = gql<{ jobs: { edges: Array<{ node: { id: string; name: string } }> } }>(`
  query AlertJobChoices { jobs(first: 200) { edges { node { id name } } } }
`);

export const CREATE_ALERT_RULE = gql<{ createAlertRule: { rule: AlertRule; secret: string | null } }, { input: AlertRuleInput }>(`
  mutation CreateAlertRule($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { ${RULE_FIELDS} } secret } }
`);

export const UPDATE_ALERT_RULE = gql<{ updateAlertRule: { rule: AlertRule; secret: string | null } }, { id: string; input: AlertRuleInput }>(`
  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $input) { rule { ${RULE_FIELDS} } secret } }
`);

export const DELETE_ALERT_RULE = gql<{ deleteAlertRule: boolean }, { id: string }>(`
  mutation DeleteAlertRule($id: ID!) { deleteAlertRule(id: $id) }
`);

export const TEST_ALERT_RULE = gql<{ testAlertRule: AlertDelivery }, { id: string }>(`
  mutation TestAlertRule($id: ID!) { testAlertRule(id: $id) { ${DELIVERY_FIELDS} } }
`);

export const ALERTS_UPDATED = gql<{ alertsUpdated: { alerts: ActiveAlert[] } }>(`
  subscription AlertsUpdated { alertsUpdated { alerts { ${ACTIVE_FIELDS} } } }
`);
