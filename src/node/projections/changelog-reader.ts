// A consumer's own state as it writes it to a compacted topic (a changelog): every partition
// read from its start to the end offsets seen when reading starts, the latest value per key,
// a tombstone (null value) removing its key. Values are parsed as JSON where they are JSON (the
// comparison works on JSON); others are kept as their text and counted. Read like everything
// else here: no group joined, nothing committed.
import type { ChangelogState } from '../../common/contract/projection-dto.ts';
import type { ClusterClient } from '../kafka/index.ts';

export async function readChangelog(
  client: ClusterClient,
  topic: string,
  maxKeys: number,
  signal: AbortSignal,
): Promise<ChangelogState> {
  await client.describeTopic(topic); // an unknown topic fails here, with the one message for it
  const text = new TextDecoder('utf-8');
  const latest = new Map<string, Uint8Array | null>();
  let records = 0;
  let truncated = false;
  await client.read({
    topic,
    from: { kind: 'earliest' },
    follow: false,
    signal,
    onRecords(batch) {
      for (const r of batch) {
        records++;
        if (r.key === null) continue; // a changelog record without a key belongs to no key
        const key = text.decode(r.key);
        if (r.value === null) {
          latest.delete(key);
          continue;
        }
        if (!latest.has(key) && latest.size >= maxKeys) {
          truncated = true;
          continue;
        }
        latest.set(key, r.value);
      }
    },
  });
  let notJson = 0;
  const entries: ChangelogState['entries'] = [];
  for (const [key, bytes] of latest) {
    const value = text.decode(bytes!);
    try {
      entries.push({ key, value: JSON.parse(value) as unknown });
    } catch {
      notJson++;
      entries.push({ key, value });
    }
  }
  return { entries, records, notJson, truncated };
}
