import { op, type Empty } from '../gql';
import { graphql } from '../gql/generated';
import type { InvitationFieldsFragment, MemberFieldsFragment } from '../gql/generated/graphql';

export type Member = MemberFieldsFragment;
export type Invitation = InvitationFieldsFragment;

graphql(`
  fragment MemberFields on Member {
    user {
      id
      email
      name
    }
    role
    createdAt
  }
`);
graphql(`
  fragment InvitationFields on Invitation {
    id
    email
    role
    expiresAt
    acceptedAt
    revokedAt
    createdAt
  }
`);

export const MEMBERS = op(
  graphql(`
    query Members {
      members {
        ...MemberFields
      }
    }
  `),
);

/** Admins and owners only. */
export const INVITATIONS = op(
  graphql(`
    query Invitations {
      invitations {
        ...InvitationFields
      }
    }
  `),
);

export const INVITE_MEMBER = op(
  graphql(`
    mutation InviteMember($input: InviteMemberInput!) {
      inviteMember(input: $input) {
        invitation {
          ...InvitationFields
        }
        token
      }
    }
  `),
);

export const CHANGE_MEMBER_ROLE = op(
  graphql(`
    mutation ChangeMemberRole($userId: ID!, $role: Role!) {
      changeMemberRole(userId: $userId, role: $role) {
        ...MemberFields
      }
    }
  `),
);

export const REMOVE_MEMBER = op(
  graphql(`
    mutation RemoveMember($userId: ID!) {
      removeMember(userId: $userId)
    }
  `),
);

export type { Empty };

export const ACCEPT_INVITATION = op(
  graphql(`
    mutation AcceptInvitation($token: String!) {
      acceptInvitation(token: $token) {
        tenant {
          id
          name
        }
        role
      }
    }
  `),
);

export const REVOKE_INVITATION = op(
  graphql(`
    mutation RevokeInvitation($id: ID!) {
      revokeInvitation(id: $id) {
        ...InvitationFields
      }
    }
  `),
);
