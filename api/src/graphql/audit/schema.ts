export const auditTypeDefs = /* GraphQL */ `
  enum AuditOutcome {
    OK
    DENIED
    ERROR
  }

  enum AuditActorType {
    USER
    API_KEY
    AGENT
    SYSTEM
    ANONYMOUS
  }

  "One append-only audit entry (the database rejects UPDATE and DELETE)."
  type AuditEntry {
    id: ID!
    actorType: AuditActorType!
    actorId: String
    "The user's email or the API key's name, when still known to this tenant."
    actorLabel: String
    "e.g. job.start, dataSource.create, member.changeRole, auth.logIn"
    action: String!
    targetType: String
    targetId: String
    outcome: AuditOutcome!
    requestId: String
    ip: String
    detail: JSON!
    createdAt: DateTime!
  }

  type AuditEntryEdge {
    cursor: String!
    node: AuditEntry!
  }
  type AuditEntryConnection {
    edges: [AuditEntryEdge!]!
    nodes: [AuditEntry!]!
    pageInfo: PageInfo!
  }

  input AuditFilter {
    actorType: AuditActorType
    actorId: String
    "An exact action, or a prefix ending in .* (e.g. job.*)."
    action: String
    targetType: String
    targetId: String
    outcome: AuditOutcome
    from: DateTime
    to: DateTime
  }

  type Query {
    "The tenant's audit log, newest first (admin or owner)."
    auditLog(filter: AuditFilter, first: Int, after: String): AuditEntryConnection!
  }
`;
