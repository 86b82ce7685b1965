// The eventscope command's help: one entry per subcommand (its usage line, what it does, its
// options with their defaults, examples). `eventscope --help` (the overview) and
// `eventscope COMMAND --help` (and the help shown after a usage error) are both built from it.

export interface OptionHelp {
  /** As typed: `--from POSITION`. */
  flag: string;
  /** What it does, default included (wrapped to the width of the help). */
  text: string;
}

export interface CommandHelp {
  name: string;
  /** What follows `eventscope NAME` on the usage line. */
  args: string;
  /** What it does, as the overview says it (one entry per line). */
  summary: string[];
  /** More about it, printed after the summary by the command's own help. */
  details?: string[];
  options: OptionHelp[];
  examples: string[];
}

const BOOTSTRAP: OptionHelp = {
  flag: '--bootstrap HOST:PORT[,HOST:PORT]',
  text: "where the cluster is (overrides the --config file's bootstrap.servers)",
};
const CONFIG: OptionHelp = {
  flag: '--config FILE',
  text: 'a Kafka client.properties or kcat config file (SASL, TLS settings)',
};
const TIMEOUT: OptionHelp = { flag: '--timeout MS', text: 'connect timeout (default 10000)' };
const HELP: OptionHelp = { flag: '-h, --help', text: 'this help' };
const CLUSTER = [BOOTSTRAP, CONFIG, TIMEOUT];
const json = (what: string): OptionHelp => ({
  flag: '--json',
  text: `${what}; offsets and counts as decimal strings (default: a table)`,
});
const ISOLATION: OptionHelp = {
  flag: '--isolation LEVEL',
  text: 'read_committed (default: aborted transactions skipped; reading to the end stops at the last stable offset) or read_uncommitted (every record, open transactions included, up to the high watermark)',
};
const from = (defaultPosition: string): OptionHelp => ({
  flag: '--from POSITION',
  text: `earliest, latest, offset:N, time:ISO-8601 (or epoch ms) or last:N per partition (default ${defaultPosition})`,
});
const PARTITION: OptionHelp = {
  flag: '--partition P',
  text: 'read only partition P; repeat for more (default: every partition)',
};
const MAX: OptionHelp = { flag: '--max N', text: 'stop after N records in all (default: no limit)' };

