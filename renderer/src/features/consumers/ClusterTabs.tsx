// Topics | Consumers: the two lists of a connection (or an opened capture), side by side as
// tabs above either one.
import type { ReactNode } from 'react';
import { Layers, Users } from 'lucide-react';
import { useNavigation } from '../../state/navigation-store.ts';

export function ClusterTabs({
  connectionId,
  current,
  children,
}: {
  connectionId: string;
  current: 'topics' | 'consumers';
  children: ReactNode;
}) {
  const go = useNavigation((s) => s.go);
  return (
    <div className="cluster-tabs-stack">
      <div className="cluster-tabs" role="tablist" aria-label="Cluster views">
        <button
          type="button"
          role="tab"
          aria-selected={current === 'topics'}
          className={current === 'topics' ? 'active' : ''}
          onClick={() => go({ kind: 'topics', connectionId })}
          data-testid="tab-topics"
        >
          <Layers aria-hidden />
          Topics
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={current === 'consumers'}
          className={current === 'consumers' ? 'active' : ''}
          onClick={() => go({ kind: 'consumers', connectionId })}
          data-testid="tab-consumers"
        >
          <Users aria-hidden />
          Consumers
        </button>
      </div>
      {children}
    </div>
  );
}
