// What the messages view has to say above its list: how the user's last action went (a start
// position that does not read, an export, a saved capture), and what the tail and the filter
// are doing (errors, the phase in words, notices from the host, read progress, rows pushed out
// to the replay log, newer rows not shown).
import { formatBytes, formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { MAX_WINDOW_ROWS } from './message-window.ts';
import type { TailProgress, TailState } from './use-tail.ts';

/** The banner under the toolbar: what the tail is doing, in words, with the rate while records arrive. */
function statusBanner(state: TailState): { className: string; text: string } | null {
  const rate = state.rate > 0 ? ` · ${formatCount(state.rate)} records/s` : '';
  switch (state.phase) {
    case 'live':
      return {
        className: 'notice-live',
        text: rate ? `${(state.message ?? 'Live').replace(/\.$/, '')}${rate}` : (state.message ?? 'Live.'),
      };
    case 'caught-up':
      return { className: 'notice-ok', text: state.message ?? 'Caught up.' };
    case 'outage':
      return state.message ? { className: 'notice-error', text: state.message } : null;
    case 'paused':
      return state.message ? { className: 'notice-warning', text: state.message } : null;
    case 'done':
      return state.message ? { className: 'notice-ok', text: state.message } : null;
    default:
      return null;
  }
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Progress of a read against the end offsets seen at its start, until it has caught up with them. */
function ProgressLine({ progress, rate, running }: { progress: TailProgress; rate: number; running: boolean }) {
  if (progress.target === 0) return null;
  const finished = progress.done >= progress.target;
  const pct = finished ? 100 : Math.min(99, Math.floor((progress.done * 100) / progress.target));
  const left = progress.target - progress.done;
  const elapsed = ((progress.finishedAt ?? Date.now()) - progress.startedAt) / 1000;
  const detail = finished
    ? `in ${formatDuration(elapsed)}`
    : running && rate > 0
      ? `${formatCount(rate)} records/s · about ${formatDuration(left / rate)} left`
      : running
        ? 'reading…'
        : 'stopped';
  return (
    <div
      className={`tail-progress${finished ? ' tail-progress-done' : ''}`}
      data-testid="tail-progress"
      data-percent={pct}
    >
      <progress max={progress.target} value={Math.min(progress.done, progress.target)} aria-label="Read progress" />
      <span className="meta">
        {finished ? 'Caught up with the end seen at the start: ' : 'Reading to the end seen at the start: '}
        <span data-testid="tail-progress-percent">{pct} %</span> · {formatCount(progress.records)} records ·{' '}
        {formatBytes(progress.bytes)} · {formatCount(Math.min(progress.done, progress.target))} of{' '}
        {formatCount(progress.target)} offsets · {detail}
      </span>
    </div>
  );
}

/** How the user's last action went. */
export function ActionNotices({
  formError,
  exportError,
  captureSaved,
}: {
  formError: string | null;
  exportError: unknown;
  captureSaved: string | null;
}) {
  return (
    <>
      {formError && (
        <div className="notice notice-error" role="alert">
          {formError}
        </div>
      )}
      <ErrorNotice error={exportError} />
      {captureSaved && (
        <div className="notice notice-ok" data-testid="capture-saved">
          {captureSaved}
        </div>
      )}
    </>
  );
}

export interface TailNoticesProps {
  state: TailState;
  running: boolean;
  /** The list shows a search's results (the tail's window notices do not apply). */
  searching: boolean;
  /** The filter's error (it does not compile, the JavaScript filter failed). */
  filterError: string | null;
  filterPending: boolean;
  searchError: unknown;
  onLoadOlder(): void;
  onJumpToLatest(): void;
}

/** What the tail and the filter are doing. */
export function TailNotices({
  state,
  running,
  searching,
  filterError,
  filterPending,
  searchError,
  onLoadOlder,
  onJumpToLatest,
}: TailNoticesProps) {
  const banner = statusBanner(state);
  return (
    <>
      {filterError && (
        <div className="notice notice-error" role="alert" data-testid="filter-error">
          {filterError}
        </div>
      )}
      {filterPending && (
        <div className="meta" data-testid="filter-pending">
          Filtering…
        </div>
      )}
      <ErrorNotice error={state.error ?? searchError} />
      {banner && (
        <div className={`notice ${banner.className}`} data-testid="tail-message">
          {banner.text}
        </div>
      )}
      {state.logStopped && (
        <div className="notice notice-warning" data-testid="log-stopped">
          {state.logStopped}
        </div>
      )}
      {state.notices.map((notice, i) => (
        <div key={i} className="notice notice-warning" data-testid="tail-notice">
          {notice}
        </div>
      ))}
      {state.progress && <ProgressLine progress={state.progress} rate={state.rate} running={running} />}
      {state.window.droppedOlder > 0 && !searching && (
        <div className="notice notice-info" data-testid="older-in-log" data-count={state.window.droppedOlder}>
          {formatCount(state.window.droppedOlder)} older rows are in the replay log: this list keeps{' '}
          {formatCount(MAX_WINDOW_ROWS)} rows in memory.{' '}
          <button
            type="button"
            onClick={onLoadOlder}
            disabled={state.loadingOlder || !state.window.olderAvailable}
            data-testid="load-older"
          >
            Load older rows
          </button>
        </div>
      )}
      {state.window.detached && !searching && (
        <div className="notice notice-warning">
          {formatCount(state.window.newerHidden)} newer records are not shown.{' '}
          <button type="button" onClick={onJumpToLatest} data-testid="jump-latest">
            Jump to latest
          </button>
        </div>
      )}
    </>
  );
}
