// Exits 0 when cluster c answers an authenticated (SASL PLAIN admin, CA-verified TLS) listTopics call, else 1.
//   node test/services/kafka-c-ready.mjs <port> <ca.pem>
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [port, caFile] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'sluice-kafka-c-ready',
  brokers: [`127.0.0.1:${port}`],
  logLevel: logLevel.NOTHING,
  ssl: { ca: [readFileSync(caFile, 'utf8')], servername: undefined },
  sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
  connectionTimeout: 2000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});
const admin = kafka.admin();
try {
  await admin.connect();
  await admin.listTopics();
  await admin.disconnect();
  process.exit(0);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
