// Refresh: reads the view's data again now. Named "Refresh" (tests and screen readers find it
// so); while a read runs it says "Loading…" and its icon turns.
import { RefreshCw } from 'lucide-react';

export function RefreshButton({
  loading,
  onClick,
  testId,
}: {
  loading: boolean;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button type="button" onClick={onClick} disabled={loading} data-testid={testId} className="refresh-button">
      <RefreshCw aria-hidden className={loading ? 'spinning' : undefined} />
      {loading ? 'Loading…' : 'Refresh'}
    </button>
  );
}
