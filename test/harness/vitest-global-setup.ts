// Vitest global setup: use the cluster in KAFKA_BOOTSTRAP_SERVERS if set (npm test starts
// one broker for every runner), else start the harness broker for this run.
import type { TestProject } from 'vitest/node';
import { endpointsFromEnv, startBroker, type KafkaEndpoints } from './broker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: KafkaEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = endpointsFromEnv();
  if (existing) {
    project.provide('kafka', existing);
    return async () => undefined;
  }
  const broker = await startBroker();
  const { stop, dataDir: _dataDir, pid: _pid, pause: _pause, resume: _resume, ...endpoints } = broker;
  project.provide('kafka', endpoints);
  return stop;
}
