// Kafka's own console consumer (org.apache.kafka.tools.consumer.ConsoleConsumer) as a
// background Java process from the harness classpath: a real member of a consumer group, of
// either protocol (group.protocol=consumer for a KIP-848 group, classic otherwise), that stays
// in the group until stopped. Its JVM takes a few seconds to start: start one per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { javaBinary, kafkaClasspath, LOG4J_CONFIG } from './kafka-classpath.ts';
import { followLinePrintingChild } from './line-printing-child.ts';

const STOP_GRACE_MS = 15_000;

export interface ConsoleConsumerOptions {
  bootstrap: string;
  topic: string;
  group: string;
  /** 'consumer': KIP-848 (Kafka 4's new protocol); 'classic' (the default of Kafka's clients). */
  protocol?: 'consumer' | 'classic';
  /** Default true: read the topic from its start (auto.offset.reset=earliest). */
  fromBeginning?: boolean;
  /** More consumer properties (e.g. auto.commit.interval.ms, client.id). */
  properties?: Record<string, string>;
}

export interface ConsoleConsumer {
  readonly pid: number | undefined;
  /** The record values printed so far, one a line. */
  readonly records: string[];
  /** Waits until at least n records were printed. */
  waitForRecords(n: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM (the consumer closes and leaves its group), SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

export function startConsoleConsumer(options: ConsoleConsumerOptions): ConsoleConsumer {
  const properties: Record<string, string> = { 'auto.commit.interval.ms': '200', ...options.properties };
  if (options.protocol === 'consumer') properties['group.protocol'] = 'consumer';
  const args = ['--bootstrap-server', options.bootstrap, '--topic', options.topic, '--group', options.group];
  if (options.fromBeginning !== false) args.push('--from-beginning');
  for (const [k, v] of Object.entries(properties)) args.push('--consumer-property', `${k}=${v}`);
  const child: ChildProcess = spawn(
    javaBinary(),
    [
      '-Xshare:auto',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      `-Dkafka.logs.dir=${tmpdir()}`,
      '-cp',
      kafkaClasspath(),
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const followed = followLinePrintingChild(child);
  const records = followed.lines;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8000)));

  return {
    pid: child.pid,
    records,
    async waitForRecords(n, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (records.length < n) {
        if (followed.exited())
          throw new Error(`The console consumer exited after ${records.length} of ${n} records:\n${stderr}`);
        if (Date.now() > deadline)
          throw new Error(
            `The console consumer printed ${records.length} of ${n} records in ${timeoutMs / 1000} s:\n${stderr}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => followed.stop(STOP_GRACE_MS),
  };
}
