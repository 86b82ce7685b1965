// The eventscope command: `serve` (browser mode) and read-only cluster commands whose
// --json output is the contract's DTOs (offsets as decimal strings).
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { ConnectionProfile, ConnectionSecrets } from '../../common/contract/dto.ts';
import { ConnectionProfile as ProfileSchema } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { parseBootstrap } from '../../common/contract/bootstrap.ts';
import { fileWriteError } from '../files/atomic-file.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import { CSV_HEADER, type ExportFormat } from '../../common/export/record-export.ts';
import { PlaintextFileSecretVault } from '../connections/secret-vault.ts';
import { openClusterClient } from '../kafka/index.ts';
import { commandHelp, isCommand, USAGE } from './cli-help.ts';
import { describeText, jsonOrText, topicTable } from './cli-table.ts';
import { parseFrom, runTail, type TailOptions } from './cli-tail.ts';

/** Bad arguments (exit 2): said with the help of the command they were given to (the overview when there is none). */
export class UsageError extends Error {
  command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

const OPTIONS = {
  bootstrap: { type: 'string' },
  config: { type: 'string' },
  internal: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  from: { type: 'string' },
  partition: { type: 'string', multiple: true },
  max: { type: 'string' },
  end: { type: 'boolean', default: false },
  isolation: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  timeout: { type: 'string' },
  samples: { type: 'string' },
  interval: { type: 'string' },
  topic: { type: 'string', multiple: true },
  execute: { type: 'boolean', default: false },
  'to-earliest': { type: 'boolean', default: false },
  'to-latest': { type: 'boolean', default: false },
  'to-datetime': { type: 'string' },
  'to-offset': { type: 'string' },
  'shift-by': { type: 'string' },
  projection: { type: 'string' },
  capture: { type: 'string' },
  to: { type: 'string' },
  'time-limit': { type: 'string' },
  'memory-limit': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig;

const parseStrict = (args: string[]) => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
type Flags = ReturnType<typeof parseStrict>['values'];

/**
 * `--shift-by -4` as kafka-consumer-groups takes it: parseArgs reads a value that starts with a
 * dash as another option, so a negative number after an option is joined to it (`--shift-by=-4`).
 */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i]!.startsWith('--') && !argv[i]!.includes('=') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const args = joinNegativeNumbers(argv);
  // Read leniently first, to know the command (whose help a bad flag is shown with) and whether
  // help is asked for: `eventscope tail --help` is help, whatever else is on the line.
  const loose = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: false });
  const named = loose.positionals[0];
  const command = isCommand(named) ? named : undefined;
  if (loose.values.help === true && loose.values.version !== true) {
    out.write(command ? commandHelp(command) : USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parseStrict(args);
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS'))
      throw new UsageError((err as Error).message, command);
    throw err;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    out.write(`${(await import('./app-paths.ts')).appVersion()}\n`);
    return 0;
  }
  if (!named) {
    out.write(USAGE);
    return 2;
  }
  try {
    return await runCommand(named, positionals.slice(1), values, out);
  } catch (err) {
    if (err instanceof UsageError && command) err.command ??= command;
    throw err;
  }
}

