import { gql, type Empty } from '../gql';
import type { Role } from './auth';

export interface Member {
  user: { id: string; email: string; name: string };
  role: Role;
  createdAt: string;
}
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export const MEMBERS = gql<{ members: Member[] }>(`
  query Members { members { user { id email name } role createdAt } }
`);

/** Admins and owners only. */
export const INVITATIONS = gql<{ invitations: Invitation[] }>(`
  query Invitations { invitations { id email role expiresAt acceptedAt revokedAt createdAt } }
`);

export const INVITE_MEMBER = gql<{ inviteMember: { invitation: Invitation; token: string } }, { input: { email: string; role: Role } }>(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) { invitation { id email role expiresAt acceptedAt revokedAt createdAt } token }
  }
`);

export const CHANGE_MEMBER_ROLE = gql<{ changeMemberRole: Member }, { userId: string; role: Role }>(`
  mutation ChangeMemberRole($userId: ID!, $role: Role!) {
    changeMemberRole(userId: $userId, role: $role) { user { id email name } role createdAt }
  }
`);

export const REMOVE_MEMBER = gql<{ removeMember: boolean }, { userId: string }>(`
  mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }
`);

export type { Empty };

export const ACCEPT_INVITATION = gql<{ acceptInvitation: { tenant: { id: string; name: string }; role: string } }, { token: string }>(`
  mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { tenant { id name } role } }
`);

export const REVOKE_INVITATION = gql<{ revokeInvitation: Invitation }, { id: string }>(`
  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { id email role expiresAt acceptedAt revokedAt createdAt } }
`);
