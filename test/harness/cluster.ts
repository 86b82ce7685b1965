// Starts a real three-node Apache Kafka 4.x cluster (KRaft, every node broker and controller,
// PLAINTEXT only) for the tests that need partition leadership to move: topics replicated
// three times, a node stopped (controlled shutdown hands its leaderships over) and started
// again, preferred leaders elected back. Used by its own test files, not the shared broker.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterWideProperties, newClusterId, runKafkaClass, waitUntilAnswering } from './broker.ts';
import { freePort } from './free-port.ts';
import { kafkaClasspath } from './kafka-classpath.ts';
import { KafkaNodeProcess } from './kafka-node-process.ts';

const START_TIMEOUT_MS = 120_000;

export interface ClusterNode {
  id: number;
  /** This node's PLAINTEXT listener. */
  address: string;
  stop(): Promise<void>;
  /** Starts the stopped node again with its data, and waits until it answers. */
  start(): Promise<void>;
}

export interface RunningCluster {
  /** All nodes' addresses, comma-separated: a bootstrap list that survives any one node being down. */
  bootstrap: string;
  nodes: ClusterNode[];
  stop(): Promise<void>;
}

function nodeProperties(id: number, dir: string, plain: number, controllers: number[]): string {
  return `
process.roles=broker,controller
node.id=${id}
controller.quorum.voters=${controllers.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',')}
listeners=PLAINTEXT://127.0.0.1:${plain},CONTROLLER://127.0.0.1:${controllers[id - 1]}
advertised.listeners=PLAINTEXT://127.0.0.1:${plain}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${join(dir, 'data')}
default.replication.factor=3
min.insync.replicas=1
${clusterWideProperties(3)}
auto.leader.rebalance.enable=false
`;
}

export async function startCluster(
  log: (line: string) => void = (l) => process.stderr.write(`[kafka-cluster] ${l}\n`),
  size = 3,
): Promise<RunningCluster> {
  kafkaClasspath(log);
  const root = mkdtempSync(join(tmpdir(), 'eventscope-kafka-cluster-'));
  const controllers = await Promise.all(Array.from({ length: size }, () => freePort()));
  const plains = await Promise.all(Array.from({ length: size }, () => freePort()));
  const clusterId = newClusterId();
  const removeData = (): void => rmSync(root, { recursive: true, force: true });
  process.once('exit', removeData);
  const nodes = plains.map((plain, i) => {
    const id = i + 1;
    const dir = join(root, `node-${id}`);
    const config = join(root, `node-${id}.properties`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(config, nodeProperties(id, dir, plain, controllers));
    runKafkaClass(
      'kafka.tools.StorageTool',
      ['format', '--config', config, '--cluster-id', clusterId, '--ignore-formatted'],
      { logsDir: root },
    );
    return { id, address: `127.0.0.1:${plain}`, process: new KafkaNodeProcess(dir, config, '512m') };
  });
  const waitFor = async (node: (typeof nodes)[number]): Promise<void> => {
    try {
      await waitUntilAnswering(node.address, () => node.process.exited, START_TIMEOUT_MS);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- node ${node.id} stderr ---\n${node.process.stderr}`, {
        cause: err,
      });
    }
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.process.stop()));
    process.off('exit', removeData);
    removeData();
  };
  const started = Date.now();
  try {
    for (const n of nodes) n.process.start();
    await Promise.all(nodes.map(waitFor));
  } catch (err) {
    await stopAll();
    throw err;
  }
  log(`${size}-node cluster up at ${plains.map((p) => `127.0.0.1:${p}`).join(',')} in ${Date.now() - started} ms`);
  return {
    bootstrap: nodes.map((n) => n.address).join(','),
    nodes: nodes.map((n) => ({
      id: n.id,
      address: n.address,
      stop: () => n.process.stop(),
      start: async () => {
        n.process.start();
        await waitFor(n);
      },
    })),
    stop: stopAll,
  };
}
