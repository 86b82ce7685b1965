// Runs a JavaScript filter expression over records in a Web Worker (predicate.worker.ts):
// compile once, then test batches. A batch that takes longer than PREDICATE_BATCH_TIMEOUT_MS
// stops the worker — the expression probably loops forever — and says on which records.
import { plainRecord } from '../../../../src/codecs/record-frame.ts';
import type { RecordDto } from '../../../../src/contract/dto.ts';
import type { PredicateReply, PredicateRequest } from './predicate.worker.ts';

export const PREDICATE_BATCH_TIMEOUT_MS = 2_000;

export class PredicateError extends Error {}

export class PredicateRunner {
  private readonly worker: Worker;
  private waiting: { resolve(reply: PredicateReply): void; reject(err: Error): void } | null = null;
  private batchNo = 0;
  private stopped: string | null = null;

  constructor() {
    this.worker = new Worker(new URL('./predicate.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<PredicateReply>) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.resolve(event.data);
    };
    this.worker.onerror = (event) => this.stop(`The filter's worker failed: ${event.message}`);
  }

  async compile(code: string): Promise<void> {
    const reply = await this.ask({ type: 'compile', code }, 'compiling the filter');
    if (reply.type === 'error') throw this.fail(reply.message);
  }

  /** Which of the records match, in order. (Rows read from a record frame decode lazily through getters, which a
   * structured clone would not see: they go to the worker as plain copies.) */
  async test(records: RecordDto[]): Promise<boolean[]> {
    const batch = ++this.batchNo;
    const first = records[0];
    const reply = await this.ask({ type: 'test', batch, records: records.map(plainRecord) }, first ? `the records from partition ${first.partition}, offset ${first.offset} on` : 'an empty batch');
    if (reply.type === 'error') throw this.fail(reply.message);
    if (reply.type !== 'tested' || reply.batch !== batch) throw this.fail('The filter worker answered out of turn.');
    return reply.matches;
  }

  terminate(): void {
    this.stop('Stopped.');
  }

  private ask(request: PredicateRequest, what: string): Promise<PredicateReply> {
    if (this.stopped) return Promise.reject(new PredicateError(this.stopped));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.stop(`The filter ran longer than ${PREDICATE_BATCH_TIMEOUT_MS / 1000} s on ${what}, and was stopped. Does it loop forever?`), PREDICATE_BATCH_TIMEOUT_MS);
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.worker.postMessage(request);
    });
  }

  private fail(message: string): PredicateError {
    this.stop(message);
    return new PredicateError(message);
  }

  private stop(message: string): void {
    if (this.stopped) return;
    this.stopped = message;
    this.worker.terminate();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(new PredicateError(message));
  }
}
