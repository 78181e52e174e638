export const membersTypeDefs = /* GraphQL */ `
  type Member {
    user: User!
    role: Role!
    createdAt: DateTime!
  }

  type Invitation {
    id: ID!
    email: String!
    role: Role!
    expiresAt: DateTime!
    acceptedAt: DateTime
    revokedAt: DateTime
    createdAt: DateTime!
  }

  "The invitation and its token. The token is shown only here, once: send it to the invitee."
  type InvitationWithToken {
    invitation: Invitation!
    token: String!
  }

  input InviteMemberInput {
    email: String!
    role: Role!
  }

  type Query {
    "Members of the current tenant (any member may read)."
    members: [Member!]!
    "Pending and past invitations (admin or owner)."
    invitations: [Invitation!]!
  }

  type Mutation {
    "Invites someone by email (admin or owner; only an owner grants OWNER); returns a single-use token valid for 7 days. Membership needs the invitee's consent: they accept with acceptInvitation. The answer is the same whether or not the email has an account."
    inviteMember(input: InviteMemberInput!): InvitationWithToken!
    revokeInvitation(id: ID!): Invitation!
    "The signed-in user joins the tenant that invited their email. Use switchTenant to act in it."
    acceptInvitation(token: String!): TenantMembership!
    "Admin or owner; only an owner changes an owner or grants OWNER; the last owner cannot be demoted."
    changeMemberRole(userId: ID!, role: Role!): Member!
    "Admin or owner; the last owner cannot be removed."
    removeMember(userId: ID!): Boolean!
  }
`;
