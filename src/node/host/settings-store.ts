// The user's settings, in <dataDir>/settings.json (written atomically). Today: the replay
// log's size cap per cluster, how often watched groups' lag is sampled, and the time zone timestamps are shown in. A file that does not parse or holds an out-of-range value is
// not silently replaced (it may be the user's own edit): the app starts with the defaults and
// the settings screen says what is wrong with the file until the user saves over it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LAG_SAMPLE_MAX_SEC, LAG_SAMPLE_MIN_SEC, LOG_CAP_MAX_MB, LOG_CAP_MIN_MB } from '../../common/contract/dto.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';

const SavedSettings = z.object({
  version: z.literal(1),
  logCapMb: z.number().int().min(LOG_CAP_MIN_MB).max(LOG_CAP_MAX_MB).optional(),
  lagSampleIntervalSec: z.number().int().min(LAG_SAMPLE_MIN_SEC).max(LAG_SAMPLE_MAX_SEC).optional(),
  timeZone: z.enum(['local', 'utc']).optional(),
  /** The folder projection files are kept in (projections.setFolder); absent: <dataDir>/projections. */
  projectionsFolder: z.string().min(1).max(4096).optional(),
});
export type SavedSettings = z.infer<typeof SavedSettings>;

export class SettingsStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  /** Synchronous: the replay log needs its cap before the service answers anything. */
  load(): { settings: SavedSettings; problem: string | null } {
    if (!existsSync(this.path)) return { settings: { version: 1 }, problem: null };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      return {
        settings: { version: 1 },
        problem: `The settings file ${this.path} is not JSON (${(err as Error).message}); the defaults are in use. Saving here replaces it.`,
      };
    }
    const parsed = SavedSettings.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
      return {
        settings: { version: 1 },
        problem: `The settings file ${this.path} is not valid (${issues}); the defaults are in use. Saving here replaces it.`,
      };
    }
    return { settings: parsed.data, problem: null };
  }

  async save(settings: SavedSettings): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(settings, null, 2));
  }
}
