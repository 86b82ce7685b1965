// The host side of settings.*: the user's settings as saved (settings-store.ts), the one
// overridden for a run by the environment (the log cap: EVENTSCOPE_LOG_CAP_MB), and what a
// change sets going (a new log cap at once, lag sampling started again at the new interval).
import { LAG_SAMPLE_DEFAULT_SEC, type Settings } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ReplayLog } from '../log/replay-log.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';
import { notSaved } from './host-context.ts';
import { SettingsStore, type SavedSettings } from './settings-store.ts';

const MIB = 1024 * 1024;

type SettingsMethods = Pick<MethodHandlers, 'settings.get' | 'settings.update'>;

/** The settings in force: loaded once at start (the replay log needs its cap before anything else), replaced on each save. */
export class HostSettings {
  private readonly store: SettingsStore;
  saved: SavedSettings;
  /** What is wrong with the settings file (the defaults are in use), until a save replaces it. */
  problem: string | null;
  /** The log cap from the environment (bytes), which wins over the saved one for this run. */
  readonly logCapFromEnvironment: number | undefined;

  constructor(dataDir: string, logCapFromEnvironment: number | undefined) {
    this.store = new SettingsStore(dataDir);
    ({ settings: this.saved, problem: this.problem } = this.store.load());
    this.logCapFromEnvironment = logCapFromEnvironment;
  }

  /** The replay log's cap per cluster to open it with; undefined: its default. */
  logCapBytes(): number | undefined {
    return this.logCapFromEnvironment ?? (this.saved.logCapMb === undefined ? undefined : this.saved.logCapMb * MIB);
  }

  lagSampleIntervalSec(): number {
    return this.saved.lagSampleIntervalSec ?? LAG_SAMPLE_DEFAULT_SEC;
  }

  async save(next: SavedSettings): Promise<void> {
    await this.store.save(next);
    this.saved = next;
    this.problem = null;
  }
}

export function createSettingsHandlers(
  settings: HostSettings,
  log: ReplayLog,
  onLagIntervalChanged: () => void,
): SettingsMethods {
  const current = (): Settings => ({
    logCapMb: Math.round(log.capBytes / MIB),
    logCapFromEnvironment: settings.logCapFromEnvironment !== undefined,
    lagSampleIntervalSec: settings.lagSampleIntervalSec(),
    timeZone: settings.saved.timeZone ?? 'local',
    problem: settings.problem,
  });

  return {
    'settings.get': async () => current(),

    'settings.update': async ({ logCapMb, lagSampleIntervalSec: interval, timeZone }) => {
      if (logCapMb !== undefined && settings.logCapFromEnvironment !== undefined) {
        throw new EventscopeError(
          'BAD_CONFIG',
          `The replay log's cap is set by EVENTSCOPE_LOG_CAP_MB for this run; unset it to change the cap here.`,
          'logCapMb',
        );
      }
      const next = {
        ...settings.saved,
        ...(logCapMb !== undefined ? { logCapMb } : {}),
        ...(interval !== undefined ? { lagSampleIntervalSec: interval } : {}),
        ...(timeZone !== undefined ? { timeZone } : {}),
      };
      await settings.save(next).catch(notSaved('The settings were not saved.'));
      if (logCapMb !== undefined) log.setCap(logCapMb * MIB);
      if (interval !== undefined) onLagIntervalChanged();
      return current();
    },
  };
}
