// Saved connection profiles (without secrets) in <dataDir>/connections.json.
import { join } from 'node:path';
import { z } from 'zod';
import { ConnectionProfile } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { readJsonFile } from '../files/json-file.ts';

const StoreFile = z.object({ version: z.literal(1), connections: z.array(ConnectionProfile) });

export class ConnectionStore {
  private readonly path: string;
  // Serialises read-modify-write so two saves at once cannot lose one.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'connections.json');
  }

  async list(): Promise<ConnectionProfile[]> {
    const json = await readJsonFile(this.path, 'Fix it or move it away to start with no saved connections.');
    if (json === undefined) return [];
    const parsed = StoreFile.safeParse(json);
    if (!parsed.success)
      throw new EventscopeError(
        'BAD_CONFIG',
        `${this.path} does not hold valid connections: ${parsed.error.issues[0]?.message ?? 'unknown shape'}.`,
      );
    return parsed.data.connections;
  }

  async get(id: string): Promise<ConnectionProfile> {
    const found = (await this.list()).find((c) => c.id === id);
    if (!found) throw new EventscopeError('NOT_FOUND', `No saved connection with id "${id}".`);
    return found;
  }

  upsert(profile: ConnectionProfile): Promise<void> {
    return this.mutate((all) => {
      const index = all.findIndex((c) => c.id === profile.id);
      if (index >= 0) all[index] = profile;
      else all.push(profile);
      return all;
    });
  }

  async remove(id: string): Promise<boolean> {
    let removed = false;
    await this.mutate((all) => {
      removed = all.some((c) => c.id === id);
      return all.filter((c) => c.id !== id);
    });
    return removed;
  }

  private mutate(change: (all: ConnectionProfile[]) => ConnectionProfile[]): Promise<void> {
    const next = this.queue.then(async () => {
      const all = change(await this.list());
      await writeFileAtomic(this.path, JSON.stringify({ version: 1, connections: all }, null, 2));
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
