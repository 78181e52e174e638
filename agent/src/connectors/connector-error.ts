/** The one error type connectors throw: classed (config / transient / system), with a stable code and a fix. */

export type ErrorClass = 'config' | 'transient' | 'system';

export interface ConnectorErrorInit {
  /** config: the user must change something; transient: retry may help; system: a bug or unexpected state. */
  class: ErrorClass;
  retryable?: boolean;
  /** Stable machine code, e.g. 'AUTH_FAILED', 'UNREACHABLE', 'TABLE_MISSING', 'INCOMPATIBLE_TARGET'. */
  code: string;
  /** What the user can do about it. */
  fix?: string;
  table?: string;
  column?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly class: ErrorClass;
  readonly retryable: boolean;
  readonly code: string;
  readonly fix?: string;
  readonly table?: string;
  readonly column?: string;
  constructor(message: string, init: ConnectorErrorInit) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'ConnectorError';
    this.class = init.class;
    this.retryable = init.retryable ?? init.class === 'transient';
    this.code = init.code;
    if (init.fix !== undefined) this.fix = init.fix;
    if (init.table !== undefined) this.table = init.table;
    if (init.column !== undefined) this.column = init.column;
  }
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      class: this.class,
      retryable: this.retryable,
      code: this.code,
      fix: this.fix,
      table: this.table,
      column: this.column,
    };
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}
