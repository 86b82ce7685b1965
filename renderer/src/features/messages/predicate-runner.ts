// Runs a JavaScript filter expression over records in a Web Worker (predicate.worker.ts):
// compile once, then test batches. A batch that takes longer than PREDICATE_BATCH_TIMEOUT_MS
// stops the worker — the expression probably loops forever — and says on which records. The
// turn-taking and the time limit are the sandbox channel projections use too
// (src/common/projections/sandbox-channel.ts).
import { plainRecord } from '@common/codecs/record-frame.ts';
import type { RecordDto } from '@common/contract/dto.ts';
import { SandboxChannel, SandboxStopped } from '@common/projections/sandbox-channel.ts';
import { webWorkerTransport } from '../projections/web-worker-transport.ts';
import type { PredicateReply, PredicateRequest } from './predicate.worker.ts';

export const PREDICATE_BATCH_TIMEOUT_MS = 2_000;

export class PredicateError extends Error {}

export class PredicateRunner {
  private readonly channel: SandboxChannel<PredicateRequest, PredicateReply, string>;
  private batchNo = 0;
  private failed: string | null = null;

  constructor() {
    const worker = new Worker(new URL('./predicate.worker.ts', import.meta.url), { type: 'module' });
    this.channel = new SandboxChannel(webWorkerTransport<PredicateRequest, PredicateReply>(worker), {
      timeLimitMs: PREDICATE_BATCH_TIMEOUT_MS,
    });
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
    const reply = await this.ask(
      { type: 'test', batch, records: records.map(plainRecord) },
      first ? `the records from partition ${first.partition}, offset ${first.offset} on` : 'an empty batch',
    );
    if (reply.type === 'error') throw this.fail(reply.message);
    if (reply.type !== 'tested' || reply.batch !== batch) throw this.fail('The filter worker answered out of turn.');
    return reply.matches;
  }

  terminate(): void {
    this.failed ??= 'Stopped.';
    this.channel.terminate('Stopped.');
  }

  private async ask(request: PredicateRequest, what: string): Promise<PredicateReply> {
    if (this.failed) throw new PredicateError(this.failed);
    try {
      return await this.channel.request(request, what);
    } catch (err) {
      if (!(err instanceof SandboxStopped)) throw err;
      this.failed ??= stoppedMessage(err as SandboxStopped<string>);
      throw new PredicateError(this.failed);
    }
  }

  private fail(message: string): PredicateError {
    this.failed ??= message;
    this.channel.terminate(message);
    return new PredicateError(message);
  }
}

function stoppedMessage(err: SandboxStopped<string>): string {
  const reason = err.reason;
  if (reason.kind === 'timeout')
    return `The filter ran longer than ${PREDICATE_BATCH_TIMEOUT_MS / 1000} s on ${err.context ?? 'a batch'}, and was stopped. Does it loop forever?`;
  if (reason.kind === 'terminated') return reason.message;
  return `The filter's worker failed: ${reason.message}`;
}
