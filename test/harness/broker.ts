// Starts a real single-node Apache Kafka 4.x broker (KRaft, combined broker+controller)
// for the tests: format storage in a temp dir, start on free ports, wait until it answers
// a metadata request, stop it and remove its data at the end. A second listener speaks
// SASL_PLAINTEXT with SCRAM-SHA-256/512 (and PLAIN) so authentication is tested for real.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { quietNegativeTimeoutWarnings } from '../../src/node/kafka/kafkajs/quiet-negative-timeout.ts';
import { freePort } from './free-port.ts';
import { javaBinary, kafkaClasspath, kafkaVersion, LOG4J_CONFIG } from './kafka-classpath.ts';
import { KafkaNodeProcess } from './kafka-node-process.ts';
import { makeTestCertificates, opensslAvailable, type TestCertificates } from './test-certificates.ts';

export const SCRAM_USER = 'eventscope-test';
export const SCRAM_PASSWORD = 'scram-secret-for-tests';
const START_TIMEOUT_MS = 90_000;

export interface KafkaEndpoints {
  /** PLAINTEXT listener. */
  bootstrap: string;
  /** SASL_PLAINTEXT listener (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN), or null on an external cluster without one. */
  saslBootstrap: string | null;
  scramUser: string | null;
  scramPassword: string | null;
  /** SSL listener whose certificate (for localhost and 127.0.0.1) is signed by tlsCaFile; null where there is none. */
  tlsBootstrap: string | null;
  tlsCaFile: string | null;
  /** The Apache Kafka version when the harness started the broker; null for a cluster from outside. */
  harnessKafkaVersion: string | null;
}

