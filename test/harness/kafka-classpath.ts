// Finds the Apache Kafka jars for the harness: $KAFKA_HOME/libs if set, else the jars
// resolved once per machine with Maven into ~/.cache/eventscope/kafka-<version>/libs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const HARNESS_POM = join(HERE, 'pom.xml');
export const LOG4J_CONFIG = join(HERE, 'log4j2.properties');

export class HarnessUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessUnavailable';
  }
}

export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(HARNESS_POM, 'utf8'));
  if (!match?.[1]) throw new Error(`${HARNESS_POM} has no <kafka.version>`);
  return match[1];
}

function has(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

export function javaBinary(): string {
  const fromHome = process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin', 'java') : null;
  if (fromHome && existsSync(fromHome)) return fromHome;
  if (has('java', ['-version'])) return 'java';
  throw new HarnessUnavailable(
    'No Java found: the test broker needs Java 17 or newer. Install it (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.',
  );
}

/** The classpath (a directory glob) of the Kafka broker and tools. Resolves with Maven on first use. */
export function kafkaClasspath(log: (line: string) => void = () => undefined): string {
  const home = process.env['KAFKA_HOME'];
  if (home) {
    const libs = join(home, 'libs');
    if (!existsSync(libs))
      throw new HarnessUnavailable(
        `KAFKA_HOME=${home} has no libs/ folder: point it at an unpacked Apache Kafka download.`,
      );
    return `${libs}/*`;
  }
  const version = kafkaVersion();
  const cache = join(
    process.env['EVENTSCOPE_CACHE_DIR'] ?? join(homedir(), '.cache', 'eventscope'),
    `kafka-${version}`,
  );
  const libs = join(cache, 'libs');
  if (existsSync(join(libs, `kafka_2.13-${version}.jar`))) return `${libs}/*`;
  if (!has('mvn', ['-v'])) {
    throw new HarnessUnavailable(
      'Cannot get Apache Kafka for the tests: Maven (mvn) is not installed and KAFKA_HOME is not set. Install Maven (e.g. `apt-get install maven`), ' +
        'or unpack a Kafka 4.x download and set KAFKA_HOME, or point KAFKA_BOOTSTRAP_SERVERS at a running cluster.',
    );
  }
  log(`resolving Apache Kafka ${version} jars with Maven into ${libs} (once per machine)…`);
  mkdirSync(cache, { recursive: true });
  const staging = `${libs}.partial`;
  rmSync(staging, { recursive: true, force: true });
  try {
    execFileSync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        HARNESS_POM,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${staging}`,
        '-DincludeScope=runtime',
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  } catch (err) {
    throw new HarnessUnavailable(
      `Maven could not resolve org.apache.kafka:kafka_2.13:${version}: ${(err as Error).message}. Is Maven Central reachable?`,
    );
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  log(`resolved ${readdirSync(libs).length} jars`);
  return `${libs}/*`;
}
