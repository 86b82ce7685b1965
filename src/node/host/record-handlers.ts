// The host side of records.*: one whole record (records.get: from the replay log, else from the
// cluster), many whole records as an NDJSON or CSV file's text (records.export: read from the
// log in batches, src/node/log/record-lookup.ts), and producing one (writable connections only).
import { decodePayload } from '../../common/codecs/payload.ts';
import { toRecordDto } from '../../common/codecs/record-dto.ts';
import type { RecordDto } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { exportRecords } from '../../common/export/record-export.ts';
import type { KafkaRecord } from '../kafka/index.ts';
import { forEachHeldRecord } from '../log/record-lookup.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';
import type { HostContext } from './host-context.ts';

type RecordMethods = Pick<MethodHandlers, 'records.get' | 'records.export' | 'records.produce'>;

/** A download built in memory stays below this; larger exports go through the CLI. */
const EXPORT_MAX_BYTES = 200 * 1024 * 1024;

export function createRecordHandlers(ctx: HostContext): RecordMethods {
  /** A record the replay log lacks, read from the cluster (it may be gone: NOT_FOUND). */
  const fromCluster = async (
    connectionId: string,
    topic: string,
    partition: number,
    offset: string,
  ): Promise<RecordDto> => {
    const at = BigInt(offset);
    let found: KafkaRecord | undefined;
    await (
      await ctx.clientFor(connectionId)
    ).read({
      topic,
      partitions: [partition],
      from: { kind: 'offset', offset: at },
      follow: false,
      maxRecords: 1,
      onRecords: (records) => void (found ??= records[0]),
    });
    if (!found || found.offset !== at)
      throw new EventscopeError(
        'NOT_FOUND',
        `No record at offset ${offset} of ${topic}-${partition}: it was compacted, deleted by retention, or never written.`,
      );
    return toRecordDto(found);
  };

  const tooLarge = (): EventscopeError =>
    new EventscopeError(
      'BAD_CONFIG',
      `These records hold more than ${EXPORT_MAX_BYTES / 1024 / 1024} MB: export them with "eventscope export" instead, which streams to a file.`,
    );
  const sizeOf = (record: RecordDto): number => (record.value?.size ?? 0) + (record.key?.size ?? 0);

  return {
    'records.get': async ({ connectionId, topic, partition, offset }) => {
      const at = BigInt(offset);
      await ctx.checkHeld(connectionId, topic, false);
      const source = ctx.logFor(connectionId);
      const stored = source.log.read({ cluster: source.cluster, topic, partition }, at, 1)[0];
      if (stored && stored.offset === at) return toRecordDto(stored);
      return fromCluster(connectionId, topic, partition, offset);
    },

    'records.export': async ({ connectionId, topic, records, format }) => {
      await ctx.checkHeld(connectionId, topic, false);
      const source = ctx.logFor(connectionId);
      const held = new Map<string, RecordDto>();
      let heldBytes = 0;
      forEachHeldRecord(
        source.log,
        source.cluster,
        topic,
        records.map((r) => ({ partition: r.partition, offset: BigInt(r.offset) })),
        (record) => {
          const dto = toRecordDto(record);
          heldBytes += sizeOf(dto);
          if (heldBytes > EXPORT_MAX_BYTES) throw tooLarge();
          held.set(`${dto.partition}:${dto.offset}`, dto);
        },
      );
      // In the order asked, what the log lacks read from the cluster.
      const whole: RecordDto[] = [];
      let bytes = 0;
      for (const { partition, offset } of records) {
        const record =
          held.get(`${partition}:${BigInt(offset)}`) ?? (await fromCluster(connectionId, topic, partition, offset));
        bytes += sizeOf(record);
        if (bytes > EXPORT_MAX_BYTES) throw tooLarge();
        whole.push(record);
      }
      return { text: exportRecords(whole, format), count: whole.length };
    },

    'records.produce': async ({ connectionId, topic, partition, key, value, headers }) => {
      const profile = await ctx.profileOf(connectionId);
      if (profile && !profile.writable)
        throw new EventscopeError(
          'WRITE_NOT_ALLOWED',
          `"${profile.name}" is read-only. Mark it "Allow writes" in its connection settings to produce records.`,
        );
      const written = await (
        await ctx.clientFor(connectionId)
      ).produce(topic, {
        ...(partition !== undefined ? { partition } : {}),
        key: decodePayload(key),
        value: decodePayload(value),
        headers: headers.map((h) => ({ key: h.key, value: decodePayload(h.value) })),
      });
      return { partition: written.partition, offset: written.offset.toString() };
    },
  };
}
