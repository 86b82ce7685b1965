// The address of a messages view says where its tail started and what it filters: the tab
// keeps it for its link, and the shown tab replaces the address bar's entry with it (typing a
// filter adds no history).
import { useEffect, useMemo } from 'react';
import { useNavigation } from '../../state/navigation-store.ts';
import { useTabs } from '../../state/tabs-store.ts';
import type { MessagesQuery } from '../../state/view-routes.ts';
import type { FilterKind } from './use-message-filter.ts';
import type { StartedWith } from './use-start-form.ts';

export function useViewAddress(p: {
  connectionId: string;
  topic: string;
  tabId: string | undefined;
  active: boolean;
  startedWith: StartedWith | null;
  filterKind: FilterKind;
  filterText: string;
  filterEquals: string;
}): void {
  const { connectionId, topic, tabId, active, startedWith, filterKind, filterText, filterEquals } = p;
  const replace = useNavigation((s) => s.replace);
  const setTabView = useTabs((s) => s.setView);

  const address = useMemo(() => {
    const query: MessagesQuery = {};
    if (startedWith?.from) query.from = startedWith.from;
    if (startedWith && startedWith.partition !== 'all') query.partition = startedWith.partition;
    if (filterText !== '') query.filter = `${filterKind}:${filterText}`;
    if (filterText !== '' && filterKind === 'jsonPath' && filterEquals !== '') query.equals = filterEquals;
    return { kind: 'messages' as const, connectionId, topic, ...query };
  }, [connectionId, topic, startedWith, filterKind, filterText, filterEquals]);

  useEffect(() => {
    if (tabId) setTabView(tabId, address);
  }, [tabId, address, setTabView]);

  useEffect(() => {
    if (!active) return;
    const shown = useNavigation.getState().view;
    if (shown.kind === 'messages' && shown.connectionId === connectionId && shown.topic === topic) replace(address);
  }, [active, address, connectionId, topic, replace]);
}
