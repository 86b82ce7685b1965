// The host side of tail.*: a live tail (or a read to the end) of a topic through the replay log
// (src/node/tail/tail-session.ts), and the subscriber's acknowledgements that pace it (tail.ack).
// A capture is read from its own file: nothing stored, nothing new to follow.
import { randomUUID } from 'node:crypto';
import type { MethodHandlers, StreamHandlers } from '../../common/rpc/server.ts';
import { TailSession } from '../tail/tail-session.ts';
import type { HostContext } from './host-context.ts';

type TailMethods = Pick<MethodHandlers, 'tail.ack'>;
type TailStreams = Pick<StreamHandlers, 'tail.records'>;

export function createTailHandlers(ctx: HostContext): { methods: TailMethods; streams: TailStreams } {
  const tails = new Map<string, TailSession>();
  return {
    methods: {
      'tail.ack': async ({ sessionId, flush }) => {
        const session = tails.get(sessionId);
        session?.ack(flush);
        return { known: session !== undefined };
      },
    },
    streams: {
      'tail.records': async ({ connectionId, topic, partitions, from, follow }, emit, { signal }) => {
        const client = await ctx.clientFor(connectionId);
        const offline = ctx.captures.has(connectionId);
        const notices = await ctx.checkHeld(connectionId, topic, true);
        const session = new TailSession(
          randomUUID(),
          client,
          offline ? null : ctx.log,
          {
            cluster: connectionId,
            topic,
            ...(partitions ? { partitions } : {}),
            from,
            follow: follow && !offline,
            notices,
          },
          emit,
        );
        tails.set(session.id, session);
        try {
          await session.run(signal);
        } finally {
          tails.delete(session.id);
        }
      },
    },
  };
}
