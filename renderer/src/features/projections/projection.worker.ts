// A projection's sandbox in the app: a dedicated Web Worker whose script is served with its own
// CSP (src/node/host/content-security-policy.ts: eval here only, no network at all), with no DOM and
// no access to the page's state. It runs the same worker loop as the CLI's worker thread
// (src/common/projections/projection-worker.ts). The worker's own capabilities (postMessage, fetch,
// importScripts, timers…) are taken out of its scope (sandbox-core lockDownScope) before any
// projection is compiled: the only way out is the bound postMessage kept below.
import { createProjectionEngine } from '@common/projections/projection-engine.ts';
import { canonicalJson } from '@common/projections/state-diff.ts';
import {
  runProjectionWorker,
  textDecoderFor,
  type ProjectionReply,
  type ProjectionRequest,
} from '@common/projections/projection-worker.ts';
import { projectionModuleBody } from '@common/projections/module-source.ts';
import { compileUserCode, describeThrown, lockDownScope, userLocation } from '@common/projections/sandbox-core.ts';

const scope = self as unknown as {
  postMessage(reply: ProjectionReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ProjectionRequest>) => void): void;
};
// Taken before the lock-down.
const post = scope.postMessage.bind(scope);
const listen = scope.addEventListener.bind(scope);

lockDownScope(self);

runProjectionWorker(
  {
    post: (reply, transfer) => post(reply, transfer ?? []),
    listen: (handler) => listen('message', (event) => handler(event.data)),
    decoderFor: textDecoderFor,
  },
  { createProjectionEngine, canonicalJson, projectionModuleBody, compileUserCode, userLocation, describeThrown },
);
