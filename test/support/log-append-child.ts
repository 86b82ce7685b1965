// Child process for the crash test: appends batches to a replay log as fast as it can and
// prints "ack <partition> <lastOffset>" after each append returns. The parent kills it with
// SIGKILL at a random moment.
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';

const [path] = process.argv.slice(2);
const log = new ReplayLog(path!, { checkpointInBackground: true });
const next = new Map<number, bigint>();
for (const partition of [0, 1, 2]) {
  const ranges = log.ranges({ cluster: 'crash', topic: 'orders', partition });
  next.set(partition, ranges.length ? ranges[ranges.length - 1]!.to : 0n);
}
let round = 0;
for (;;) {
  const partition = round++ % 3;
  const from = next.get(partition)!;
  const count = 1 + (round % 200);
  const records: KafkaRecord[] = Array.from({ length: count }, (_, i) => ({
    partition,
    offset: from + BigInt(i),
    timestampMs: 1_700_000_000_000 + Number(from) + i,
    key: Buffer.from(`k${from + BigInt(i)}`),
    value: Buffer.from(`{"partition":${partition},"offset":"${from + BigInt(i)}","pad":"${'x'.repeat(i % 300)}"}`),
    headers: [{ key: 'n', value: Buffer.from(String(i)) }],
  }));
  log.append({ cluster: 'crash', topic: 'orders', partition }, { from, to: from + BigInt(count) }, records);
  next.set(partition, from + BigInt(count));
  process.stdout.write(`ack ${partition} ${from + BigInt(count) - 1n}\n`);
}
