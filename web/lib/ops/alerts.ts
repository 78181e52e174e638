import { op } from '../gql';
import { graphql } from '../gql/generated';
import type {
  ActiveAlertFieldsFragment,
  AlertDeliveryFieldsFragment,
  AlertKind as Kind,
  AlertRuleFieldsFragment,
  CreateAlertRuleInput,
  UpdateAlertRuleInput,
} from '../gql/generated/graphql';

export type AlertKind = Kind;
export const ALERT_KINDS: AlertKind[] = ['JOB_FAILED', 'LAG', 'RETENTION', 'VERIFICATION_MISMATCH', 'AGENT_OFFLINE'];

/** How each kind reads, and what its threshold means (null: it takes none). */
export const KIND_INFO: Record<
  AlertKind,
  { label: string; threshold: { label: string; unit: string; required: boolean; placeholder: string } | null; jobScope: boolean }
> = {
  JOB_FAILED: { label: 'Job failed', threshold: null, jobScope: true },
  LAG: { label: 'Replication lag above', threshold: { label: 'Lag above', unit: 'seconds', required: true, placeholder: '60' }, jobScope: true },
  RETENTION: {
    label: 'Log retention below',
    threshold: { label: 'Time until the source purges logs, below', unit: 'hours', required: true, placeholder: '24' },
    jobScope: true,
  },
  VERIFICATION_MISMATCH: { label: 'Verification mismatch', threshold: null, jobScope: true },
  AGENT_OFFLINE: {
    label: 'Agent offline',
    threshold: { label: 'Offline for more than', unit: 'seconds', required: false, placeholder: '60' },
    jobScope: false,
  },
};

export function describeRule(r: { kind: AlertKind; threshold: number | null }): string {
  const i = KIND_INFO[r.kind];
  if (!i.threshold || r.threshold === null) return i.label;
  return `${i.label} ${r.threshold} ${i.threshold.unit}`.replace('Agent offline', 'Agent offline for more than');
}

export type AlertRule = AlertRuleFieldsFragment;
export type AlertDelivery = AlertDeliveryFieldsFragment;
export type ActiveAlert = ActiveAlertFieldsFragment;
/** What the rule dialog sends: a full rule for create; on update it may also rotate the secret. */
export type AlertRuleInput = CreateAlertRuleInput & Pick<UpdateAlertRuleInput, 'rotateSecret'>;

graphql(`
  fragment AlertRuleFields on AlertRule {
    id
    name
    kind
    scope
    jobId
    job {
      id
      name
    }
    threshold
    webhookUrl
    webhookHost
    enabled
    createdAt
    updatedAt
  }
`);
graphql(`
  fragment AlertDeliveryFields on AlertDelivery {
    id
    ruleId
    type
    state
    attempts
    lastStatusCode
    lastError
    nextRetryAt
    deliveredAt
    createdAt
    attemptLog {
      at
      statusCode
      error
      durationMs
    }
  }
`);
graphql(`
  fragment ActiveAlertFields on ActiveAlert {
    id
    ruleId
    ruleName
    kind
    message
    jobId
    jobName
    agentId
    openedAt
  }
`);

export const ALERT_RULES = op(
  graphql(`
    query AlertRules {
      alertRules {
        ...AlertRuleFields
      }
    }
  `),
);

export const ALERT_DELIVERIES = op(
  graphql(`
    query AlertDeliveries($ruleId: ID, $first: Int) {
      alertDeliveries(ruleId: $ruleId, first: $first) {
        ...AlertDeliveryFields
      }
    }
  `),
);

export const ACTIVE_ALERTS = op(
  graphql(`
    query ActiveAlerts($jobId: ID) {
      activeAlerts(jobId: $jobId) {
        ...ActiveAlertFields
      }
    }
  `),
);

export const ALERT_JOB_CHOICES = op(
  graphql(`
    query AlertJobChoices {
      jobs(first: 200) {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  `),
);

export const CREATE_ALERT_RULE = op(
  graphql(`
    mutation CreateAlertRule($input: CreateAlertRuleInput!) {
      createAlertRule(input: $input) {
        rule {
          ...AlertRuleFields
        }
        secret
      }
    }
  `),
);

export const UPDATE_ALERT_RULE = op(
  graphql(`
    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {
      updateAlertRule(id: $id, input: $input) {
        rule {
          ...AlertRuleFields
        }
        secret
      }
    }
  `),
);

export const DELETE_ALERT_RULE = op(
  graphql(`
    mutation DeleteAlertRule($id: ID!) {
      deleteAlertRule(id: $id)
    }
  `),
);

export const TEST_ALERT_RULE = op(
  graphql(`
    mutation TestAlertRule($id: ID!) {
      testAlertRule(id: $id) {
        ...AlertDeliveryFields
      }
    }
  `),
);

export const ALERTS_UPDATED = op(
  graphql(`
    subscription AlertsUpdated {
      alertsUpdated {
        alerts {
          ...ActiveAlertFields
        }
      }
    }
  `),
);
