// The host side of captures.*: opening and closing capture files (offline clusters, kept by
// capture-registry.ts) and writing what the replay log holds of a topic into a new one, with
// the lag history of the watched groups that read it.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CAPTURE_CLUSTER, exportCapture } from '../log/capture-file.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';
import type { GroupService } from './group-handlers.ts';
import type { HostContext } from './host-context.ts';

type CaptureMethods = Pick<MethodHandlers, 'captures.list' | 'captures.open' | 'captures.close' | 'captures.export'>;

export function createCaptureHandlers(
  ctx: HostContext,
  groups: Pick<GroupService, 'copyHistoryToCapture'>,
): CaptureMethods {
  const { captures } = ctx;
  return {
    'captures.list': async () => captures.list(),

    'captures.open': async ({ path }) => captures.open(path),

    'captures.close': async ({ id }) => ({ closed: captures.close(id) }),

    'captures.export': async ({ connectionId, topic, partitions, path }) => {
      await ctx.checkHeld(connectionId, topic, false);
      const source = ctx.logFor(connectionId);
      const target =
        path ??
        join(
          ctx.dataDir,
          'captures',
          `${topic.replace(/[^A-Za-z0-9._-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.eventscope`,
        );
      mkdirSync(dirname(target), { recursive: true });
      const profile = captures.has(connectionId) ? null : await ctx.store.get(connectionId).catch(() => null);
      const { records } = exportCapture(
        source.log,
        source.cluster,
        [{ topic, ...(partitions ? { partitions } : {}) }],
        target,
        {
          name: `${topic} (${profile?.name ?? connectionId})`,
          description: `Exported from ${profile?.bootstrap ?? connectionId} on ${new Date().toISOString()}`,
          createdAt: Date.now(),
          source: profile?.bootstrap ?? connectionId,
        },
      );
      // The lag history of the watched groups that read the topic travels with it.
      if (!captures.has(connectionId)) groups.copyHistoryToCapture(connectionId, topic, target, CAPTURE_CLUSTER);
      return { path: target, records };
    },
  };
}
