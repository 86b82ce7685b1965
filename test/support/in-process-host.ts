// A real host service (real Kafka client, real files in a temp dir) served over an
// in-process MessageChannel: what the renderer gets, minus the browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaintextFileSecretVault } from '../../src/node/connections/secret-vault.ts';
import type { OpenClusterClient } from '../../src/node/host/cluster-pool.ts';
import {
  createEventscopeService,
  type EventscopeService,
  type ServiceOptions,
} from '../../src/node/host/eventscope-service.ts';
import { openClusterClient } from '../../src/node/kafka/index.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { serveRpc } from '../../src/common/rpc/server.ts';
import { messagePortWire } from '../../src/common/rpc/wires/message-port-wire.ts';

export interface TestHost {
  client: RpcClient;
  service: EventscopeService;
  dataDir: string;
  warnings: string[];
  close(): Promise<void>;
}

export interface TestHostOptions {
  /** Open this capture as the sample offline cluster (as the app does at start). */
  sampleCapturePath?: string;
  /** A data folder the caller made and removes (a host started again over the same files); default a fresh temp folder removed on close. */
  dataDir?: string;
  /**
   * While following, look the topic up again this often (ms) instead of every 5 s: a test of
   * partitions added while tailing waits on the event, not on the production interval.
   */
  metadataRefreshMs?: number;
}

/** The real Kafka client, its reads given the test's metadata refresh interval where one is set. */
function clusterClientOpener(metadataRefreshMs: number | undefined): OpenClusterClient {
  if (metadataRefreshMs === undefined) return openClusterClient;
  return async (profile, secrets) => {
    const client = await openClusterClient(profile, secrets);
    const read = client.read.bind(client);
    client.read = (request) => read({ metadataRefreshMs, ...request });
    return client;
  };
}

/** A real service on `dataDir` with the tests' defaults: the real Kafka client, secrets in a file there. */
export function testServiceOn(dataDir: string, options: Partial<ServiceOptions> = {}): EventscopeService {
  return createEventscopeService({
    version: 'test',
    mode: 'test',
    dataDir,
    vault: new PlaintextFileSecretVault(dataDir),
    openClusterClient,
    ...options,
  });
}

/** A client of `service` over an in-process MessageChannel, as the renderer has one; close() closes both ends. */
export function rpcClientOf(
  service: EventscopeService,
  warn: (message: string) => void = () => undefined,
): { client: RpcClient; close(): void } {
  const { port1, port2 } = new MessageChannel();
  serveRpc(messagePortWire(port1), service.methods, service.streams, { warn });
  const client = new RpcClient(messagePortWire(port2));
  return {
    client,
    close: () => {
      client.close();
      port1.close();
    },
  };
}

/** close: closes the service, then removes its data folder unless the caller gave it (even if closing failed). */
export async function startTestService(
  options: TestHostOptions = {},
): Promise<{ service: EventscopeService; dataDir: string; close(): Promise<void> }> {
  const { dataDir: given, metadataRefreshMs, ...rest } = options;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'eventscope-host-')));
  try {
    const service = testServiceOn(dataDir, { openClusterClient: clusterClientOpener(metadataRefreshMs), ...rest });
    const close = async (): Promise<void> => {
      try {
        await service.close();
      } finally {
        if (given === undefined) await rm(dataDir, { recursive: true, force: true });
      }
    };
    return { service, dataDir, close };
  } catch (err) {
    // A host that failed to start leaves no temp folder behind (one the caller gave stays theirs).
    if (given === undefined) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export async function startInProcessHost(options: TestHostOptions = {}): Promise<TestHost> {
  const { service, dataDir, close: closeService } = await startTestService(options);
  const warnings: string[] = [];
  const { client, close: closeClient } = rpcClientOf(service, (m) => warnings.push(m));
  return {
    client,
    service,
    dataDir,
    warnings,
    close: async () => {
      closeClient();
      await closeService();
    },
  };
}