export const COMMANDS: readonly CommandHelp[] = [
  {
    name: 'serve',
    args: '[--port N] [--data-dir DIR]',
    summary: ['Browser mode: serves the app on 127.0.0.1 and prints its URL with a one-time token.'],
    details: ['Runs until Ctrl-C. The token in the URL works once: the first browser to open it gets a session.'],
    options: [
      { flag: '--port N', text: 'the port to listen on (default: a free port)' },
      {
        flag: '--data-dir DIR',
        text: "where connections, settings and the replay log are kept (default: $EVENTSCOPE_DATA_DIR, else the app's folder, e.g. ~/.config/Eventscope)",
      },
      HELP,
    ],
    examples: ['eventscope serve', 'eventscope serve --port 8080 --data-dir ./eventscope-data'],
  },
  {
    name: 'topics',
    args: '--bootstrap HOST:PORT [--config FILE] [--internal] [--json]',
    summary: ['Lists topics with partition count, replication factor and message count.'],
    options: [
      ...CLUSTER,
      { flag: '--internal', text: 'include internal topics such as __consumer_offsets (default: left out)' },
      json('an array of topics'),
      HELP,
    ],
    examples: ['eventscope topics --bootstrap localhost:9092', 'eventscope topics --config client.properties --json'],
  },
  {
    name: 'describe',
    args: 'TOPIC --bootstrap HOST:PORT [--config FILE] [--json]',
    summary: ['Partitions (leader, replicas, ISR, earliest/latest offsets) and configs of one topic.'],
    options: [...CLUSTER, json('the topic with its partitions and configs'), HELP],
    examples: ['eventscope describe orders --bootstrap localhost:9092'],
  },
  {
    name: 'tail',
    args: 'TOPIC --bootstrap HOST:PORT [--from POSITION] [--partition P]… [--max N] [--end] [--json] [--isolation LEVEL]',
    summary: [
      'Records, one per line, from POSITION: earliest, latest (default), offset:N, time:ISO-8601',
      'or last:N (per partition). Follows new records until Ctrl-C, --max N records, or --end',
      '(the end offsets when it started). Never joins a consumer group.',
    ],
    details: [
      'Text lines are "partition:offset<TAB>key<TAB>value". On a terminal, stderr shows how far the',
      'read has come while the records go to a file or a pipe.',
    ],
    options: [
      ...CLUSTER,
      from('latest'),
      PARTITION,
      MAX,
      { flag: '--end', text: 'stop at the end offsets seen at the start (default: follow new records until Ctrl-C)' },
      {
        flag: '--json',
        text: 'one JSON object per record (NDJSON); record bytes as {"encoding":"utf8","text":…} or, when not valid UTF-8, {"encoding":"base64","base64":…} (default: text lines)',
      },
      ISOLATION,
      HELP,
    ],
    examples: [
      'eventscope tail orders --bootstrap localhost:9092 --from last:10 --end',
      'eventscope tail orders --bootstrap localhost:9092 --from time:2026-11-26T10:00:00Z --json > orders.ndjson',
    ],
  },
  {
    name: 'export',
    args: 'TOPIC --bootstrap HOST:PORT [--from POSITION] [--partition P]… [--max N] [--format ndjson|csv] [--output FILE] [--isolation LEVEL]',
    summary: [
      'Like tail --end: every record from POSITION (default earliest) to the end offsets seen at',
      'the start, as NDJSON (the tail --json lines) or CSV, to FILE or standard output.',
    ],
    details: [
      'Exits 130/143 when stopped by Ctrl-C/SIGTERM. On a terminal, stderr shows how far the export',
      'has come (records, bytes, percentage, rate, time left).',
    ],
    options: [
      ...CLUSTER,
      from('earliest'),
      PARTITION,
      MAX,
      { flag: '--format FORMAT', text: 'ndjson (default: the tail --json lines) or csv (RFC 4180, with a header row)' },
      { flag: '--output FILE', text: 'write FILE.partial, renamed to FILE once complete (default: standard output)' },
      ISOLATION,
      HELP,
    ],
    examples: [
      'eventscope export orders --bootstrap localhost:9092 --output orders.ndjson',
      'eventscope export orders --bootstrap localhost:9092 --partition 0 --format csv > orders-0.csv',
    ],
  },
  {
    name: 'groups',
    args: '--bootstrap HOST:PORT [--json]',
    summary: [
      'Every consumer group (classic, consumer protocol, share, streams) with state, members,',
      'coordinator, total lag and time lag (the age of the oldest unconsumed record).',
    ],
    options: [...CLUSTER, json('an array of groups'), HELP],
    examples: ['eventscope groups --bootstrap localhost:9092'],
  },
  {
    name: 'lag',
    args: 'GROUP --bootstrap HOST:PORT [--samples N] [--interval 10s] [--json]',
    summary: [
      'The columns of kafka-consumer-groups --describe (CURRENT-OFFSET, LOG-END-OFFSET, LAG,',
      'CONSUMER-ID, HOST, CLIENT-ID) plus time lag and status. A status (OK, WARN, STALL, STOP,',
      'REWIND) needs a window: --samples 10 reads the offsets 10 times, --interval apart.',
    ],
    options: [
      ...CLUSTER,
      {
        flag: '--samples N',
        text: 'read the offsets N times, 1 to 1000 (default 1: no status; 3 or more evaluate it)',
      },
      { flag: '--interval DURATION', text: 'time between samples: 500ms, 10s, 2m (default 10s)' },
      json('the group with its members and partitions'),
      HELP,
    ],
    examples: [
      'eventscope lag billing --bootstrap localhost:9092',
      'eventscope lag billing --bootstrap localhost:9092 --samples 10 --interval 10s',
    ],
  },
  {
    name: 'reset-offsets',
    args: 'GROUP --bootstrap HOST:PORT (--to-earliest | --to-latest | --to-datetime ISO | --to-offset N | --shift-by N) [--topic T[:P,P…]]… [--execute] [--json]',
    summary: [
      "Moves the group's committed offsets (default: the partitions it has offsets for).",
      'A dry run that prints before and after unless --execute; the group must have no members.',
    ],
    details: ["Targets outside a partition's range are kept within it."],
    options: [
      ...CLUSTER,
      { flag: '--to-earliest', text: 'to the earliest offset (one of --to-… and --shift-by is required)' },
      { flag: '--to-latest', text: 'to the latest offset (the high watermark)' },
      { flag: '--to-datetime ISO', text: 'to the first offset at or after that time, e.g. 2026-11-28T09:00:00Z' },
      { flag: '--to-offset N', text: 'to offset N' },
      { flag: '--shift-by N', text: 'by N from the committed offset (negative moves back)' },
      {
        flag: '--topic T[:P,P…]',
        text: 'only topic T (or its partitions P); repeat for more (default: every partition the group has offsets on)',
      },
      { flag: '--execute', text: 'move the offsets (default: a dry run that changes nothing)' },
      json('the plan: every partition with its offset before and after'),
      HELP,
    ],
    examples: [
      'eventscope reset-offsets billing --bootstrap localhost:9092 --to-datetime 2026-11-28T09:00:00Z',
      'eventscope reset-offsets billing --bootstrap localhost:9092 --topic orders:0,2 --shift-by -100',
    ],
  },
  {
    name: 'replay',
    args: '--projection FILE --topic T (--bootstrap HOST:PORT | --capture FILE) [--from POSITION] [--to OFFSET|time:ISO] [--partition P]… [--json]',
    summary: ['Replays a range of topics through a projection (a JavaScript reducer) and prints its final state.'],
    details: [
      'Events are fed in order: per partition by offset; across partitions (and topics) by timestamp, then topic, then partition.',
      'The projection runs in a sandbox (a worker thread with no modules, no network, no files) with a memory limit and a time limit per batch of events.',
      'Exit 1 when the projection fails: the message names the file, the line and the event (topic, partition, offset).',
    ],
    options: [
      {
        flag: '--projection FILE',
        text: 'the projection: a JavaScript module whose default export is { typeFrom, init, keyBy?, on, any? } (see README "Projections")',
      },
      { flag: '--topic T', text: 'a topic to replay; repeat for more (their events are merged by timestamp)' },
      { flag: '--bootstrap HOST:PORT[,HOST:PORT]', text: 'read from this cluster' },
      { flag: '--config FILE', text: 'a Kafka client.properties or kcat config file (SASL, TLS settings)' },
      { flag: '--capture FILE', text: 'read from a capture file (.eventscope) instead of a cluster' },
      {
        flag: '--from POSITION',
        text: 'earliest, latest, offset:N, time:ISO-8601 (or epoch ms) or last:N per partition (default earliest)',
      },
      {
        flag: '--to OFFSET|time:ISO',
        text: 'the last offset to replay in each partition (inclusive), or a time: each partition stops before its first event later than it (default: the end offsets seen at the start)',
      },
      {
        flag: '--partition P',
        text: 'replay only partition P of each topic; repeat for more (default: every partition)',
      },
      { flag: '--isolation LEVEL', text: 'read_committed (default) or read_uncommitted' },
      {
        flag: '--time-limit DURATION',
        text: 'how long one batch of events may take before the projection is stopped (e.g. 500ms, 10s; default 5s)',
      },
      { flag: '--memory-limit MB', text: "the sandbox's heap limit in MB (default 1024)" },
      {
        flag: '--json',
        text: 'one JSON object: { projection, keyed, state | states, counts, ranges } (on failure: { failure })',
      },
      { flag: '-h, --help', text: 'this help' },
    ],
    examples: [
      'eventscope replay --projection resources/projections/revenue-per-customer.js --topic orders --capture resources/sample-capture.eventscope',
      'eventscope replay --projection order-lifecycle.js --topic orders --topic payments --bootstrap localhost:9092 --from time:2026-11-25T06:00:00Z --json',
    ],
  },
];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

