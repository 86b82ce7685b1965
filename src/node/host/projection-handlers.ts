// The host side of projections.*: the workspace folder of projection files, and the events of
// a range for a run in the page (the projection's code never runs here: it runs in a Web
// Worker of the page). Reads never join a group or commit.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { MethodHandlers, StreamHandlers } from '../../common/rpc/server.ts';
import { readChangelog } from '../projections/changelog-reader.ts';
import { ProjectionWorkspaceFolder } from '../projections/projection-workspace.ts';
import { FrameAcks, streamRangeEvents } from '../projections/range-events.ts';
import type { HostContext } from './host-context.ts';
import type { HostSettings } from './settings-handlers.ts';

type ProjectionMethods = Pick<
  MethodHandlers,
  | 'projections.workspace'
  | 'projections.setFolder'
  | 'projections.read'
  | 'projections.write'
  | 'projections.delete'
  | 'projections.ack'
  | 'projections.readChangelog'
>;
type ProjectionStreams = Pick<StreamHandlers, 'projections.events'>;

/** Where the sample projections are: beside the sample capture (resources/, unpacked when packaged). */
export function sampleProjectionsDir(sampleCapturePath: string | null | undefined): string | null {
  return sampleCapturePath ? join(dirname(sampleCapturePath), 'projections') : null;
}

export function createProjectionHandlers(
  ctx: HostContext,
  settings: HostSettings,
  samplesDir: string | null,
): { methods: ProjectionMethods; streams: ProjectionStreams } {
  const workspace = new ProjectionWorkspaceFolder({
    dataDir: ctx.dataDir,
    samplesDir,
    chosen: () => settings.saved.projectionsFolder,
    choose: async (folder) => {
      const next = { ...settings.saved };
      if (folder === undefined) delete next.projectionsFolder;
      else next.projectionsFolder = folder;
      await settings.save(next);
    },
  });
  const reads = new Map<string, FrameAcks>();

  return {
    methods: {
      'projections.workspace': async () => workspace.describe(),
      'projections.setFolder': async ({ folder, create }) => workspace.setFolder(folder, create),
      'projections.read': async ({ name }) => workspace.read(name),
      'projections.write': async ({ name, source, expectedModifiedMs }) =>
        workspace.write(name, source, expectedModifiedMs),
      'projections.delete': async ({ name }) => ({ deleted: await workspace.delete(name) }),
      'projections.ack': async ({ readId, seq }) => {
        const acks = reads.get(readId);
        acks?.ack(seq);
        return { known: acks !== undefined };
      },
      'projections.readChangelog': async ({ connectionId, topic, maxKeys }, { signal }) =>
        readChangelog(await ctx.clientFor(connectionId), topic, maxKeys, signal),
    },
    streams: {
      'projections.events': async (params, emit, { signal }) => {
        const client = await ctx.clientFor(params.connectionId);
        const { log, cluster } = ctx.logFor(params.connectionId);
        const notices = await ctx.checkHeld(params.connectionId, params.topic, true);
        const readId = randomUUID();
        const acks = new FrameAcks();
        reads.set(readId, acks);
        try {
          await streamRangeEvents(
            params,
            { client, log, cluster, offline: ctx.captures.has(params.connectionId), readId, signal, notices },
            acks,
            emit,
          );
        } finally {
          reads.delete(readId);
        }
      },
    },
  };
}
