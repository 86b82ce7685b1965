// Gathers the spans a read fetches, per partition, and stores them in the replay log in one
// transaction when asked. A fast tail gets a fetch answer every few milliseconds, often a
// handful of records per partition; a commit for each of those (a WAL frame of a 64 KB page
// or more) cost a tail more CPU than anything else on the host. Contiguous spans of a
// partition are merged, so a row holds many fetches' records and compresses better too.
import type { KafkaRecord } from '../kafka/index.ts';
import type { OffsetRange, ReplayLog, SpanToStore } from './replay-log.ts';

interface PendingSpan {
  span: OffsetRange;
  records: KafkaRecord[];
}

export class SpanBatcher {
  private readonly log: ReplayLog;
  private readonly cluster: string;
  private readonly topic: string;
  /** Per partition, the spans not yet stored; usually one (contiguous fetches merged). */
  private pending = new Map<number, PendingSpan[]>();
  private count = 0;

  constructor(log: ReplayLog, cluster: string, topic: string) {
    this.log = log;
    this.cluster = cluster;
    this.topic = topic;
  }

  /** Records held and not yet stored. */
  get size(): number {
    return this.count;
  }

  add(partition: number, span: OffsetRange, records: readonly KafkaRecord[]): void {
    if (span.to <= span.from) return;
    let spans = this.pending.get(partition);
    if (!spans) this.pending.set(partition, (spans = []));
    const last = spans[spans.length - 1];
    if (last && last.span.to === span.from) {
      last.span = { from: last.span.from, to: span.to };
      for (const r of records) last.records.push(r);
    } else {
      spans.push({ span, records: [...records] });
    }
    this.count += records.length;
  }

  /** Stores everything held in one transaction. Throws what ReplayLog.appendAll throws; the held spans are dropped either way. */
  store(): number {
    if (this.pending.size === 0) return 0;
    const spans: SpanToStore[] = [];
    for (const [partition, held] of this.pending)
      for (const { span, records } of held)
        spans.push({ key: { cluster: this.cluster, topic: this.topic, partition }, span, records });
    this.pending = new Map();
    this.count = 0;
    return this.log.appendAll(spans);
  }
}
