/**
 * One measurement of one Kafka client, in its own process so that its peak RSS is its own
 * (run by kafka-clients.ts, not by itself):
 *   node --import tsx test/bench/kafka-clients-child.ts <kafkajs|platformatic> produce <broker> <topic> <size> <count>
 *   node --import tsx test/bench/kafka-clients-child.ts <kafkajs|platformatic> consume <broker> <topic> <count>
 *   node --import tsx test/bench/kafka-clients-child.ts <kafkajs|platformatic> txn <broker> <prefix>
 * Prints `RESULT <json>` and `VmHWM_KB=<n>`.
 */
import { readFileSync } from 'node:fs';
import { kafkajsClient } from './lib/kafka-clients-kafkajs';
import { platformaticClient } from './lib/kafka-clients-platformatic';
import type { BenchClient } from './lib/kafka-clients-types';

const [clientName, op, broker, ...rest] = process.argv.slice(2);
const clients: Record<string, () => BenchClient> = { kafkajs: kafkajsClient, platformatic: platformaticClient };
const make = clientName ? clients[clientName] : undefined;
if (!make || !op || !broker) {
  process.stderr.write('usage: kafka-clients-child.ts <kafkajs|platformatic> <produce|consume|txn> <broker> ...\n');
  process.exit(2);
}

function hwmKb(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

const client = make();
let result: unknown;
if (op === 'produce') {
  const [topic, size, count] = rest;
  result = await client.produce(broker, topic!, Number(size), Number(count));
} else if (op === 'consume') {
  const [topic, count] = rest;
  result = await client.consume(broker, topic!, Number(count));
} else if (op === 'txn') {
  result = await client.transactions(broker, rest[0]!);
} else {
  process.stderr.write(`unknown op ${op}\n`);
  process.exit(2);
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\nVmHWM_KB=${hwmKb()}\n`);
process.exit(0);
