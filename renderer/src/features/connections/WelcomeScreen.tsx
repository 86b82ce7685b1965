// First start: no saved connection yet. Offers the usual local broker.
import { useCaptures } from '../../state/captures-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { ConnectionForm } from './ConnectionForm.tsx';
import { emptyDraft } from './connection-draft.ts';

export function WelcomeScreen() {
  const sample = useCaptures((s) => s.captures.find((c) => c.id === 'sample'));
  const go = useNavigation((s) => s.go);
  return (
    <div className="welcome" data-testid="welcome">
      <h1>Welcome to Eventscope</h1>
      {sample && (
        <div className="panel sample-card">
          <h2>Look around first</h2>
          <p>
            {sample.description} {sample.records.toLocaleString()} records in {sample.topics} topics, no cluster needed.
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => go({ kind: 'topics', connectionId: sample.id })}
            data-testid="open-sample"
          >
            Open the sample capture
          </button>
        </div>
      )}
      <p>
        Connect to a Kafka cluster to browse its topics. A broker on this machine usually listens on localhost:9092.
      </p>
      <ConnectionForm initial={emptyDraft()} isNew title="Your first connection" />
    </div>
  );
}
