// The range a projection runs over: a connection (a saved cluster, or an opened capture such as
// the built-in sample), one of its topics, its partitions, where it starts (earliest, an
// offset, a time) and where it ends (the end offsets when the run starts, an offset, a time, or
// a consumer group's committed offsets: "what that group had read"). The fields stay text as
// typed; range-form.ts turns them into the read and says what is wrong.
import { useCaptures } from '../../state/captures-store.ts';
import { useConnections } from '../../state/connections-store.ts';
import { rpc } from '../../state/host-store.ts';
import { useHostCall } from '../../components/use-host-call.ts';
import { errorText } from '../../components/ErrorNotice.tsx';
import type { FromKind, RangeForm, ToKind } from './range-form.ts';

export function RangePicker({
  form,
  onChange,
  disabled,
}: {
  form: RangeForm;
  onChange(form: RangeForm): void;
  disabled: boolean;
}) {
  const connections = useConnections((s) => s.connections);
  const captures = useCaptures((s) => s.captures);
  const set = (change: Partial<RangeForm>): void => onChange({ ...form, ...change });
  const topics = useHostCall(
    (signal) =>
      form.connectionId
        ? rpc().call('topics.list', { connectionId: form.connectionId }, { signal })
        : Promise.resolve([]),
    [form.connectionId],
  );
  const groups = useHostCall(
    (signal) =>
      form.connectionId && form.topic && form.toKind === 'group'
        ? rpc().call('groups.list', { connectionId: form.connectionId, topic: form.topic }, { signal })
        : Promise.resolve([]),
    [form.connectionId, form.topic, form.toKind],
  );
  const known =
    connections.some((c) => c.profile.id === form.connectionId) || captures.some((c) => c.id === form.connectionId);
  return (
    <fieldset className="projection-range" disabled={disabled} data-testid="range-picker">
      <legend>Range</legend>
      <label className="field">
        <span className="field-label">Connection</span>
        <select
          value={form.connectionId}
          onChange={(e) =>
            set({ connectionId: e.target.value, topic: '', toValue: form.toKind === 'group' ? '' : form.toValue })
          }
          data-testid="range-connection"
        >
          <option value="">Choose…</option>
          {connections.length > 0 && (
            <optgroup label="Clusters">
              {connections.map(({ profile }) => (
                <option key={profile.id} value={profile.id}>
                  {profile.name}
                </option>
              ))}
            </optgroup>
          )}
          {captures.length > 0 && (
            <optgroup label="Captures (offline)">
              {captures.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </optgroup>
          )}
          {form.connectionId && !known && <option value={form.connectionId}>{form.connectionId} (not open)</option>}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Topic</span>
        <input
          list="projection-topics"
          value={form.topic}
          onChange={(e) => set({ topic: e.target.value })}
          placeholder={topics.loading ? 'Loading topics…' : 'topic'}
          data-testid="range-topic"
        />
        <datalist id="projection-topics">
          {(topics.data ?? []).map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
        {topics.error !== null && (
          <span className="field-error">Topics could not be listed: {errorText(topics.error)}</span>
        )}
      </label>
      <label className="field">
        <span className="field-label">Partitions</span>
        <input
          value={form.partitions}
          onChange={(e) => set({ partitions: e.target.value })}
          placeholder="all (or 0,1,2)"
          data-testid="range-partitions"
        />
      </label>
      <div className="projection-range-ends">
        <label className="field">
          <span className="field-label">From</span>
          <span className="projection-range-row">
            <select
              value={form.fromKind}
              onChange={(e) => set({ fromKind: e.target.value as FromKind })}
              data-testid="range-from-kind"
            >
              <option value="earliest">earliest</option>
              <option value="offset">offset</option>
              <option value="time">time</option>
            </select>
            {form.fromKind !== 'earliest' && (
              <input
                value={form.fromValue}
                onChange={(e) => set({ fromValue: e.target.value })}
                placeholder={form.fromKind === 'offset' ? '0' : '2026-11-26 10:00'}
                aria-label="From value"
                data-testid="range-from-value"
              />
            )}
          </span>
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <span className="projection-range-row">
            <select
              value={form.toKind}
              onChange={(e) => set({ toKind: e.target.value as ToKind, toValue: '' })}
              data-testid="range-to-kind"
            >
              <option value="latest">latest (the end now)</option>
              <option value="offset">offset (inclusive)</option>
              <option value="time">time</option>
              <option value="group">a group's committed offsets</option>
            </select>
            {form.toKind === 'group' ? (
              <>
                <input
                  list="projection-groups"
                  value={form.toValue}
                  onChange={(e) => set({ toValue: e.target.value })}
                  placeholder={groups.loading ? 'Loading groups…' : 'group id'}
                  aria-label="Consumer group"
                  data-testid="range-to-value"
                />
                <datalist id="projection-groups">
                  {(groups.data ?? []).map((g) => (
                    <option key={g.groupId} value={g.groupId} />
                  ))}
                </datalist>
              </>
            ) : (
              form.toKind !== 'latest' && (
                <input
                  value={form.toValue}
                  onChange={(e) => set({ toValue: e.target.value })}
                  placeholder={form.toKind === 'offset' ? '1000' : '2026-11-26 18:00'}
                  aria-label="To value"
                  data-testid="range-to-value"
                />
              )
            )}
          </span>
          {form.toKind === 'group' && groups.error !== null && (
            <span className="field-error">Groups could not be listed: {errorText(groups.error)}</span>
          )}
        </label>
      </div>
    </fieldset>
  );
}
