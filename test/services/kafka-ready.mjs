// Waits until every given Kafka broker answers an admin listTopics call.
//   node test/services/kafka-ready.mjs <timeoutSeconds> <name>=<host:port>[:<pid>] ...
// Exits 0 when all are ready, 1 on timeout (or when a broker's process died),
// printing the names that are not ready as `notready=<name>,...` on stderr.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [timeoutArg, ...specs] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg) * 1000;
if (!Number.isFinite(timeoutMs) || specs.length === 0) {
  console.error('usage: kafka-ready.mjs <timeoutSeconds> <name>=<host:port>[:<pid>] ...');
  process.exit(2);
}

const targets = specs.map((spec) => {
  const [name, addr] = spec.split('=');
  const parts = (addr ?? '').split(':');
  const pid = parts.length > 2 ? Number(parts[2]) : undefined;
  return { name, broker: `${parts[0]}:${parts[1]}`, pid };
});

const alive = (pid) => {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function check(broker) {
  const kafka = new Kafka({
    clientId: 'sluice-kafka-ready',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const deadline = Date.now() + timeoutMs;
const pending = new Set(targets);
for (;;) {
  await Promise.all(
    [...pending].map(async (t) => {
      if (await check(t.broker)) pending.delete(t);
    }),
  );
  if (pending.size === 0) process.exit(0);
  const dead = [...pending].filter((t) => !alive(t.pid));
  if (dead.length > 0) {
    console.error(`exited=${dead.map((t) => t.name).join(',')}`);
    process.exit(1);
  }
  if (Date.now() > deadline) {
    console.error(`notready=${[...pending].map((t) => t.name).join(',')}`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}
