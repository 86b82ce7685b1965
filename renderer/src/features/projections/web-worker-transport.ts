// A Web Worker as the sandbox channel's transport (src/common/projections/sandbox-channel.ts): the one
// way the page talks to a user-code worker, for the JavaScript filter (messages/predicate-runner.ts)
// and projections alike. A worker that fails on its own (an uncaught error, a script that cannot
// load) is reported as crashed; one that runs out of time is the channel's to stop.
import type { SandboxTransport } from '@common/projections/sandbox-channel.ts';

export function webWorkerTransport<Request, Reply>(worker: Worker): SandboxTransport<Request, Reply> {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    connect({ reply, died }) {
      worker.onmessage = (event: MessageEvent<Reply>) => reply(event.data);
      worker.onerror = (event) =>
        died({ kind: 'crashed', message: event.message || 'the worker failed to start or stopped with an error' });
      worker.onmessageerror = () => died({ kind: 'crashed', message: 'a message from the worker could not be read' });
    },
    terminate: () => worker.terminate(),
  };
}
