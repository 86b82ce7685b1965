// The eventscope command: `serve` (browser mode) and read-only cluster commands whose
// --json output is the contract's DTOs (offsets as decimal strings).
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ConnectionProfile, ConnectionSecrets, TopicDetail, TopicSummary } from '../contract/dto.ts';
import { ConnectionProfile as ProfileSchema } from '../contract/dto.ts';
import { RpcError } from '../contract/errors.ts';
import { parseBootstrap } from '../contract/bootstrap.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import { PlaintextFileSecretVault } from '../connections/secret-vault.ts';
import { formatCount } from '../format/numbers.ts';
import { openClusterClient } from '../kafka/index.ts';
import { appVersion, defaultDataDir, logCapBytesFromEnv, rendererDir, sampleCapturePath } from './app-paths.ts';
import { startBrowserServer } from './browser-server.ts';
import { createEventscopeService } from './eventscope-service.ts';
import { parseFrom, runTail, type TailOptions } from './cli-tail.ts';

const USAGE = `eventscope — inspect Apache Kafka event streams

Usage:
  eventscope serve [--port N] [--data-dir DIR]
      Browser mode: serves the app on 127.0.0.1 and prints its URL with a one-time token.
  eventscope topics --bootstrap HOST:PORT [--config FILE] [--internal] [--json]
      Lists topics with partition count, replication factor and message count.
  eventscope describe TOPIC --bootstrap HOST:PORT [--config FILE] [--json]
      Partitions (leader, replicas, ISR, earliest/latest offsets) and configs of one topic.
  eventscope tail TOPIC --bootstrap HOST:PORT [--from POSITION] [--partition P]… [--max N] [--end] [--json]
      Records, one per line, from POSITION: earliest, latest (default), offset:N, time:ISO-8601
      or last:N (per partition). Follows new records until Ctrl-C, --max N records, or --end
      (the end offsets when it started). Never joins a consumer group.
  eventscope export TOPIC --bootstrap HOST:PORT [--from POSITION] [--partition P]… [--max N] [--format ndjson|csv] [--output FILE]
      Like tail --end: every record from POSITION (default earliest) to the end offsets seen at
      the start, as NDJSON (the tail --json lines) or CSV, to FILE or standard output.

Options:
  --bootstrap HOST:PORT[,HOST:PORT]  where the cluster is (overrides the file's bootstrap.servers)
  --config FILE   a Kafka client.properties or kcat config file (SASL, TLS settings)
  --timeout MS    connect timeout (default 10000)
  --json          machine-readable output; offsets and counts are decimal strings; record bytes
                  as {"encoding":"utf8","text":…} or, when not valid UTF-8, {"encoding":"base64","base64":…}
`;

