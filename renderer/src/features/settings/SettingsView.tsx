// Settings: the replay log's size cap per cluster, and what the log holds per connection
// (with a way to forget one connection's records). The cap takes effect at once: a cluster
// above a lower cap loses its oldest records.
import { useEffect, useState } from 'react';
import { LAG_SAMPLE_MAX_SEC, LAG_SAMPLE_MIN_SEC, LOG_CAP_MAX_MB, LOG_CAP_MIN_MB } from '@common/contract/dto.ts';
import { formatBytes, formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { ViewState } from '../../components/ViewState.tsx';
import { useConnections } from '../../state/connections-store.ts';
import { rpc } from '../../state/host-store.ts';
import { useTimeZone, useTimeZoneStore } from '../../state/time-zone-store.ts';
import { zoneSuffix, type TimeZoneChoice } from '@common/format/timestamps.ts';

const MB = 1024 * 1024;

/** The cap as typed, or why it is not one. */
function parseCapMb(text: string): number | string {
  if (!/^\d{1,7}$/.test(text.trim())) return 'Give the cap as a whole number of MB.';
  const mb = Number(text.trim());
  if (mb < LOG_CAP_MIN_MB || mb > LOG_CAP_MAX_MB)
    return `The cap must be between ${formatCount(LOG_CAP_MIN_MB)} MB and ${formatCount(LOG_CAP_MAX_MB)} MB (1 TB).`;
  return mb;
}

/** The sample interval as typed, or why it is not one. */
function parseIntervalSec(text: string): number | string {
  if (!/^\d{1,5}$/.test(text.trim())) return 'Give the interval as a whole number of seconds.';
  const sec = Number(text.trim());
  if (sec < LAG_SAMPLE_MIN_SEC || sec > LAG_SAMPLE_MAX_SEC)
    return `The interval must be between ${LAG_SAMPLE_MIN_SEC} s and ${formatCount(LAG_SAMPLE_MAX_SEC)} s (1 hour).`;
  return sec;
}

/** How often watched consumer groups' lag is sampled (stored, so history survives restarts). */
/** A settings group's Save button, on a line of its own. */
function SaveButton({ onSave, disabled, testId }: { onSave(): Promise<void>; disabled: boolean; testId: string }) {
  return (
    <div>
      <button type="button" className="primary" onClick={() => void onSave()} disabled={disabled} data-testid={testId}>
        Save
      </button>
    </div>
  );
}

/** What saving a settings group came to: the host's refusal, or what was saved. */
function SaveOutcome({ error, saved, testId }: { error: unknown; saved: string | null; testId: string }) {
  return (
    <>
      <ErrorNotice error={error} />
      {saved && (
        <div className="notice notice-ok" data-testid={testId}>
          {saved}
        </div>
      )}
    </>
  );
}

function LagSamplingSettings({ current, onSaved }: { current: number | undefined; onSaved: () => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    if (current !== undefined) setText(String(current));
  }, [current]);
  const save = async (): Promise<void> => {
    setSaved(null);
    setError(null);
    const sec = parseIntervalSec(text);
    if (typeof sec === 'string') return setFieldError(sec);
    setFieldError(null);
    try {
      const next = await rpc().call('settings.update', { lagSampleIntervalSec: sec });
      setSaved(`Saved: watched groups are sampled every ${next.lagSampleIntervalSec} s.`);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="panel connection-form">
      <h3>Consumer lag</h3>
      <p className="meta">
        The lag of the consumer groups you watch is sampled at this interval while Eventscope runs, and kept on this
        machine for 7 days.
      </p>
      <label className="field">
        <span>Sample every (seconds)</span>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={current === undefined}
          inputMode="numeric"
          aria-invalid={fieldError !== null}
          data-testid="lag-interval"
          style={{ width: 160 }}
        />
        {fieldError && (
          <span className="field-error" role="alert" data-testid="lag-interval-error">
            {fieldError}
          </span>
        )}
      </label>
      <SaveButton onSave={save} disabled={current === undefined} testId="save-lag-interval" />
      <SaveOutcome error={error} saved={saved} testId="lag-interval-saved" />
    </div>
  );
}

/** The one time zone record timestamps are shown in, everywhere (saved at once). */
function TimeZoneSettings() {
  const zone = useTimeZone();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const choose = async (next: TimeZoneChoice): Promise<void> => {
    setSaved(null);
    setError(null);
    try {
      await useTimeZoneStore.getState().choose(next);
      setSaved(next === 'utc' ? 'Saved: timestamps are shown in UTC.' : 'Saved: timestamps are shown in local time.');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="panel connection-form" data-testid="time-zone-settings">
      <h3>Time zone</h3>
      <p className="meta">Record timestamps in the message list and the detail pane are shown in this zone.</p>
      <label className="check">
        <input
          type="radio"
          name="time-zone"
          checked={zone === 'local'}
          onChange={() => void choose('local')}
          data-testid="time-zone-local"
        />{' '}
        Local time (this machine, now {zoneSuffix(Date.now(), 'local')})
      </label>
      <label className="check">
        <input
          type="radio"
          name="time-zone"
          checked={zone === 'utc'}
          onChange={() => void choose('utc')}
          data-testid="time-zone-utc"
        />{' '}
        UTC
      </label>
      <SaveOutcome error={error} saved={saved} testId="time-zone-saved" />
    </div>
  );
}

export function SettingsView() {
  const settings = useHostCall(() => rpc().call('settings.get', {}), []);
  const usage = useHostCall(() => rpc().call('log.usage', {}), []);
  const connections = useConnections((s) => s.connections);
  const [capText, setCapText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [clearing, setClearing] = useState<string | null>(null);
  const [clearError, setClearError] = useState<unknown>(null);

  useEffect(() => {
    if (settings.data) setCapText(String(settings.data.logCapMb));
  }, [settings.data]);

  const nameOf = (id: string): string =>
    connections.find((c) => c.profile.id === id)?.profile.name ?? `${id} (connection removed)`;

  const save = async (): Promise<void> => {
    setSaved(null);
    setSaveError(null);
    const mb = parseCapMb(capText);
    if (typeof mb === 'string') return setFieldError(mb);
    setFieldError(null);
    try {
      const next = await rpc().call('settings.update', { logCapMb: mb });
      setSaved(`Saved: each cluster keeps up to ${formatBytes(next.logCapMb * MB)} of records.`);
      settings.reload();
      usage.reload();
    } catch (err) {
      setSaveError(err);
    }
  };

  const clear = async (connectionId: string): Promise<void> => {
    setClearError(null);
    try {
      const { freedBytes } = await rpc().call('log.clear', { connectionId });
      setSaved(`Forgot ${formatBytes(freedBytes)} of records of ${nameOf(connectionId)}.`);
      usage.reload();
    } catch (err) {
      setClearError(err);
    } finally {
      setClearing(null);
    }
  };

  const fromEnvironment = settings.data?.logCapFromEnvironment ?? false;
  return (
    <section className="view" data-testid="settings-view">
      <header className="view-header">
        <h2>Settings</h2>
      </header>
      <ErrorNotice
        error={settings.error ?? usage.error}
        onRetry={() => (settings.error ? settings.reload() : usage.reload())}
      />
      {!settings.data && settings.loading && <ViewState state="loading" title="Reading the settings…" />}
      {settings.data?.problem && (
        <div className="notice notice-warning" data-testid="settings-problem">
          {settings.data.problem}
        </div>
      )}
      <div className="panel connection-form">
        <h3>Replay log</h3>
        <p className="meta">
          Every record Eventscope reads is kept in the replay log on this machine, so it can be browsed, searched and
          replayed offline. Each cluster keeps up to the cap; past it the oldest records go first.
        </p>
        <label className="field">
          <span>Size cap per cluster (MB)</span>
          <input
            value={capText}
            onChange={(e) => setCapText(e.target.value)}
            disabled={fromEnvironment || !settings.data}
            inputMode="numeric"
            aria-invalid={fieldError !== null}
            data-testid="log-cap"
            style={{ width: 160 }}
          />
          {fieldError && (
            <span className="field-error" role="alert" data-testid="log-cap-error">
              {fieldError}
            </span>
          )}
          {fromEnvironment && (
            <span className="meta">Set by EVENTSCOPE_LOG_CAP_MB for this run; unset it to change the cap here.</span>
          )}
        </label>
        <SaveButton onSave={save} disabled={fromEnvironment || !settings.data} testId="save-settings" />
        <SaveOutcome error={saveError} saved={saved} testId="settings-saved" />
      </div>
      <LagSamplingSettings current={settings.data?.lagSampleIntervalSec} onSaved={settings.reload} />
      <TimeZoneSettings />
      <h3>What the replay log holds</h3>
      <ErrorNotice error={clearError} />
      {!usage.data && usage.loading && (
        <ViewState state="loading" title="Measuring the replay log…" testId="usage-loading" />
      )}
      {usage.data && usage.data.clusters.length === 0 && (
        <ViewState state="empty" testId="log-usage-empty" title="The replay log holds nothing yet.">
          Records are kept as you read them.
        </ViewState>
      )}
      {usage.data && usage.data.clusters.length > 0 && (
        <table className="grid" data-testid="log-usage">
          <thead>
            <tr>
              <th>Connection</th>
              <th className="num">Topics</th>
              <th className="num">Records</th>
              <th className="num">Stored</th>
              <th className="num">Of the cap</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {usage.data.clusters.map((c) => (
              <tr key={c.connectionId} data-testid="log-usage-row" data-connection={c.connectionId}>
                <td>{nameOf(c.connectionId)}</td>
                <td className="num">{formatCount(c.topics)}</td>
                <td className="num">{formatCount(c.records)}</td>
                <td className="num">{formatBytes(c.bytes)}</td>
                <td className="num">{Math.round((100 * c.bytes) / usage.data!.capBytes)}%</td>
                <td>
                  {clearing === c.connectionId ? (
                    <>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void clear(c.connectionId)}
                        data-testid="confirm-clear-log"
                      >
                        Forget {formatCount(c.records)} records
                      </button>{' '}
                      <button type="button" onClick={() => setClearing(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setClearing(c.connectionId)} data-testid="clear-log">
                      Clear…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="meta">
        Space freed inside the log file is reused for new records; the file itself does not shrink.
      </p>
    </section>
  );
}
