// Subscribes to tail.records like the renderer does and collects what arrives.
import { decodeRecordFrame, plainRecord } from '../../src/common/codecs/record-frame.ts';
import type { Position, RecordDto, TailEvent } from '../../src/common/contract/dto.ts';
import type { RpcClient, Subscription } from '../../src/common/rpc/client.ts';

export interface TailProbe {
  records: RecordDto[];
  events: TailEvent[];
  sessionId(): string;
  subscription: Subscription;
  /** Resolves when the predicate holds, polling; rejects after timeoutMs. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /**
   * For a probe started with autoAck false: acknowledges every flush received (the held-back ones
   * first, then each as it comes, every 20 ms) for as long as keepGoing holds.
   */
  acknowledgeWhile(keepGoing: () => boolean): Promise<void>;
}

export function startTail(
  client: RpcClient,
  params: { connectionId: string; topic: string; from: Position; partitions?: number[]; follow?: boolean },
  options: { autoAck?: boolean } = {},
): TailProbe {
  const records: RecordDto[] = [];
  const events: TailEvent[] = [];
  let session = '';
  const subscription = client.subscribe('tail.records', params, {
    onEvent: (event) => {
      events.push(event);
      if (event.type === 'started') session = event.sessionId;
      if (event.type === 'records') {
        for (const r of decodeRecordFrame(event.frame)) records.push(plainRecord(r));
        if (options.autoAck !== false)
          client.call('tail.ack', { sessionId: session, flush: event.flush }).catch(() => undefined);
      }
    },
  });
  return {
    records,
    events,
    sessionId: () => session,
    subscription,
    until: async (predicate, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(
            `tail: condition not met within ${timeoutMs} ms (${records.length} records, last event ${JSON.stringify(events[events.length - 1])?.slice(0, 300)})`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    acknowledgeWhile: async (keepGoing) => {
      let acked = 0;
      while (keepGoing()) {
        const flushes = events.filter((e) => e.type === 'records');
        for (const e of flushes.slice(acked))
          if (e.type === 'records') await client.call('tail.ack', { sessionId: session, flush: e.flush });
        acked = flushes.length;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
