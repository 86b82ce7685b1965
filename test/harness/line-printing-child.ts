// A long-running client process of the tests (kcat -G, Kafka's ConsoleConsumer) whose stdout is a
// line per record: the lines it printed so far, whether it is gone, and a stop that asks it to
// end (SIGTERM) and kills it after a grace time. It is killed if the test process exits first.
import type { ChildProcess } from 'node:child_process';

export interface LinePrintingChild {
  /** Every whole line printed so far (records are appended as they come). */
  lines: string[];
  exited(): boolean;
  stop(graceMs: number): Promise<void>;
}

export function followLinePrintingChild(child: ChildProcess): LinePrintingChild {
  const lines: string[] = [];
  let partial = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  child.stdout?.on('data', (chunk: Buffer) => {
    const got = (partial + chunk.toString('utf8')).split('\n');
    partial = got.pop() ?? '';
    lines.push(...got);
  });
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  return {
    lines,
    exited: () => exited,
    async stop(graceMs) {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