export interface RunningBroker extends KafkaEndpoints {
  dataDir: string;
  pid: number | undefined;
  stop(): Promise<void>;
  /** Stops the broker process but keeps its data (a broker outage); resume() starts it again on the same ports. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export function endpointsToEnv(e: KafkaEndpoints): Record<string, string> {
  const env: Record<string, string> = { KAFKA_BOOTSTRAP_SERVERS: e.bootstrap };
  if (e.saslBootstrap) env['KAFKA_SASL_BOOTSTRAP_SERVERS'] = e.saslBootstrap;
  if (e.scramUser) env['KAFKA_SCRAM_USER'] = e.scramUser;
  if (e.scramPassword) env['KAFKA_SCRAM_PASSWORD'] = e.scramPassword;
  if (e.tlsBootstrap) env['KAFKA_TLS_BOOTSTRAP_SERVERS'] = e.tlsBootstrap;
  if (e.tlsCaFile) env['KAFKA_TLS_CA_FILE'] = e.tlsCaFile;
  if (e.harnessKafkaVersion) env['KAFKA_HARNESS_VERSION'] = e.harnessKafkaVersion;
  return env;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaEndpoints | null {
  const bootstrap = env['KAFKA_BOOTSTRAP_SERVERS'];
  if (!bootstrap) return null;
  return {
    bootstrap,
    saslBootstrap: env['KAFKA_SASL_BOOTSTRAP_SERVERS'] ?? null,
    scramUser: env['KAFKA_SCRAM_USER'] ?? null,
    scramPassword: env['KAFKA_SCRAM_PASSWORD'] ?? null,
    tlsBootstrap: env['KAFKA_TLS_BOOTSTRAP_SERVERS'] ?? null,
    tlsCaFile: env['KAFKA_TLS_CA_FILE'] ?? null,
    harnessKafkaVersion: env['KAFKA_HARNESS_VERSION'] ?? null,
  };
}

function serverProperties(
  dir: string,
  ports: { plain: number; sasl: number; tls: number; controller: number },
  certificates: TestCertificates | null,
): string {
  const tls = certificates ? `,SSL://127.0.0.1:${ports.tls}` : '';
  return `
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${ports.controller}
listeners=PLAINTEXT://127.0.0.1:${ports.plain},SASL_PLAINTEXT://127.0.0.1:${ports.sasl}${tls},CONTROLLER://127.0.0.1:${ports.controller}
advertised.listeners=PLAINTEXT://127.0.0.1:${ports.plain},SASL_PLAINTEXT://127.0.0.1:${ports.sasl}${tls}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
${
  certificates
    ? `listener.name.ssl.ssl.keystore.type=PEM
listener.name.ssl.ssl.keystore.location=${certificates.serverKeystoreFile}
listener.name.ssl.ssl.client.auth=none`
    : ''
}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${SCRAM_USER}="${SCRAM_PASSWORD}";
log.dirs=${join(dir, 'data')}
num.partitions=1
auto.create.topics.enable=true
${clusterWideProperties(1)}
log.segment.bytes=16777216
log.cleaner.backoff.ms=500
`;
}

/** Settings every harness node shares: Kafka's internal topics replicated `replication` times, no waiting, no fsync per write. */
export function clusterWideProperties(replication: number): string {
  return `offsets.topic.replication.factor=${replication}
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=${replication}
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=${replication}
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.ms=9223372036854775807`;
}

/** A KRaft cluster id: a base64url-encoded 16-byte UUID. One that starts with "-" would be read as an option by the storage tool. */
export function newClusterId(): string {
  let id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
  return id;
}

/** Runs a Kafka main class with the harness classpath; returns stdout. */
export function runKafkaClass(
  mainClass: string,
  args: string[],
  options: { timeoutMs?: number; logsDir?: string } = {},
): string {
  return execFileSync(
    javaBinary(),
    [
      '-Xshare:auto',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      `-Dkafka.logs.dir=${options.logsDir ?? tmpdir()}`,
      '-cp',
      kafkaClasspath(),
      mainClass,
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
}

export async function startBroker(
  log: (line: string) => void = (l) => process.stderr.write(`[kafka-harness] ${l}\n`),
): Promise<RunningBroker> {
  kafkaClasspath(log); // resolves the jars (Maven, KAFKA_HOME or the cache) and says so
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-kafka-'));
  const ports = {
    plain: await freePort(),
    sasl: await freePort(),
    tls: await freePort(),
    controller: await freePort(),
  };
  const certificates = opensslAvailable() ? makeTestCertificates(dir) : null;
  if (!certificates)
    log('openssl is not installed: the broker gets no TLS listener, and the TLS tests will say they were skipped');
  const config = join(dir, 'server.properties');
  writeFileSync(config, serverProperties(dir, ports, certificates));

  const clusterId = newClusterId();
  const formatStarted = Date.now();
  runKafkaClass(
    'kafka.tools.StorageTool',
    [
      'format',
      '--config',
      config,
      '--cluster-id',
      clusterId,
      '--ignore-formatted',
      '--add-scram',
      `SCRAM-SHA-512=[name=${SCRAM_USER},password=${SCRAM_PASSWORD}]`,
      '--add-scram',
      `SCRAM-SHA-256=[name=${SCRAM_USER},password=${SCRAM_PASSWORD}]`,
    ],
    { logsDir: dir },
  );
  log(`formatted KRaft storage in ${dir} (${Date.now() - formatStarted} ms)`);

  const node = new KafkaNodeProcess(dir, config);
  const stop = async (): Promise<void> => {
    process.off('exit', removeData);
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const removeData = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeData);

  const bootstrap = `127.0.0.1:${ports.plain}`;
  const waitForBroker = async (): Promise<void> => {
    try {
      await waitUntilAnswering(bootstrap, () => node.exited, START_TIMEOUT_MS);
    } catch (err) {
      const serverLog = existsSync(join(dir, 'server.log'))
        ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000)
        : '';
      await stop();
      throw new Error(
        `${(err as Error).message}\n--- broker stderr ---\n${node.stderr}\n--- server.log (tail) ---\n${serverLog}`,
        { cause: err },
      );
    }
  };
  const started = Date.now();
  node.start();
  await waitForBroker();
  log(
    `broker up at ${bootstrap} (SASL at 127.0.0.1:${ports.sasl}${certificates ? `, TLS at 127.0.0.1:${ports.tls}` : ''}) in ${Date.now() - started} ms`,
  );
  return {
    bootstrap,
    saslBootstrap: `127.0.0.1:${ports.sasl}`,
    scramUser: SCRAM_USER,
    scramPassword: SCRAM_PASSWORD,
    tlsBootstrap: certificates ? `127.0.0.1:${ports.tls}` : null,
    tlsCaFile: certificates?.caFile ?? null,
    harnessKafkaVersion: kafkaVersion(),
    dataDir: dir,
    pid: node.pid,
    stop,
    pause: () => node.stop(),
    resume: async () => {
      node.start();
      await waitForBroker();
    },
  };
}

export async function waitUntilAnswering(
  bootstrap: string,
  hasExited: () => boolean,
  timeoutMs: number,
): Promise<void> {
  quietNegativeTimeoutWarnings();
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('The Kafka broker exited during start-up.');
    const kafka = new kafkajs.Kafka({
      brokers: [bootstrap],
      clientId: 'eventscope-harness',
      logLevel: kafkajs.logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `The Kafka broker did not answer a metadata request within ${timeoutMs / 1000} s (last error: ${lastError}).`,
  );
}
