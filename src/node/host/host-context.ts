// What the host's handler modules share: the saved connections and their secrets, one open
// client per connection, the open captures, the replay log, and the few questions every
// namespace asks of them (which client, which log, is what the log holds still the cluster's).
// Built once by the composer (eventscope-service.ts) and handed to each *-handlers.ts.
import type { ConnectionProfile } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ConnectionStore } from '../connections/connection-store.ts';
import type { SecretVault } from '../connections/secret-vault.ts';
import type { ClusterClient } from '../kafka/index.ts';
import { CAPTURE_CLUSTER } from '../log/capture-file.ts';
import { checkHeldTopic, type TopicSeen } from '../log/held-topic-check.ts';
import type { ReplayLog } from '../log/replay-log.ts';
import type { CaptureRegistry } from './capture-registry.ts';
import type { ClusterPool, OpenClusterClient } from './cluster-pool.ts';

/** Browsing a topic's replay log checks it against the cluster at most this often. */
const HELD_CHECK_MS = 10_000;

export interface HostContext {
  dataDir: string;
  store: ConnectionStore;
  vault: SecretVault;
  pool: ClusterPool;
  openClusterClient: OpenClusterClient;
  captures: CaptureRegistry;
  /** The app's own replay log (captures have theirs: logFor). */
  log: ReplayLog;
  /** The open client of a saved connection, or a capture's offline cluster. */
  clientFor(connectionId: string): Promise<ClusterClient>;
  /** The saved connection's profile; null for a capture. */
  profileOf(connectionId: string): Promise<ConnectionProfile | null>;
  /** Where the records of a connection or capture are kept, and under which cluster key. */
  logFor(connectionId: string): { log: ReplayLog; cluster: string };
  /**
   * Before what the log holds of a topic is shown or added to, check it is still the cluster's
   * (src/node/log/held-topic-check.ts); answers the notices to show. force: check now (a tail start);
   * otherwise at most every 10 s per topic.
   */
  checkHeld(connectionId: string, topic: string, force: boolean): Promise<string[]>;
}

export function createHostContext(
  parts: Pick<HostContext, 'dataDir' | 'store' | 'vault' | 'pool' | 'openClusterClient' | 'captures' | 'log'>,
): HostContext {
  const { store, vault, pool, captures, log } = parts;

  const clientFor = async (connectionId: string): Promise<ClusterClient> => {
    const capture = captures.get(connectionId);
    if (capture) return capture.client;
    const profile = await store.get(connectionId);
    return pool.get(profile, () => vault.load(profile.id));
  };

  // A cluster that cannot be asked (down) leaves the log as it is: browsing it offline is its use.
  const heldCheckedAt = new Map<string, number>();
  const checkHeld = async (connectionId: string, topic: string, force: boolean): Promise<string[]> => {
    if (captures.has(connectionId)) return [];
    const key = `${connectionId}\u0000${topic}`;
    if (!force && Date.now() - (heldCheckedAt.get(key) ?? -Infinity) < HELD_CHECK_MS) return [];
    heldCheckedAt.set(key, Date.now());
    let seen: TopicSeen;
    try {
      const client = await clientFor(connectionId);
      const [ids, ends] = await Promise.all([client.topicIds([topic]), client.latestOffsets([topic])]);
      seen = { topicId: ids.get(topic) ?? null, endOffsets: ends.get(topic) ?? new Map() };
      if (!ends.has(topic)) return [];
    } catch {
      return [];
    }
    return checkHeldTopic(log, connectionId, topic, seen);
  };

  return {
    ...parts,
    clientFor,
    profileOf: async (connectionId) => (captures.has(connectionId) ? null : store.get(connectionId)),
    logFor: (connectionId) => {
      const capture = captures.get(connectionId);
      return capture ? { log: capture.log, cluster: CAPTURE_CLUSTER } : { log, cluster: connectionId };
    },
    checkHeld,
  };
}

/**
 * Before a change to a cluster (topics.create…delete, groups.resetOffsets/delete): the connection
 * must be a saved one marked "Allow writes"; a capture (profile null) is never written to.
 * what: what the user tried, to follow "to" ("create topics").
 */
export function assertWritable(profile: ConnectionProfile | null, what: string): void {
  if (!profile)
    throw new EventscopeError(
      'WRITE_NOT_ALLOWED',
      `A capture file can be read, not written to: to ${what}, use a live connection marked "Allow writes".`,
    );
  if (!profile.writable)
    throw new EventscopeError(
      'WRITE_NOT_ALLOWED',
      `"${profile.name}" is read-only. Mark it "Allow writes" in its connection settings to ${what}.`,
    );
}

/**
 * A save that failed on the disk (DISK_FULL, WRITE_FAILED from writeFileAtomic, which leaves the
 * old file as it was) is answered as what was not done, then why and what to do.
 */
export function notSaved(outcome: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof EventscopeError && (err.code === 'DISK_FULL' || err.code === 'WRITE_FAILED'))
      throw new EventscopeError(err.code, `${outcome} ${err.message}`, err.field);
    throw err;
  };
}