export class UsageError extends Error {}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      bootstrap: { type: 'string' },
      config: { type: 'string' },
      internal: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      from: { type: 'string' },
      partition: { type: 'string', multiple: true },
      max: { type: 'string' },
      end: { type: 'boolean', default: false },
      format: { type: 'string' },
      output: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.version) {
    out.write(`${appVersion()}\n`);
    return 0;
  }
  if (values.help || !command) {
    out.write(USAGE);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'serve':
      return serve(values.port, values['data-dir']);
    case 'topics': {
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        const topics = await client.listTopics({ includeInternal: values.internal });
        out.write(values.json ? JSON.stringify(topics, null, 2) + '\n' : topicTable(topics));
      } finally {
        await client.close();
      }
      return 0;
    }
    case 'describe': {
      const topic = rest[0];
      if (!topic) throw new UsageError('describe needs a topic name: eventscope describe TOPIC --bootstrap HOST:PORT');
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        const detail = await client.describeTopic(topic);
        out.write(values.json ? JSON.stringify(detail, null, 2) + '\n' : describeText(detail));
      } finally {
        await client.close();
      }
      return 0;
    }
    case 'export': {
      const topic = rest[0];
      if (!topic) throw new UsageError('export needs a topic name: eventscope export TOPIC --bootstrap HOST:PORT');
      const format = values.format ?? 'ndjson';
      if (format !== 'ndjson' && format !== 'csv') throw new UsageError(`--format ${format}: use ndjson or csv.`);
      const options: TailOptions = { ...tailOptions(topic, { ...values, from: values.from ?? 'earliest' }), stopAtEnd: true, format };
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      const target = values.output ? createWriteStream(values.output) : out;
      try {
        return await runTail(client, options, target, process.stderr);
      } finally {
        await client.close();
        if (target !== out) await new Promise((resolve) => (target as WriteStream).end(resolve));
      }
    }
    case 'tail': {
      const topic = rest[0];
      if (!topic) throw new UsageError('tail needs a topic name: eventscope tail TOPIC --bootstrap HOST:PORT');
      const options = tailOptions(topic, values);
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        return await runTail(client, options, out, process.stderr);
      } finally {
        await client.close();
      }
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function tailOptions(topic: string, values: { from?: string | undefined; partition?: string[] | undefined; max?: string | undefined; end?: boolean | undefined; json?: boolean | undefined }): TailOptions {
  let from;
  try {
    from = parseFrom(values.from ?? 'latest');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const partitions = values.partition?.map((p) => {
    if (!/^\d{1,9}$/.test(p)) throw new UsageError(`--partition ${p} is not a partition number.`);
    return Number(p);
  });
  let maxRecords: number | undefined;
  if (values.max !== undefined) {
    if (!/^\d{1,15}$/.test(values.max) || Number(values.max) < 1) throw new UsageError(`--max ${values.max} is not a positive whole number.`);
    maxRecords = Number(values.max);
  }
  return { topic, from, ...(partitions ? { partitions } : {}), ...(maxRecords !== undefined ? { maxRecords } : {}), stopAtEnd: values.end === true, format: values.json === true ? 'ndjson' : 'text' };
}

async function connectionFromFlags(values: { bootstrap?: string | undefined; config?: string | undefined; timeout?: string | undefined }): Promise<[ConnectionProfile, ConnectionSecrets]> {
  let draft: Record<string, unknown> = { id: 'cli', name: 'cli' };
  let secrets: ConnectionSecrets = {};
  if (values.config) {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read --config ${values.config}: ${(err as Error).message}`);
    }
    const imported = importConnectionFile(values.config, text);
    draft = { ...imported.profile, id: 'cli' };
    secrets = imported.secrets;
    for (const w of imported.warnings) process.stderr.write(`eventscope: ${w}\n`);
  }
  if (values.bootstrap !== undefined) {
    const parsed = parseBootstrap(values.bootstrap);
    if (!parsed.ok) throw new UsageError(`--bootstrap: ${parsed.error}`);
    draft['bootstrap'] = values.bootstrap;
  }
  if (draft['bootstrap'] === undefined) throw new UsageError('Say where the cluster is: --bootstrap HOST:PORT (or --config FILE with bootstrap.servers).');
  if (values.timeout !== undefined) draft['connectTimeoutMs'] = Number(values.timeout);
  const parsed = ProfileSchema.safeParse(draft);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return [parsed.data, secrets];
}

async function serve(portText: string | undefined, dataDirFlag: string | undefined): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${portText} is not a port number (0–65535).`);
  const dataDir = dataDirFlag ?? defaultDataDir();
  const service = createEventscopeService({
    version: appVersion(),
    mode: 'browser',
    dataDir,
    vault: new PlaintextFileSecretVault(dataDir),
    openClusterClient,
    sampleCapturePath: sampleCapturePath(),
    logCapBytesPerCluster: logCapBytesFromEnv(),
  });
  const server = await startBrowserServer({ service, staticDir: rendererDir(), port });
  process.stdout.write(`Eventscope is running in browser mode.\nOpen ${server.url}\n(data: ${dataDir}; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.close();
  return 0;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function topicTable(topics: TopicSummary[]): string {
  const nameWidth = Math.max(5, ...topics.map((t) => t.name.length));
  const lines = [`${pad('TOPIC', nameWidth)}  PARTITIONS  RF  ${pad('MESSAGES', 14, true)}  UNDER-REPLICATED`];
  for (const t of topics) {
    lines.push(`${pad(t.name, nameWidth)}  ${pad(String(t.partitionCount), 10, true)}  ${pad(String(t.replicationFactor), 2, true)}  ${pad(t.messageCount === null ? '?' : formatCount(t.messageCount), 14, true)}  ${t.underReplicatedPartitions || ''}`);
  }
  return lines.join('\n') + '\n';
}

function describeText(d: TopicDetail): string {
  const lines = [`Topic ${d.name}${d.internal ? ' (internal)' : ''}`, '', 'PARTITION  LEADER  REPLICAS  ISR  EARLIEST  LATEST'];
  for (const p of d.partitions) {
    lines.push(`${pad(String(p.partition), 9, true)}  ${pad(String(p.leader), 6, true)}  ${p.replicas.join(',')}  ${p.isr.join(',')}${p.underReplicated ? ' (under-replicated)' : ''}  ${p.earliestOffset ?? '?'}  ${p.latestOffset ?? '?'}`);
  }
  lines.push('', 'CONFIG (* = not default)');
  for (const c of d.configs) lines.push(`${c.isDefault ? ' ' : '*'} ${c.name} = ${c.sensitive ? '(sensitive)' : (c.value ?? '')}`);
  return lines.join('\n') + '\n';
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`eventscope: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof RpcError) {
      process.stderr.write(`eventscope: ${err.message} [${err.code}]\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`eventscope: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
