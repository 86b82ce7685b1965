// The host side of what a cluster (or a capture's offline cluster) is made of: its brokers
// (cluster.describe), its topics (topics.list, topics.describe) and the topic list kept fresh
// while a page shows it (the topics.watch stream). Reads only; topic changes are
// topic-admin-handlers.ts.
import type { MethodHandlers, StreamHandlers } from '../../common/rpc/server.ts';
import { sleep } from '../../common/util/sleep.ts';
import type { HostContext } from './host-context.ts';

type ClusterMethods = Pick<MethodHandlers, 'cluster.describe' | 'topics.list' | 'topics.describe'>;
type ClusterStreams = Pick<StreamHandlers, 'topics.watch'>;

export function createClusterHandlers(ctx: HostContext): { methods: ClusterMethods; streams: ClusterStreams } {
  return {
    methods: {
      'cluster.describe': async ({ connectionId }) => (await ctx.clientFor(connectionId)).overview(),
      'topics.list': async ({ connectionId, includeInternal }) =>
        (await ctx.clientFor(connectionId)).listTopics({ includeInternal }),
      'topics.describe': async ({ connectionId, topic }) => (await ctx.clientFor(connectionId)).describeTopic(topic),
    },
    streams: {
      'topics.watch': async ({ connectionId, includeInternal, intervalMs }, emit, { signal }) => {
        const client = await ctx.clientFor(connectionId);
        while (!signal.aborted) {
          emit({ topics: await client.listTopics({ includeInternal }), refreshedAt: Date.now() });
          await sleep(intervalMs, signal);
        }
      },
    },
  };
}
