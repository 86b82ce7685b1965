// The host side of log.*: browsing what the replay log holds of a topic (log.page back in
// time, log.scanPage forward with a cursor, the log.search stream with a filter: the cursors
// and the scan are src/node/log/log-scan.ts), and what the log holds per connection (log.usage,
// log.clear). A capture is browsed in its own file and cannot be cleared.
import { toRecordDto } from '../../common/codecs/record-dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { compileFilter } from '../../common/filters/record-filter.ts';
import { searchLog, scanPage } from '../log/log-scan.ts';
import { pageBefore } from '../log/log-pages.ts';
import type { RecordDto } from '../../common/contract/dto.ts';
import type { MethodHandlers, StreamHandlers } from '../../common/rpc/server.ts';
import { PREVIEW_BYTES } from '../tail/tail-session.ts';
import type { HostContext } from './host-context.ts';

type LogMethods = Pick<MethodHandlers, 'log.page' | 'log.scanPage' | 'log.usage' | 'log.clear'>;
type LogStreams = Pick<StreamHandlers, 'log.search'>;

export function createLogHandlers(ctx: HostContext): { methods: LogMethods; streams: LogStreams } {
  const { log } = ctx;
  return {
    methods: {
      'log.page': async ({ connectionId, topic, before, limit }) => {
        await ctx.checkHeld(connectionId, topic, false);
        const source = ctx.logFor(connectionId);
        const page = pageBefore(source.log, source.cluster, topic, before, limit);
        return { records: page.records.map((r) => toRecordDto(r, PREVIEW_BYTES)), more: page.more };
      },

      'log.scanPage': async ({ connectionId, topic, after, limit, previewBytes }) => {
        if (Object.keys(after).length === 0) await ctx.checkHeld(connectionId, topic, false);
        const source = ctx.logFor(connectionId);
        return scanPage(source.log, source.cluster, topic, after, limit, previewBytes);
      },

      'log.usage': async () => ({
        capBytes: log.capBytes,
        clusters: log.usage().map(({ cluster, ...held }) => ({ connectionId: cluster, ...held })),
      }),

      'log.clear': async ({ connectionId }) => {
        if (ctx.captures.has(connectionId))
          throw new EventscopeError('BAD_CONFIG', 'A capture file is read-only: close it instead of clearing it.');
        return { freedBytes: log.clear(connectionId) };
      },
    },
    streams: {
      'log.search': async ({ connectionId, topic, filter }, emit, { signal }) => {
        let matches: (record: RecordDto) => boolean;
        try {
          matches = compileFilter(filter);
        } catch (err) {
          throw new EventscopeError('INVALID_PARAMS', (err as Error).message, 'filter');
        }
        await ctx.checkHeld(connectionId, topic, false);
        const source = ctx.logFor(connectionId);
        await searchLog(source.log, source.cluster, topic, matches, PREVIEW_BYTES, emit, signal);
      },
    },
  };
}
