// The sandbox channel the JavaScript filter and projections share: answers in order, a time
// limit per request counted from when the worker can start on it, and a worker that stops
// (time limit, memory, crash) fails everything still waiting, saying where it was.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SandboxChannel, SandboxStopped, type SandboxTransport } from '../../src/common/projections/sandbox-channel.ts';

/** A worker whose answers the test gives by hand. */
function fakeWorker(): {
  transport: SandboxTransport<string, string>;
  sent: string[];
  answer(reply: string): void;
  die(kind: 'memory' | 'crashed', message: string): void;
  terminated: () => boolean;
} {
  const sent: string[] = [];
  let handlers: Parameters<SandboxTransport<string, string>['connect']>[0] | null = null;
  let terminated = false;
  return {
    transport: {
      post: (message) => void sent.push(message),
      connect: (h) => void (handlers = h),
      terminate: () => void (terminated = true),
    },
    sent,
    answer: (reply) => handlers!.reply(reply),
    die: (kind, message) => handlers!.died({ kind, message }),
    terminated: () => terminated,
  };
}

describe('sandbox channel', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("answers pipelined requests in order; each one's time counts from when the one before was answered", async () => {
    const worker = fakeWorker();
    const channel = new SandboxChannel(worker.transport, { timeLimitMs: 1000 });
    const a = channel.request('a', 'first');
    const b = channel.request('b', 'second');
    expect(worker.sent).toEqual(['a', 'b']);
    expect(channel.inFlight).toBe(2);
    await vi.advanceTimersByTimeAsync(900);
    worker.answer('A');
    await expect(a).resolves.toBe('A');
    // 900 ms after b was sent, but b's clock started only now.
    await vi.advanceTimersByTimeAsync(900);
    worker.answer('B');
    await expect(b).resolves.toBe('B');
    expect(worker.terminated()).toBe(false);
  });

  it('stops the worker at the time limit, failing every waiting request with where the worker was', async () => {
    const worker = fakeWorker();
    const progress = new Int32Array(new SharedArrayBuffer(8));
    const channel = new SandboxChannel(worker.transport, { timeLimitMs: 500, progress });
    const a = channel.request('a', 'batch 1');
    const b = channel.request('b', 'batch 2');
    const failures = [a, b].map((p) => p.catch((e: unknown) => e));
    progress[0] = 1;
    progress[1] = 42;
    await vi.advanceTimersByTimeAsync(501);
    const [ea, eb] = await Promise.all(failures);
    expect(ea).toBeInstanceOf(SandboxStopped);
    expect(ea).toMatchObject({ reason: { kind: 'timeout', limitMs: 500 }, context: 'batch 1', progress: [1, 42] });
    expect(eb).toBe(ea);
    expect(worker.terminated()).toBe(true);
    await expect(channel.request('c', 'later')).rejects.toBe(ea);
  });

  it('a request may have its own time limit', async () => {
    const worker = fakeWorker();
    const channel = new SandboxChannel(worker.transport, { timeLimitMs: 100 });
    const slow = channel.request('finish', 'finish', [], 5000);
    await vi.advanceTimersByTimeAsync(4000);
    worker.answer('done');
    await expect(slow).resolves.toBe('done');
  });

  it('a worker that dies (out of memory) fails what waits; terminate() fails it with its message', async () => {
    const worker = fakeWorker();
    const channel = new SandboxChannel(worker.transport, { timeLimitMs: 1000 });
    const a = channel.request('a', 'batch 1');
    worker.die('memory', 'Worker terminated due to reaching memory limit');
    await expect(a).rejects.toMatchObject({ reason: { kind: 'memory' }, context: 'batch 1', progress: null });
    const other = fakeWorker();
    const stopped = new SandboxChannel(other.transport, { timeLimitMs: 1000 });
    const b = stopped.request('b', 'x');
    stopped.terminate('Stopped.');
    await expect(b).rejects.toMatchObject({ reason: { kind: 'terminated', message: 'Stopped.' } });
    expect(other.terminated()).toBe(true);
  });
});
