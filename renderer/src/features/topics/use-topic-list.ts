// The topic list of a cluster, refreshed by the host's topics.watch stream while the
// page is visible, and at once on demand. Each list read is handed to the command palette
// (its topic names), which offers them without reading the cluster again.
import { useCallback, useEffect, useState } from 'react';
import type { TopicSummary } from '@common/contract/dto.ts';
import { useSubscription } from '../../components/use-subscription.ts';
import { usePalette } from '../palette/palette-store.ts';

export const TOPIC_REFRESH_INTERVAL_MS = 15_000;

export interface TopicList {
  topics: TopicSummary[] | null;
  refreshedAt: number | null;
  error: unknown;
  loading: boolean;
  refresh(): void;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = (): void => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export function useTopicList(connectionId: string, includeInternal: boolean): TopicList {
  const [topics, setTopics] = useState<TopicSummary[] | null>(null);
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const visible = usePageVisible();

  useEffect(() => {
    setTopics(null);
  }, [connectionId]);

  const watch = useSubscription();
  useEffect(() => {
    if (!visible) return;
    setLoading(true);
    setError(null);
    watch.open(
      'topics.watch',
      { connectionId, includeInternal, intervalMs: TOPIC_REFRESH_INTERVAL_MS },
      {
        onEvent: (update) => {
          setTopics(update.topics);
          usePalette.getState().rememberTopics(
            connectionId,
            update.topics.map((t) => t.name),
          );
          setRefreshedAt(update.refreshedAt);
          setError(null);
          setLoading(false);
        },
        onEnd: (err) => {
          if (err === null) return;
          setError(err);
          setLoading(false);
        },
      },
    );
    return () => watch.close();
  }, [connectionId, includeInternal, visible, generation, watch]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { topics, refreshedAt, error, loading, refresh };
}
