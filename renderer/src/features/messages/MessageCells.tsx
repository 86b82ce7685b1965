// The cells of a message row whose text depends on the record: key and value previews cut to
// what their column shows, with marks for a null key and a tombstone.
import type { RecordDto } from '@common/contract/dto.ts';

/** The key column is narrow and fixed. */
const KEY_PREVIEW_CHARS = 40;

/** Cut to what the column can show: the browser shapes every character of a cell's text, shown or not. */
function preview(p: NonNullable<RecordDto['value']>, chars: number): string {
  const text = p.encoding === 'utf8' ? p.text : `base64:${p.base64}`;
  return text.length > chars ? text.slice(0, chars) + '…' : text;
}

/** A key cell: its text, or a mark for no key (null), never the word "null" (a key may be that text). */
export function KeyCell({ p }: { p: RecordDto['key'] }) {
  return p === null ? (
    <span
      className="mono cell null-mark"
      data-testid="message-key"
      data-null="true"
      title="This record has no key (null)"
    >
      no key
    </span>
  ) : (
    <span className="mono cell" data-testid="message-key">
      {preview(p, KEY_PREVIEW_CHARS)}
    </span>
  );
}

/** A value cell: its text, or a tombstone badge for a null value (it deletes the key in a compacted topic). */
export function ValueCell({ p, chars }: { p: RecordDto['value']; chars: number }) {
  return p === null ? (
    <span
      className="mono cell"
      data-testid="message-value"
      data-tombstone="true"
      title="A null value: a tombstone, which deletes this key in a compacted topic"
    >
      <span className="badge badge-tombstone">tombstone</span>
    </span>
  ) : (
    <span className="mono cell" data-testid="message-value">
      {preview(p, chars)}
    </span>
  );
}
