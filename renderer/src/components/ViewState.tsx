// The three states a view has before (or instead of) its content: loading, empty and error,
// drawn the same way everywhere (an icon, one line saying what is so, and what to do), so a
// blank area never leaves the user guessing whether something is still coming.
import type { ReactNode } from 'react';
import { CircleAlert, Inbox, LoaderCircle } from 'lucide-react';
import { EventscopeError } from '@common/contract/errors.ts';
import { errorText } from './ErrorNotice.tsx';

type Props =
  | { state: 'loading'; title?: string; children?: ReactNode; testId?: string }
  | { state: 'empty'; title: string; children?: ReactNode; testId?: string }
  | { state: 'error'; error: unknown; title?: string; onRetry?: () => void; testId?: string };

export function ViewState(props: Props) {
  if (props.state === 'loading') {
    return (
      <div
        className="view-state view-state-loading"
        role="status"
        aria-live="polite"
        data-testid={props.testId ?? 'view-loading'}
      >
        <LoaderCircle aria-hidden />
        <p className="view-state-title">{props.title ?? 'Loading…'}</p>
        {props.children && <p>{props.children}</p>}
      </div>
    );
  }
  if (props.state === 'empty') {
    return (
      <div className="view-state view-state-empty" data-testid={props.testId ?? 'view-empty'}>
        <Inbox aria-hidden />
        <p className="view-state-title">{props.title}</p>
        {props.children && <p>{props.children}</p>}
      </div>
    );
  }
  // The error state keeps ErrorNotice's test id and code, so a view's error reads the same
  // whether it replaced the content (nothing loaded yet) or sits above older content.
  const code = props.error instanceof EventscopeError ? props.error.code : undefined;
  return (
    <div className="view-state view-state-error" role="alert" data-testid={props.testId ?? 'error'} data-code={code}>
      <CircleAlert aria-hidden />
      <p className="view-state-title">{props.title ?? 'This could not be loaded'}</p>
      <p>{errorText(props.error)}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * The states of a filtered list of what a cluster or a capture holds (topics, groups): loading
 * until the list comes (unless it failed: the error shows elsewhere), and empty when nothing is
 * shown, saying whether the source holds none or the filter matches none.
 */
export function FilteredListState({
  all,
  shown,
  failed,
  loadingTitle,
  testId,
  noneTitle,
  noneHint,
  noMatchTitle,
  noMatchHint,
}: {
  /** Everything listed (null or undefined while loading). */
  all: readonly unknown[] | null | undefined;
  shown: number;
  failed: boolean;
  loadingTitle: string;
  testId: string;
  noneTitle: string;
  noneHint?: string;
  noMatchTitle: string;
  noMatchHint: string;
}) {
  if (all === null || all === undefined) return failed ? null : <ViewState state="loading" title={loadingTitle} />;
  if (shown > 0) return null;
  return (
    <ViewState state="empty" testId={testId} title={all.length === 0 ? noneTitle : noMatchTitle}>
      {all.length === 0 ? noneHint : noMatchHint}
    </ViewState>
  );
}
