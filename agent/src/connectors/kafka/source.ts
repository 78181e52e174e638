/** The Kafka source: the `records` capability (partitions read from offsets, read_committed) and discovery. */
import type { KafkaCatalog } from '../../protocol/kafka-shapes';
import type { RecordSourceCapability } from '../records';
import type { CheckResult, SourceCapabilities, SourceCore } from '../spi';
import type { Assignment, OffsetSpec, RecordStream } from './client/types';
import { checkKafka } from './check';
import type { KafkaConn } from './connection';
import { discoverKafka } from './discover';
import { KafkaSide } from './side';

class KafkaRecordSource extends KafkaSide implements RecordSourceCapability {
  readonly positionKind = 'kafka' as const;

  discover(filter?: (topic: string) => boolean): Promise<KafkaCatalog> {
    return discoverKafka(this, filter);
  }

  async offsetsAt(topic: string, spec: OffsetSpec): Promise<Map<number, bigint>> {
    return (await this.admin()).offsetsAt(topic, spec);
  }

  open(assignments: Assignment[], readerId: string): Promise<RecordStream> {
    return this.client.consume({ assignments, groupId: readerId });
  }
}

export class KafkaSource implements SourceCore {
  readonly kind = 'kafka' as const;
  readonly records: KafkaRecordSource;

  constructor(private readonly conn: KafkaConn) {
    this.records = new KafkaRecordSource(conn);
  }

  capabilities(): SourceCapabilities {
    return { snapshot: false, streaming: false, schema: false, sharedSnapshot: false, physicalChunks: false, encodedFormats: [], records: true };
  }

  check(): Promise<CheckResult> {
    return checkKafka(this.conn, 'source');
  }

  close(): Promise<void> {
    return this.records.close();
  }
}
