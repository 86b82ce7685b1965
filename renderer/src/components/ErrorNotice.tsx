// An error where it happened: what went wrong (the host's message names the cause) and,
// where it helps, a way to try again.
import { CircleAlert } from 'lucide-react';
import { EventscopeError } from '@common/contract/errors.ts';

export function errorText(err: unknown): string {
  if (err instanceof EventscopeError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const code = error instanceof EventscopeError ? error.code : null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error" data-code={code ?? undefined}>
      <CircleAlert className="icon" aria-hidden />
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
