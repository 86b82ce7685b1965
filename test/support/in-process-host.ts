// A real host service (real Kafka client, real files in a temp dir) served over an
// in-process MessageChannel: what the renderer gets, minus the browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaintextFileSecretVault } from '../../src/connections/secret-vault.ts';
import { createEventscopeService, type EventscopeService } from '../../src/host/eventscope-service.ts';
import { openClusterClient } from '../../src/kafka/index.ts';
import { RpcClient } from '../../src/rpc/client.ts';
import { serveRpc } from '../../src/rpc/server.ts';
import { messagePortWire } from '../../src/rpc/wires/message-port-wire.ts';

export interface TestHost {
  client: RpcClient;
  service: EventscopeService;
  dataDir: string;
  warnings: string[];
  close(): Promise<void>;
}

/** sampleCapturePath: open this capture as the sample offline cluster (as the app does at start). */
/** dataDir: a data folder the caller made and removes (a host started again over the same files); default a fresh temp folder removed on close. */
export async function startTestService(options: { sampleCapturePath?: string; dataDir?: string } = {}): Promise<{ service: EventscopeService; dataDir: string }> {
  const { dataDir: given, ...rest } = options;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'eventscope-host-')));
  const service = createEventscopeService({ version: 'test', mode: 'test', dataDir, vault: new PlaintextFileSecretVault(dataDir), openClusterClient, ...rest });
  return { service, dataDir };
}

export async function startInProcessHost(options: { sampleCapturePath?: string; dataDir?: string } = {}): Promise<TestHost> {
  const { service, dataDir } = await startTestService(options);
  const { port1, port2 } = new MessageChannel();
  const warnings: string[] = [];
  serveRpc(messagePortWire(port1), service.methods, service.streams, { warn: (m) => warnings.push(m) });
  const client = new RpcClient(messagePortWire(port2));
  return {
    client,
    service,
    dataDir,
    warnings,
    close: async () => {
      client.close();
      port1.close();
      await service.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
