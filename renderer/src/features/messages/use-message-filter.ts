// The filter bar's state and what it does to the list: contains, regex and JSON path compiled
// here (src/common/filters/record-filter.ts, the same code the host's log.search runs), a JavaScript
// expression tested in a worker (use-predicate-filter.ts). Search results were already
// filtered by the same expression on their way in, so they are shown as they come.
import { useMemo, useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import { compileFilter, type FilterSpec } from '@common/filters/record-filter.ts';
import { errorText } from '../../components/ErrorNotice.tsx';
import { usePredicateFilter } from './use-predicate-filter.ts';

export type FilterKind = FilterSpec['kind'] | 'javascript';

/** The filter fields for an address's filter= ("kind:text"). */
export function filterFields(filter: string | undefined): { kind: FilterKind; text: string } {
  const m = /^(contains|regex|jsonPath|javascript):([\s\S]*)$/.exec(filter ?? '');
  return m ? { kind: m[1] as FilterKind, text: m[2]! } : { kind: 'contains', text: '' };
}

function filterSpec(kind: FilterKind, text: string, equals: string): FilterSpec | null {
  if (text.trim() === '' || kind === 'javascript') return null;
  if (kind === 'contains') return { kind, text };
  if (kind === 'regex') return { kind, pattern: text, flags: 'i' };
  return { kind, path: text, equals };
}

export interface MessageFilter {
  kind: FilterKind;
  text: string;
  equals: string;
  setKind(kind: FilterKind): void;
  setText(text: string): void;
  setEquals(equals: string): void;
  /** The filter as the host's log.search takes it; null for none or JavaScript. */
  spec: FilterSpec | null;
  /** Why the expression does not compile (or the JavaScript filter failed); null when fine. */
  error: string | null;
  /** The expression does not compile (the search button is off). */
  invalid: boolean;
  /** A JavaScript filter is still testing rows. */
  pending: boolean;
  /** The rows shown. */
  rows: RecordDto[];
}

/** `source` is what the list would show unfiltered; `searching`: it is a search's results. */
export function useMessageFilter(
  initial: { filter?: string | undefined; equals?: string | undefined },
  source: RecordDto[],
  searching: boolean,
): MessageFilter {
  const [initialFields] = useState(() => filterFields(initial.filter));
  const [kind, setKind] = useState<FilterKind>(initialFields.kind);
  const [text, setText] = useState(initialFields.text);
  const [equals, setEquals] = useState(initial.equals ?? '');

  const spec = useMemo(() => filterSpec(kind, text, equals), [kind, text, equals]);
  const compiled = useMemo(() => {
    if (!spec) return { match: null, error: null };
    try {
      return { match: compileFilter(spec), error: null };
    } catch (err) {
      return { match: null, error: errorText(err) };
    }
  }, [spec]);

  const byPredicate = usePredicateFilter(
    kind === 'javascript' && text.trim() !== '' && !searching ? text : null,
    source,
  );
  const rows = useMemo(
    () => byPredicate.visible ?? (compiled.match && !searching ? source.filter(compiled.match) : source),
    [source, compiled.match, searching, byPredicate.visible],
  );

  return {
    kind,
    text,
    equals,
    setKind,
    setText,
    setEquals,
    spec,
    error: compiled.error ?? byPredicate.error,
    invalid: compiled.error !== null,
    pending: byPredicate.pending,
    rows,
  };
}