async function runCommand(command: string, rest: string[], values: Flags, out: NodeJS.WritableStream): Promise<number> {
  switch (command) {
    case 'serve':
      return serve(values.port, values['data-dir']);
    case 'topics': {
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        const topics = await client.listTopics({ includeInternal: values.internal });
        out.write(jsonOrText(values.json, topics, topicTable));
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
        out.write(jsonOrText(values.json, detail, describeText));
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
      // The progress line (stderr, on a terminal) unless the records themselves go to the terminal.
      const progress = values.output !== undefined || !isTerminal(out);
      const options: TailOptions = {
        ...tailOptions(topic, { ...values, from: values.from ?? 'earliest' }),
        stopAtEnd: true,
        format,
        progress,
      };
      const connection = await connectionFromFlags(values);
      // Opened before anything is read: a folder that does not exist is said at once.
      const output =
        values.output === undefined ? stdoutOutput(out, format) : await openOutputFile(values.output, format);
      let interrupted: string | null = null;
      const onSignal = (signal: string): void => void (interrupted ??= signal);
      try {
        const client = await openClusterClient(...connection);
        try {
          // runTail stops reading on these too; noted here so that the file is not named complete.
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          await runTail(client, options, output.sink, process.stderr);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await client.close();
        }
      } catch (err) {
        // A failed write also fails runTail (its own words for it): ours name the file and the cause.
        throw await output.abandon(output.sink.failure ?? err);
      }
      if (interrupted !== null) {
        await output.abandon(null);
        return interrupted === 'SIGINT' ? 130 : 143;
      }
      await output.finish();
      return 0;
    }
    case 'tail': {
      const topic = rest[0];
      if (!topic) throw new UsageError('tail needs a topic name: eventscope tail TOPIC --bootstrap HOST:PORT');
      const options = tailOptions(topic, values);
      // A read with no --max may be long: a progress line (stderr, on a terminal) unless the records go to the terminal.
      if (options.maxRecords === undefined && !isTerminal(out)) options.progress = true;
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        return await runTail(client, options, out, process.stderr);
      } finally {
        await client.close();
      }
    }
    case 'replay': {
      // Loaded here: the projection sandbox is nothing the other commands need.
      const { replayCommand } = await import('./cli-replay.ts');
      const code = await replayCommand(values, out, process.stderr, {
        openCluster: async () => openClusterClient(...(await connectionFromFlags(values))),
      });
      // The result is written and every resource closed, yet after a cluster replay a handle
      // (not yet found) keeps the loop alive: end once the output is flushed.
      process.stdout.write('', () => process.exit(code));
      return code;
    }
    case 'groups':
    case 'lag':
    case 'reset-offsets': {
      const groupId = rest[0];
      if (command !== 'groups' && !groupId)
        throw new UsageError(`${command} needs a group id: eventscope ${command} GROUP --bootstrap HOST:PORT`);
      const commands = await import('./cli-groups.ts');
      const client = await openClusterClient(...(await connectionFromFlags(values)));
      try {
        if (command === 'groups') return await commands.groupsCommand(client, values, out);
        if (command === 'lag') return await commands.lagCommand(client, groupId!, values, out);
        return await commands.resetOffsetsCommand(client, groupId!, values, out);
      } catch (err) {
        throw err instanceof commands.GroupUsageError ? new UsageError(err.message) : err;
      } finally {
        await client.close();
      }
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function tailOptions(
  topic: string,
  values: {
    from?: string | undefined;
    partition?: string[] | undefined;
    max?: string | undefined;
    end?: boolean | undefined;
    json?: boolean | undefined;
    isolation?: string | undefined;
  },
): TailOptions {
  const isolation = values.isolation;
  if (isolation !== undefined && isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new UsageError(
      `--isolation ${isolation}: use read_committed (the default: aborted transactions skipped, up to the last stable offset) or read_uncommitted (every record, open transactions included).`,
    );
  }
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
    if (!/^\d{1,15}$/.test(values.max) || Number(values.max) < 1)
      throw new UsageError(`--max ${values.max} is not a positive whole number.`);
    maxRecords = Number(values.max);
  }
  return {
    topic,
    from,
    ...(partitions ? { partitions } : {}),
    ...(maxRecords !== undefined ? { maxRecords } : {}),
    ...(isolation !== undefined ? { isolation } : {}),
    stopAtEnd: values.end === true,
    format: values.json === true ? 'ndjson' : 'text',
  };
}

async function connectionFromFlags(values: {
  bootstrap?: string | undefined;
  config?: string | undefined;
  timeout?: string | undefined;
}): Promise<[ConnectionProfile, ConnectionSecrets]> {
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
  if (draft['bootstrap'] === undefined)
    throw new UsageError('Say where the cluster is: --bootstrap HOST:PORT (or --config FILE with bootstrap.servers).');
  if (values.timeout !== undefined) draft['connectTimeoutMs'] = Number(values.timeout);
  const parsed = ProfileSchema.safeParse(draft);
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return [parsed.data, secrets];
}

async function serve(portText: string | undefined, dataDirFlag: string | undefined): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${portText} is not a port number (0–65535).`);
  // Loaded here, not at the top: the read commands (tail, export) need none of the service,
  // the replay log or the web server, and a CLI read's memory is measured (issue 7: < 150 MB).
  const [
    { appVersion, defaultDataDir, logCapBytesFromEnv, rendererDir, sampleCapturePath },
    { startBrowserServer, ListenError },
    { createEventscopeService },
  ] = await Promise.all([import('./app-paths.ts'), import('./browser-server.ts'), import('./eventscope-service.ts')]);
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
  // A port in use (or not allowed) is the user's to fix: one sentence, not a stack.
  const server = await startBrowserServer({ service, staticDir: rendererDir(), port }).catch(async (err: unknown) => {
    await service.close();
    if (!(err instanceof ListenError)) throw err;
    process.stderr.write(`eventscope: ${err.message}\n`);
    return null;
  });
  if (!server) return 1;
  process.stdout.write(
    `Eventscope is running in browser mode.\nOpen ${server.url}\n(data: ${dataDir}; Ctrl-C stops it)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.close();
  return 0;
}

