// First start: no saved connection yet. Offers the usual local broker.
import { ConnectionForm } from './ConnectionForm.tsx';
import { emptyDraft } from './connection-draft.ts';

export function WelcomeScreen() {
  return (
    <div className="welcome" data-testid="welcome">
      <h1>Welcome to Eventscope</h1>
      <p>Connect to a Kafka cluster to browse its topics. A broker on this machine usually listens on localhost:9092.</p>
      <ConnectionForm initial={emptyDraft()} isNew title="Your first connection" />
    </div>
  );
}
