export function RefreshButton({ loading, onClick, testId }: { loading: boolean; onClick: () => void; testId?: string }) {
  return (
    <button type="button" onClick={onClick} disabled={loading} data-testid={testId}>
      {loading ? 'Loading…' : 'Refresh'}
    </button>
  );
}