export function isCommand(name: string | undefined): name is string {
  return name !== undefined && byName.has(name);
}

/** The width help is wrapped to. */
const WIDTH = 100;
/** Flags longer than this get their text on the next line, so that one long flag does not push every text right. */
const FLAG_COLUMN = 20;

/** Words into lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** Options in two columns: the flags, then what they do (wrapped, continuation lines under it). */
function optionLines(options: readonly OptionHelp[]): string[] {
  const width = Math.min(FLAG_COLUMN, Math.max(...options.map((o) => o.flag.length)));
  const indent = ' '.repeat(2 + width + 2);
  return options.flatMap((o) => {
    const text = wrap(o.text, WIDTH - indent.length).map((line) => indent + line);
    if (o.flag.length > width) return [`  ${o.flag}`, ...text];
    return [`  ${o.flag.padEnd(width)}  ${text[0]!.trimStart()}`, ...text.slice(1)];
  });
}

/** `eventscope --help`: every command's usage line and summary, then the options most of them take. */
export const USAGE = [
  'eventscope — inspect Apache Kafka event streams',
  '',
  'Usage:',
  ...COMMANDS.flatMap((c) => [`  eventscope ${c.name} ${c.args}`, ...c.summary.map((line) => `      ${line}`)]),
  '',
  'Options:',
  ...optionLines([
    ...CLUSTER,
    { flag: '--json', text: 'machine-readable output; offsets and counts are decimal strings' },
    ISOLATION,
    HELP,
  ]),
  '',
  'Run "eventscope COMMAND --help" for a command\'s options and examples.',
  '',
].join('\n');

/** `eventscope COMMAND --help`: its usage line, what it does, its options with their defaults, examples. */
export function commandHelp(name: string): string {
  const c = byName.get(name);
  if (!c) return USAGE;
  return [
    `Usage: eventscope ${c.name} ${c.args}`,
    '',
    ...c.summary,
    ...(c.details ?? []),
    '',
    'Options:',
    ...optionLines(c.options),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
