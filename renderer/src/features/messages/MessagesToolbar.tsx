// The messages view's top bar: back to the topic, where to start and which partition, Start /
// Restart, Pause / Resume (also Space, when not typing in a field) and the tail's phase.
import { useEffect } from 'react';
import type { TimeZoneChoice } from '@common/format/timestamps.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import type { FromKind, StartForm } from './use-start-form.ts';
import type { TailPhase } from './use-tail.ts';

export function isRunning(phase: TailPhase): boolean {
  return phase === 'live' || phase === 'caught-up' || phase === 'outage' || phase === 'starting';
}

function phaseClass(phase: TailPhase): string {
  return phase === 'outage' || phase === 'error'
    ? 'badge-bad'
    : phase === 'paused'
      ? 'badge-warn'
      : phase === 'caught-up'
        ? 'badge-ok'
        : '';
}

/** Space pauses and resumes the tail of the view shown, unless the key goes to a field or a button. */
function useSpaceToPause(active: boolean, phase: TailPhase, pause: () => void, resume: () => void): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (e.key !== ' ' || target?.closest('input, textarea, select, button')) return;
      e.preventDefault();
      if (isRunning(phase)) pause();
      else if (phase === 'paused') resume();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, phase, pause, resume]);
}

export interface MessagesToolbarProps {
  connectionId: string;
  topic: string;
  active: boolean;
  zone: TimeZoneChoice;
  form: StartForm;
  phase: TailPhase;
  onStart(): void;
  onPause(): void;
  onResume(): void;
}

export function MessagesToolbar({
  connectionId,
  topic,
  active,
  zone,
  form,
  phase,
  onStart,
  onPause,
  onResume,
}: MessagesToolbarProps) {
  const go = useNavigation((s) => s.go);
  const running = isRunning(phase);
  useSpaceToPause(active, phase, onPause, onResume);
  const { fromKind } = form;
  return (
    <header className="view-header messages-toolbar" data-testid="messages-toolbar">
      <button
        type="button"
        className="link topic-link"
        onClick={() => go({ kind: 'topic', connectionId, topic })}
        title={`Back to ${topic}`}
      >
        ← {topic}
      </button>
      <h2>Messages</h2>
      <label>
        From{' '}
        <select value={fromKind} onChange={(e) => form.setFromKind(e.target.value as FromKind)} data-testid="from-kind">
          <option value="last">last N per partition</option>
          <option value="latest">now (new records only)</option>
          <option value="earliest">the beginning</option>
          <option value="offset">offset</option>
          <option value="timestamp">time</option>
        </select>
      </label>
      {(fromKind === 'last' || fromKind === 'offset' || fromKind === 'timestamp') && (
        <input
          value={form.fromValue}
          onChange={(e) => form.setFromValue(e.target.value)}
          data-testid="from-value"
          aria-label="Start position"
          style={{ width: 170 }}
          placeholder={fromKind === 'timestamp' ? '2026-11-26 10:00:00' : ''}
          title={
            fromKind === 'timestamp'
              ? `A time in ${zone === 'utc' ? 'UTC' : 'local time'} (Settings → Time zone), or with its own zone: 2026-11-26T10:00:00Z`
              : undefined
          }
        />
      )}
      <label>
        Partition{' '}
        <input
          value={form.partition}
          onChange={(e) => form.setPartition(e.target.value.trim() || 'all')}
          data-testid="partition"
          style={{ width: 60 }}
          aria-label="Partition (all or a number)"
        />
      </label>
      <button type="button" className="primary" onClick={onStart} data-testid="start-tail">
        {running ? 'Restart' : 'Start'}
      </button>
      {running ? (
        <button type="button" onClick={onPause} data-testid="pause-tail" title="Pause (Space)">
          Pause
        </button>
      ) : phase === 'paused' ? (
        <button type="button" onClick={onResume} data-testid="resume-tail" title="Resume (Space)">
          Resume
        </button>
      ) : null}
      <span className={`badge ${phaseClass(phase)}`} data-testid="tail-phase">
        {phase}
      </span>
    </header>
  );
}
