// Playwright global setup: a real broker (or the one in KAFKA_BOOTSTRAP_SERVERS) and a
// built app. Environment variables set here reach the test workers.
import { existsSync } from 'node:fs';
import { endpointsFromEnv, endpointsToEnv, startBroker } from '../harness/broker.ts';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (!existsSync(new URL('../../out/renderer/index.html', import.meta.url))) {
    throw new Error('The app is not built: run "npm run build" before the end-to-end tests (npm test does).');
  }
  if (endpointsFromEnv()) return undefined;
  const broker = await startBroker();
  Object.assign(process.env, endpointsToEnv(broker));
  return () => broker.stop();
}