/**
 * Where `export` writes (the output of runTail). Every write is checked: the first failure is
 * kept (as the error to report, and as it came, for its errno), passed to runTail as the
 * 'error' it stops reading on, and what comes after it is dropped (never failed: runTail may
 * be waiting for a 'drain', which must still come).
 */
class ExportSink extends Writable {
  bytes = 0;
  failure: EventscopeError | null = null;
  /** The failure as the file system or stream raised it (EPIPE, ENOSPC…). */
  cause: NodeJS.ErrnoException | null = null;
  private readonly put: (chunk: Buffer, wrote: (bytes: number) => void) => Promise<void>;
  private readonly describe: (err: unknown) => EventscopeError;

  /** put: writes a chunk, saying as it goes how much got written (a full disk takes part of one). */
  constructor(
    put: (chunk: Buffer, wrote: (bytes: number) => void) => Promise<void>,
    describe: (err: unknown) => EventscopeError,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.put = put;
    this.describe = describe;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.failure) return callback();
    this.put(chunk, (bytes) => (this.bytes += bytes)).then(
      () => callback(),
      (err: unknown) => {
        this.fail(err);
        callback();
      },
    );
  }

  fail(err: unknown): void {
    if (this.failure) return;
    this.failure = this.describe(err);
    this.cause = err as NodeJS.ErrnoException;
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  /** Resolves once every write has been carried out (or dropped after a failure). */
  settled(): Promise<void> {
    return new Promise((resolve) => this.end(resolve));
  }
}

interface ExportOutput {
  sink: ExportSink;
  /** After a read to the end: everything is written and the file named as asked; else the write error (the partial file named in it). */
  finish(): Promise<void>;
  /** After a read that failed (err) or was interrupted (null): says where what was written is; returns the error to throw. */
  abandon(err: unknown): Promise<unknown>;
}

/** Whether more than the CSV header row was written: a file with no record is not worth keeping. */
function holdsRecords(sink: ExportSink, format: ExportFormat): boolean {
  return sink.bytes > (format === 'csv' ? Buffer.byteLength(CSV_HEADER) + 2 : 0);
}

/** Adds a sentence to an error (its code kept), or says it on stderr when the error is not ours. */
function withNotice(err: unknown, notice: string): unknown {
  if (err instanceof EventscopeError) return new EventscopeError(err.code, `${err.message} ${notice}`, err.field);
  process.stderr.write(`eventscope: ${notice}\n`);
  return err;
}

