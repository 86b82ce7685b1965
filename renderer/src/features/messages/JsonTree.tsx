// A collapsible JSON view. Only expanded nodes are rendered, so a large document opens
// without building thousands of elements.
import { useState } from 'react';

const PREVIEW_CHILDREN = 200;

export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const [open, setOpen] = useState(depth < 2);
  const [showAll, setShowAll] = useState(false);
  const label = name !== undefined ? <span className="json-key">{JSON.stringify(name)}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf" style={{ paddingLeft: depth * 14 }}>
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const [openMark, closeMark] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const shown = showAll ? entries : entries.slice(0, PREVIEW_CHILDREN);
  return (
    <div className="json-node">
      <div
        className="json-toggle"
        style={{ paddingLeft: depth * 14 }}
        onClick={() => setOpen((o) => !o)}
        role="button"
        aria-expanded={open}
      >
        <span className="json-caret">{open ? '▾' : '▸'}</span>
        {label}
        {openMark}
        {!open && (
          <span className="meta">
            {' '}
            {entries.length} {Array.isArray(value) ? 'items' : 'fields'} {closeMark}
          </span>
        )}
      </div>
      {open && (
        <>
          {shown.map(([k, v]) => (
            <JsonTree key={k} value={v} {...(Array.isArray(value) ? {} : { name: k })} depth={depth + 1} />
          ))}
          {entries.length > shown.length && (
            <button
              type="button"
              className="link"
              style={{ marginLeft: (depth + 1) * 14 }}
              onClick={() => setShowAll(true)}
            >
              show {entries.length - shown.length} more
            </button>
          )}
          <div style={{ paddingLeft: depth * 14 }}>{closeMark}</div>
        </>
      )}
    </div>
  );
}
