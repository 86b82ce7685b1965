// The bar under the toolbar: the filter of the list, a search of everything the replay log
// holds with its progress, how many rows are shown, and what can be done with them (export,
// save as capture, produce).
import { formatCount } from '@common/format/numbers.ts';
import type { MessageExports } from './use-message-exports.ts';
import type { FilterKind, MessageFilter } from './use-message-filter.ts';
import type { useLogSearch } from './use-log-search.ts';

export interface FilterBarProps {
  filter: MessageFilter;
  search: ReturnType<typeof useLogSearch>;
  received: number;
  exports: MessageExports;
  writable: boolean;
  onProduce(): void;
}

export function FilterBar({ filter, search, received, exports, writable, onProduce }: FilterBarProps) {
  const { kind, text, rows } = filter;
  const searchable = kind === 'javascript' ? text.trim() !== '' : filter.spec !== null && !filter.invalid;
  return (
    <div className="view-header messages-toolbar" data-testid="messages-filterbar">
      <select
        value={kind}
        onChange={(e) => filter.setKind(e.target.value as FilterKind)}
        data-testid="filter-kind"
        aria-label="Filter kind"
      >
        <option value="contains">contains</option>
        <option value="regex">regex</option>
        <option value="jsonPath">JSON path =</option>
        <option value="javascript">JavaScript</option>
      </select>
      <input
        value={text}
        onChange={(e) => filter.setText(e.target.value)}
        placeholder={
          kind === 'jsonPath'
            ? '$.type'
            : kind === 'javascript'
              ? 'value.type === "OrderPaid" && value.amountCents > 5000'
              : 'filter the list'
        }
        data-testid="filter-text"
        aria-label="Filter"
      />
      {kind === 'jsonPath' && (
        <input
          value={filter.equals}
          onChange={(e) => filter.setEquals(e.target.value)}
          placeholder="value"
          data-testid="filter-equals"
          aria-label="Equals"
        />
      )}
      <button
        type="button"
        disabled={!searchable || search.running}
        onClick={() =>
          kind === 'javascript'
            ? search.run({ kind: 'javascript', code: text })
            : filter.spec && search.run(filter.spec)
        }
        data-testid="search-log"
      >
        Search the replay log
      </button>
      {search.running && (
        <>
          <span className="meta" data-testid="search-progress">
            scanned {formatCount(search.scanned)} of {formatCount(search.total)} · {formatCount(search.matched)} matches
          </span>
          <button type="button" onClick={search.cancel} data-testid="cancel-search">
            Cancel
          </button>
        </>
      )}
      {search.active && !search.running && (
        <>
          <span className="meta" data-testid="search-done">
            {formatCount(search.matched)} matches in {formatCount(search.scanned)} stored records
            {search.cancelled ? ' (cancelled)' : ''}
          </span>
          <button type="button" onClick={search.clear} data-testid="clear-search">
            Back to the tail
          </button>
        </>
      )}
      <span className="toolbar-end">
        <span className="meta" data-testid="row-count">
          {formatCount(rows.length)} shown · {formatCount(received)} received
        </span>
        <button
          type="button"
          onClick={() => void exports.exportShown('ndjson')}
          disabled={rows.length === 0}
          data-testid="export-ndjson"
          title="Whole records, as shown (filtered)"
        >
          Export NDJSON
        </button>
        <button
          type="button"
          onClick={() => void exports.exportShown('csv')}
          disabled={rows.length === 0}
          data-testid="export-csv"
        >
          CSV
        </button>
        <button
          type="button"
          onClick={() => void exports.exportCapture()}
          data-testid="export-capture"
          title="Everything the replay log holds of this topic, as a capture file that opens offline"
        >
          Save capture
        </button>
        <button
          type="button"
          onClick={onProduce}
          disabled={!writable}
          data-testid="produce"
          title={writable ? 'Write a record' : 'This connection is read-only (connection settings → Allow writes)'}
        >
          Produce…
        </button>
      </span>
    </div>
  );
}
