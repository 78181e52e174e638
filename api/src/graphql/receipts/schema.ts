export const receiptsTypeDefs = /* GraphQL */ `
  "A job run's correctness receipt (issue 15 item 6), signed by the agent that ran it with its Ed25519 key."
  type JobRunReceipt {
    "The signed receipt, JSON: save it as a file and check it offline with sluice-agent receipt verify FILE."
    text: String!
    "How the run ended on the agent when it signed: completed, failed or stopped."
    outcome: String!
    agentId: ID!
    taskId: ID!
    "The signer's public key (SPKI DER, base64): pin it with sluice-agent receipt verify FILE --public-key KEY."
    publicKey: String!
    "SHA-256 of the public key (sha256:hex): compare it with the agent's (Agent.publicKeyFingerprint)."
    publicKeyFingerprint: String!
    createdAt: DateTime!
  }

  extend type JobRun {
    "The run's signed correctness receipt; null until the agent sent one (at the end of the run)."
    receipt: JobRunReceipt
  }
`;
