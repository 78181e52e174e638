export const accountsTypeDefs = /* GraphQL */ `
  type User {
    id: ID!
    email: String!
    name: String!
  }

  type Tenant {
    id: ID!
    name: String!
    slug: String!
  }

  type TenantMembership {
    tenant: Tenant!
    role: Role!
    createdAt: DateTime!
  }

  enum ActorKind {
    USER
    API_KEY
    AGENT
  }

  type Actor {
    type: ActorKind!
    id: ID!
  }

  "Who is calling: the user (null for an API key), the current tenant, the role in it, and every tenant the user belongs to."
  type Me {
    user: User
    actor: Actor!
    tenant: Tenant!
    role: Role!
    memberships: [TenantMembership!]!
  }

  "A new session. The token is also set as the httpOnly sluice_session cookie; scripts may send it as a Bearer token instead."
  type AuthPayload {
    token: String!
    expiresAt: DateTime!
    me: Me!
  }

  input SignUpInput {
    email: String!
    password: String!
    name: String!
    tenantName: String!
  }

  input LogInInput {
    email: String!
    password: String!
    "The tenant to act in; default the first one joined."
    tenantId: ID
  }

  type Query {
    "The caller. UNAUTHENTICATED without a valid credential."
    me: Me!
  }

  type Mutation {
    signUp(input: SignUpInput!): AuthPayload!
    logIn(input: LogInInput!): AuthPayload!
    "Ends the current session and clears the cookie."
    logOut: Boolean!
    "Acts in another tenant the user belongs to. Issues a new session token (the old one stops working)."
    switchTenant(tenantId: ID!): AuthPayload!
  }
`;
