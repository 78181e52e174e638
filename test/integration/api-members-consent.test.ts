/**
 * Membership by consent (issue 18): nobody is added to a tenant without accepting
 * an invitation, and inviting never reveals whether an email has an account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';

let api: ApiHarness;
let owner: SignedUp;
const INVITE = `mutation I($e: String!) { inviteMember(input: {email: $e, role: VIEWER}) { invitation { email role acceptedAt revokedAt } token } }`;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_security', redisPrefix: 'security' });
  owner = await api.signUp();
});
afterAll(async () => {
  await api?.stop();
});

describe('membership by consent', () => {
  it('there is no way to add someone directly', async () => {
    const other = await api.signUp();
    const r = await api.gql(`mutation A($e: String!) { addMember(input: {email: $e, role: VIEWER}) { role } }`, { e: other.email }, owner.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/Cannot query field "addMember"/);
  });

  it('inviting answers the same for an email with an account and one without, and adds nobody', async () => {
    const existing = await api.signUp();
    const nobody = `nobody-${Date.now()}@example.test`;
    const a = await api.gql<{ inviteMember: { invitation: Record<string, unknown>; token: string } }>(INVITE, { e: existing.email }, owner.token);
    const b = await api.gql<{ inviteMember: { invitation: Record<string, unknown>; token: string } }>(INVITE, { e: nobody }, owner.token);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const shape = (x: typeof a) => ({
      ...x.data!.inviteMember.invitation,
      email: '<email>',
      token: x.data!.inviteMember.token.replace(/^inv_.+$/, 'inv_<token>'),
    });
    expect(shape(a)).toEqual(shape(b));
    expect(a.status).toBe(b.status);
    // The audit entries differ only in the email.
    const audit = await api.gqlOk<{ auditLog: { nodes: { action: string; detail: Record<string, unknown> }[] } }>(
      `{ auditLog(first: 5) { nodes { action detail } } }`,
      {},
      owner.token,
    );
    const invites = audit.auditLog.nodes.filter((n) => n.action === 'member.invite').slice(0, 2);
    expect(invites.map((n) => Object.keys(n.detail).sort())).toEqual([
      ['email', 'role'],
      ['email', 'role'],
    ]);
    // Not a member until they accept.
    const members = await api.gqlOk<{ members: { user: { email: string } }[] }>(`{ members { user { email } } }`, {}, owner.token);
    expect(members.members.map((m) => m.user.email)).not.toContain(existing.email);
    expect((await api.gql(`mutation { switchTenant(tenantId: "${owner.tenantId}") { token } }`, {}, existing.token)).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    // Accepting makes them a member.
    await api.gqlOk(`mutation A($t: String!) { acceptInvitation(token: $t) { role } }`, { t: a.data!.inviteMember.token }, existing.token);
    const after = await api.gqlOk<{ members: { user: { email: string } }[] }>(`{ members { user { email } } }`, {}, owner.token);
    expect(after.members.map((m) => m.user.email)).toContain(existing.email);
  });

  it('an invitation cannot be accepted by someone else', async () => {
    const intended = `intended-${Date.now()}@example.test`;
    const inv = await api.gqlOk<{ inviteMember: { token: string } }>(INVITE, { e: intended }, owner.token);
    const stranger = await api.signUp();
    const r = await api.gql(`mutation A($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inv.inviteMember.token }, stranger.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
