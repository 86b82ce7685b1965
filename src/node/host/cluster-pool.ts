// One open ClusterClient per saved connection, reused across calls and dropped when the
// connection is edited or removed.
import type { ConnectionProfile, ConnectionSecrets } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ClusterClient } from '../kafka/index.ts';

export type OpenClusterClient = (profile: ConnectionProfile, secrets: ConnectionSecrets) => Promise<ClusterClient>;

export class ClusterPool {
  private readonly clients = new Map<string, Promise<ClusterClient>>();
  /** After closeAll (the host shutting down): a call still running opens no new client. */
  private closed = false;

  private readonly open: OpenClusterClient;

  constructor(open: OpenClusterClient) {
    this.open = open;
  }

  get(profile: ConnectionProfile, loadSecrets: () => Promise<ConnectionSecrets>): Promise<ClusterClient> {
    if (this.closed) return Promise.reject(new EventscopeError('DISCONNECTED', 'Eventscope is shutting down.'));
    let client = this.clients.get(profile.id);
    if (!client) {
      client = loadSecrets().then((secrets) => this.open(profile, secrets));
      this.clients.set(profile.id, client);
      // A client that failed to open is not cached: the next call tries again.
      client.catch(() => this.clients.delete(profile.id));
    }
    return client;
  }

  async drop(id: string): Promise<void> {
    const client = this.clients.get(id);
    this.clients.delete(id);
    await client?.then((c) => c.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.clients.keys()].map((id) => this.drop(id)));
  }
}
