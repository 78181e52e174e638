/** The connectors: the SPI, and the registry every engine path builds connectors through. */
import type { Connection } from '../protocol';
import type { CheckResult, ConnectorDefinition, Source, SourceCore, Target, TargetCore, TargetOptions } from './spi';
import { PgSource, PgTarget, checkPg, type PgConn } from './postgres';
import { MysqlSource, MysqlTarget, checkMysql } from './mysql';
import type { MyConn } from './mysql/client';
import { ConnectorRegistry } from './registry';
import { kafkaConnector } from './kafka';

export * from './spi';
export { ConnectorRegistry } from './registry';

const asPg = (c: Connection): PgConn => {
  if (c.kind !== 'postgres') throw new Error(`postgres connector given a ${c.kind} connection`);
  return c;
};
const asMysql = (c: Connection): MyConn => {
  if (c.kind !== 'mysql') throw new Error(`mysql connector given a ${c.kind} connection`);
  return c;
};

const postgresConnector: ConnectorDefinition = {
  kind: 'postgres',
  source: (c) => new PgSource(asPg(c)),
  target: (c, opts) => new PgTarget(asPg(c), opts),
  check: (c, role) => checkPg(asPg(c), role),
};

const mysqlConnector: ConnectorDefinition = {
  kind: 'mysql',
  source: (c) => new MysqlSource(asMysql(c)),
  target: (c, opts) => new MysqlTarget(asMysql(c), opts),
  check: (c, role) => checkMysql(asMysql(c), role),
};

/** Every connector this agent build has. */
export const connectors = new ConnectorRegistry([postgresConnector, mysqlConnector, kafkaConnector]);

export function createSource(conn: Connection): Source {
  return connectors.createSource(conn);
}

export function createTarget(conn: Connection, opts: TargetOptions = {}): Target {
  return connectors.createTarget(conn, opts);
}

/** Any source (capabilities say what it can do): the records paths start here. */
export function openSource(conn: Connection): SourceCore {
  return connectors.openSource(conn);
}

export function openTarget(conn: Connection, opts: TargetOptions = {}): TargetCore {
  return connectors.openTarget(conn, opts);
}

export function checkConnection(conn: Connection, role: 'source' | 'target'): Promise<CheckResult> {
  return connectors.checkConnection(conn, role);
}

export { PgSource, PgTarget, MysqlSource, MysqlTarget };
