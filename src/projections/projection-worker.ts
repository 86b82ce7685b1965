// The inside of a projection's sandbox: one engine per worker, driven by messages. The host
// (projection-runner.ts) sends `load`, then `feed` batches without waiting for each answer
// (the worker never idles between batches), then `finish`; the worker answers each in order.
// After a failure it answers nothing more: the host has what it needs and stops it.
//
// The worker writes where it is into a shared Int32Array when the host gives one: [0] the batch
// being fed, [1] the event's index in it. When the host stops a worker that ran out of time or
// memory, that says which event it was on.
//
// SELF-CONTAINED, like the engine: runs inside the sandbox; the CLI's worker gets it as source
// text. Everything it calls comes in `lib` or from the port.
import type { BatchDecoder, createProjectionEngine, EngineLib, EventBatch, LoadedInfo } from './projection-engine.ts';
import type { ProjectionFailure, ProjectionOutcome } from './projection-api.ts';
import type { BatchBuffers } from './event-batch.ts';

export type ProjectionRequest =
  | { type: 'load'; source: string; fileName: string; progress: SharedArrayBuffer | null }
  | { type: 'feed'; seq: number; batch: EventBatch }
  | { type: 'finish' };

export type ProjectionReply =
  | { type: 'loaded'; info: LoadedInfo }
  /** A batch applied; its buffers go back to the host for the next one. */
  | { type: 'fed'; seq: number; buffers: BatchBuffers }
  | { type: 'finished'; outcome: ProjectionOutcome }
  | { type: 'failed'; failure: ProjectionFailure };

/** The worker's side of the wire, and its way of turning a batch's bytes into text (platform-specific: Node's Buffer, else TextDecoder). */
export interface ProjectionPort {
  post(reply: ProjectionReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (request: ProjectionRequest) => void): void;
  decoderFor(bytes: Uint8Array): BatchDecoder;
}

export interface ProjectionWorkerLib extends EngineLib {
  createProjectionEngine: typeof createProjectionEngine;
}

export function runProjectionWorker(port: ProjectionPort, lib: ProjectionWorkerLib): void {
  let engine: ReturnType<typeof createProjectionEngine> | null = null;
  let failed = false;
  let progress: Int32Array | null = null;
  let fileName = '';
  const failWith = (failure: ProjectionFailure): void => {
    failed = true;
    port.post({ type: 'failed', failure });
  };
  port.listen((request) => {
    if (failed) return;
    if (request.type === 'load') {
      progress = request.progress ? new Int32Array(request.progress) : null;
      fileName = request.fileName;
      engine = lib.createProjectionEngine(request.source, request.fileName, lib);
      if (!engine.ok) failWith(engine.failure);
      else port.post({ type: 'loaded', info: engine.engine.info });
      return;
    }
    if (engine === null || !engine.ok) return;
    if (request.type === 'feed') {
      if (progress !== null) progress[0] = request.seq;
      const batch = request.batch;
      const failure = engine.engine.feed(batch, port.decoderFor(batch.bytes), progress);
      if (failure) return failWith(failure);
      // The views' buffers, as event-batch.ts laid them out (bytes, ints, floats, shorts).
      const buffers = { bytes: batch.bytes.buffer as ArrayBuffer, ints: batch.partition.buffer as ArrayBuffer, floats: batch.timestamp.buffer as ArrayBuffer, shorts: batch.topic.buffer as ArrayBuffer };
      port.post({ type: 'fed', seq: request.seq, buffers }, [buffers.bytes, buffers.ints, buffers.floats, buffers.shorts]);
      return;
    }
    const result = engine.engine.finish();
    if (!result.ok) return failWith(result.failure);
    try {
      port.post({ type: 'finished', outcome: result.outcome });
    } catch (err) {
      // Checked to be JSON, yet not cloneable (a getter that answers differently each time?).
      failWith({ kind: 'state', message: `${fileName}: the final state cannot be copied out of the sandbox: ${err instanceof Error ? err.message : String(err)}`, file: fileName, line: null, column: null, event: null, handler: null });
    }
  });
}

/** A decoder for environments without Node's Buffer: TextDecoder (fatal for values, lenient for keys and headers). */
export function textDecoderFor(bytes: Uint8Array): BatchDecoder {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  return {
    utf8(start, end) {
      try {
        return strict.decode(bytes.subarray(start, end));
      } catch {
        return null;
      }
    },
    text: (start, end) => lenient.decode(bytes.subarray(start, end)),
  };
}
