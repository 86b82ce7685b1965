// The time zone record timestamps are shown in (the Settings screen's choice, kept by the
// host): one value for the whole page, so the list and the detail pane always agree. Loaded
// from the host the first time a view that shows timestamps asks for it.
import { useEffect } from 'react';
import { create } from 'zustand';
import type { TimeZoneChoice } from '@common/format/timestamps.ts';
import { rpc } from './host-store.ts';

interface TimeZoneState {
  zone: TimeZoneChoice;
  loaded: boolean;
  /** Asks the host for the saved choice (once; again after a failure). */
  load(): Promise<void>;
  /** Saves a new choice with the host; the page follows at once. */
  choose(zone: TimeZoneChoice): Promise<void>;
}

let loading: Promise<void> | null = null;

export const useTimeZoneStore = create<TimeZoneState>((set, get) => ({
  zone: 'local',
  loaded: false,
  load: () => {
    if (get().loaded) return Promise.resolve();
    loading ??= rpc()
      .call('settings.get', {})
      .then((settings) => set({ zone: settings.timeZone, loaded: true }))
      .catch(() => undefined)
      .finally(() => (loading = null));
    return loading;
  },
  choose: async (zone) => {
    // Shown at once (a radio button follows the click); put back if the host does not keep it.
    const before = get().zone;
    set({ zone });
    try {
      const settings = await rpc().call('settings.update', { timeZone: zone });
      set({ zone: settings.timeZone, loaded: true });
    } catch (err) {
      set({ zone: before });
      throw err;
    }
  },
}));

/** The zone to show timestamps in; loads the saved choice on first use. */
export function useTimeZone(): TimeZoneChoice {
  const zone = useTimeZoneStore((s) => s.zone);
  const loaded = useTimeZoneStore((s) => s.loaded);
  useEffect(() => {
    if (!loaded) void useTimeZoneStore.getState().load();
  }, [loaded]);
  return zone;
}
