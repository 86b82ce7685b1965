// One Kafka server process (kafka.Kafka with a server.properties): start it, stop it with
// SIGTERM (a controlled shutdown: a broker hands its partition leadership over) and SIGKILL
// after a grace period, and take it along if the test process exits without stopping it.
import { spawn, type ChildProcess } from 'node:child_process';
import { javaBinary, kafkaClasspath, LOG4J_CONFIG } from './kafka-classpath.ts';

const STOP_GRACE_MS = 15_000;

export class KafkaNodeProcess {
  private child: ChildProcess | null = null;
  private stderrTail = '';
  private running = false;
  private readonly dir: string;
  private readonly config: string;
  private readonly heap: string;
  private readonly killOnExit = (): void => {
    if (this.running) this.child?.kill('SIGKILL');
  };

  /** dir: the node's working and log directory; config: its server.properties. */
  constructor(dir: string, config: string, heap = '1g') {
    this.dir = dir;
    this.config = config;
    this.heap = heap;
  }

  get exited(): boolean {
    return !this.running;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last few KB the process wrote to stderr (for start-up failures). */
  get stderr(): string {
    return this.stderrTail;
  }

  start(): void {
    const child = spawn(
      javaBinary(),
      [
        '-Xms256m',
        `-Xmx${this.heap}`,
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        `-Dkafka.logs.dir=${this.dir}`,
        '-cp',
        kafkaClasspath(),
        'kafka.Kafka',
        this.config,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dir },
    );
    this.child = child;
    this.running = true;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-8000)));
    child.once('exit', () => {
      if (this.child === child) this.running = false;
    });
    process.once('exit', this.killOnExit);
  }

  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }
}