/**
 * --output FILE: written as FILE.partial and renamed to FILE only once the read reached its end
 * and every byte is on disk, so a file by the asked name is always complete (and one already
 * there stays until then). A failed or interrupted export leaves FILE.partial and says so.
 */
async function openOutputFile(path: string, format: ExportFormat): Promise<ExportOutput> {
  const partial = `${path}.partial`;
  const isFolder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isFolder)
    throw new EventscopeError('WRITE_FAILED', `Cannot write ${path}: it is a folder. Give --output a file name.`);
  const handle = await open(partial, 'w').catch((err: unknown) => {
    throw fileWriteError(err, path);
  });
  const sink = new ExportSink(
    async (chunk, wrote) => {
      for (let at = 0; at < chunk.length;) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
        wrote(bytesWritten);
        at += bytesWritten;
      }
    },
    (err) => fileWriteError(err, path),
  );
  const keepOrRemove = async (): Promise<string> => {
    await sink.settled();
    await handle.close().catch(() => undefined);
    if (holdsRecords(sink, format))
      return `The ${sink.bytes} bytes written so far are in ${partial}; ${path} was not written.`;
    await unlink(partial).catch(() => undefined);
    return `Nothing was written to ${path}.`;
  };
  return {
    sink,
    finish: async () => {
      await sink.settled();
      if (!sink.failure) {
        try {
          await handle.sync();
          await handle.close();
          await rename(partial, path);
          return;
        } catch (err) {
          sink.fail(err);
        }
      }
      throw withNotice(sink.failure, await keepOrRemove());
    },
    abandon: async (err) => {
      const notice = await keepOrRemove();
      if (err === null) {
        process.stderr.write(`eventscope: export interrupted. ${notice}\n`);
        return null;
      }
      // A failed write says so itself, whether it surfaced during the read or at the end; "stopped
      // there" is for a read that failed.
      return withNotice(err, sink.failure ? notice : `The export stopped there. ${notice}`);
    },
  };
}

/**
 * Standard output: no file to name as partial, but a failed write is still said and fails the
 * command; except a closed pipe (`export … | head`): the reader chose to stop, which ends the
 * export quietly, as it ends `tail` (and kcat).
 */
function stdoutOutput(out: NodeJS.WritableStream, format: ExportFormat): ExportOutput {
  const sink = new ExportSink(
    (chunk, wrote) =>
      new Promise<void>(
        (resolve, reject) =>
          void out.write(chunk, (err?: Error | null) => (err ? reject(err) : resolve(wrote(chunk.length)))),
      ),
    (err) => fileWriteError(err, 'standard output'),
  );
  // A failed write also comes as an 'error' event (ENOSPC, EPIPE): handled, never a crash with
  // a stack trace. Left attached: a stream that failed may still say so after the export.
  out.on('error', (err: unknown) => sink.fail(err));
  const written = (): string =>
    holdsRecords(sink, format) ? `${sink.bytes} bytes of it were written.` : 'no record was written.';
  return {
    sink,
    finish: async () => {
      await sink.settled();
      if (sink.failure && sink.cause?.code !== 'EPIPE')
        throw withNotice(sink.failure, `The export stopped there: ${written()}`);
    },
    abandon: async (err) => {
      await sink.settled();
      if (err === null) {
        process.stderr.write(`eventscope: export interrupted. ${written()}\n`);
        return null;
      }
      return withNotice(err, `The export stopped there: ${written()}`);
    },
  };
}

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      const command = err instanceof UsageError ? err.command : undefined;
      process.stderr.write(`eventscope: ${(err as Error).message}\n\n${command ? commandHelp(command) : USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof EventscopeError) {
      process.stderr.write(`eventscope: ${err.message} [${err.code}]\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`eventscope: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
