// kcat as an independent Kafka client (librdkafka) to produce test data.
import { execFileSync, spawnSync } from 'node:child_process';

export function kcatAvailable(): boolean {
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Consumes a topic to its end as a member of a consumer group (creates __consumer_offsets, commits offsets). */
export function consumeWithKcatGroup(bootstrap: string, group: string, topic: string): string {
  return execFileSync('kcat', ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', '-X', 'enable.partition.eof=true', topic], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** Produces lines of text (one record per line) to a topic partition with kcat. */
export function produceWithKcat(bootstrap: string, topic: string, lines: string[], options: { partition?: number; key?: string } = {}): void {
  const args = ['-b', bootstrap, '-P', '-t', topic];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.key !== undefined) args.push('-K', '\t');
  const input = lines.map((l) => (options.key !== undefined ? `${options.key}\t${l}` : l)).join('\n') + '\n';
  execFileSync('kcat', args, { input, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 });
}
