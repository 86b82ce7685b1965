// The command palette: Ctrl-K (⌘K on a Mac) anywhere opens it; typing filters (fuzzy.ts) the
// app's views, actions, connections and captures, and the topics and consumer groups of the
// connection shown (palette-items.ts); ↑/↓ choose, Enter goes, Esc closes. A modal dialog:
// the focus stays in it while open and goes back where it was when it closes.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  Archive,
  Cable,
  FolderOpen,
  Layers,
  List,
  Plus,
  Search,
  Server,
  Settings,
  SquarePen,
  Users,
  Workflow,
  type LucideIcon,
} from 'lucide-react';
import { errorText } from '../../components/ErrorNotice.tsx';
import { useCaptures } from '../../state/captures-store.ts';
import { useConnections } from '../../state/connections-store.ts';
import { rpc } from '../../state/host-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { fuzzyFilter } from './fuzzy.ts';
import { connectionOf, paletteItems, type PaletteIcon, type PaletteItem } from './palette-items.ts';
import { usePalette } from './palette-store.ts';

const MAX_SHOWN = 100;

const ICONS: Record<PaletteIcon, LucideIcon> = {
  'view-topics': Layers,
  'view-consumers': Users,
  'view-brokers': Server,
  'view-settings': Settings,
  'view-projections': Workflow,
  edit: SquarePen,
  add: Plus,
  'open-file': FolderOpen,
  connection: Cable,
  capture: Archive,
  topic: List,
  group: Users,
};

function isPaletteShortcut(e: globalThis.KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

/** Mounted once (App.tsx): listens for the shortcut and shows the palette while it is open. */
export function CommandPalette() {
  const isOpen = usePalette((s) => s.isOpen);
  useEffect(() => {
    // Capture phase: an editor (CodeMirror) or input must not swallow the shortcut first.
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (!isPaletteShortcut(e)) return;
      e.preventDefault();
      e.stopPropagation();
      const palette = usePalette.getState();
      if (palette.isOpen) palette.close();
      else palette.open();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return isOpen ? <PaletteDialog /> : null;
}

/** The names of the shown connection's topics and groups, read once if no list has handed them over yet. */
function useConnectionNames(connectionId: string | null): string | null {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (connectionId === null) return;
    const controller = new AbortController();
    const { topics, groups, rememberTopics, rememberGroups } = usePalette.getState();
    const reads: Promise<void>[] = [];
    if (!topics.has(connectionId)) {
      reads.push(
        rpc()
          .call('topics.list', { connectionId, includeInternal: false }, { signal: controller.signal })
          .then((list) =>
            rememberTopics(
              connectionId,
              list.map((t) => t.name),
            ),
          ),
      );
    }
    if (!groups.has(connectionId)) {
      reads.push(
        rpc()
          .call('groups.list', { connectionId }, { signal: controller.signal })
          .then((list) =>
            rememberGroups(
              connectionId,
              list.map((g) => g.groupId),
            ),
          ),
      );
    }
    Promise.all(reads).catch((err: unknown) => {
      if (!controller.signal.aborted)
        setProblem(`Topics and groups of this connection could not be listed: ${errorText(err)}`);
    });
    return () => controller.abort();
  }, [connectionId]);
  return problem;
}

function Highlighted({ label, positions }: { label: string; positions: number[] }): ReactNode {
  if (positions.length === 0) return label;
  const marked = new Set(positions);
  const parts: ReactNode[] = [];
  let run = '';
  let runMarked = false;
  const flush = (key: number): void => {
    if (run === '') return;
    parts.push(runMarked ? <mark key={key}>{run}</mark> : run);
    run = '';
  };
  [...label].forEach((ch, i) => {
    if (marked.has(i) !== runMarked) {
      flush(i);
      runMarked = marked.has(i);
    }
    run += ch;
  });
  flush(label.length);
  return parts;
}

function PaletteDialog() {
  const close = usePalette((s) => s.close);
  const topics = usePalette((s) => s.topics);
  const groups = usePalette((s) => s.groups);
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  const connections = useConnections((s) => s.connections);
  const captures = useCaptures((s) => s.captures);
  const reloadCaptures = useCaptures((s) => s.reload);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [mode, setMode] = useState<'search' | 'capture-path'>('search');
  const [actionError, setActionError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const namesProblem = useConnectionNames(connectionOf(view));

  // Focus in on open; back to where it was on close.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    inputRef.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);

  const items = useMemo(
    () => paletteItems({ view, connections, captures, topics, groups }),
    [view, connections, captures, topics, groups],
  );
  const shown = useMemo(() => fuzzyFilter(query, items, (i) => i.label).slice(0, MAX_SHOWN), [query, items]);
  const activeIndex = Math.min(active, Math.max(shown.length - 1, 0));
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const run = (item: PaletteItem): void => {
    if ('go' in item.target) {
      close();
      go(item.target.go);
      return;
    }
    setMode('capture-path');
    setQuery('');
    setActionError(null);
  };

  const openCapture = async (): Promise<void> => {
    const path = query.trim();
    if (path === '') return setActionError('Type the path of a capture file (.eventscope) on the host.');
    setActionError(null);
    try {
      const opened = await rpc().call('captures.open', { path });
      await reloadCaptures();
      close();
      go({ kind: 'topics', connectionId: opened.id });
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (mode === 'capture-path') {
        setMode('search');
        setQuery('');
        setActionError(null);
      } else close();
      return;
    }
    // The input is the dialog's one stop: Tab does not leave the dialog.
    if (e.key === 'Tab') {
      e.preventDefault();
      inputRef.current?.focus();
      return;
    }
    if (mode === 'capture-path') {
      if (e.key === 'Enter') {
        e.preventDefault();
        void openCapture();
      }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (shown.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + shown.length) % shown.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = shown[activeIndex];
      if (chosen) run(chosen.item);
    }
  };

  const optionId = (i: number): string => `palette-option-${i}`;
  return (
    <div
      className="palette-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && close()}
      data-testid="palette-backdrop"
    >
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onKeyDown={onKeyDown}
        data-testid="palette"
      >
        <div className="palette-input-row">
          {mode === 'search' ? <Search aria-hidden /> : <FolderOpen aria-hidden />}
          <input
            ref={inputRef}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            placeholder={
              mode === 'search'
                ? 'Go to a connection, topic, group or view…'
                : 'Path of a capture file on the host, then Enter'
            }
            aria-label={mode === 'search' ? 'Go to' : 'Capture file path'}
            role={mode === 'search' ? 'combobox' : undefined}
            aria-expanded={mode === 'search' ? true : undefined}
            aria-controls={mode === 'search' ? 'palette-list' : undefined}
            aria-autocomplete={mode === 'search' ? 'list' : undefined}
            aria-activedescendant={mode === 'search' && shown.length > 0 ? optionId(activeIndex) : undefined}
            spellCheck={false}
            autoComplete="off"
            data-testid="palette-input"
          />
        </div>
        {actionError && (
          <div
            className="notice notice-error"
            role="alert"
            data-testid="palette-error"
            style={{ margin: 'var(--space-2) var(--space-4)' }}
          >
            {actionError}
          </div>
        )}
        {mode === 'search' && (
          <>
            {namesProblem && (
              <p
                className="meta"
                role="status"
                style={{ margin: 'var(--space-2) var(--space-4) 0' }}
                data-testid="palette-names-problem"
              >
                {namesProblem}
              </p>
            )}
            <ul
              className="palette-list"
              id="palette-list"
              role="listbox"
              aria-label="Matches"
              ref={listRef}
              data-testid="palette-list"
            >
              {shown.map(({ item, match }, i) => {
                const Icon = ICONS[item.icon];
                const heading = query.trim() === '' && (i === 0 || shown[i - 1]!.item.section !== item.section);
                return (
                  <li key={item.id} role="presentation">
                    {heading && (
                      <div className="palette-group" role="presentation">
                        {item.section}
                      </div>
                    )}
                    <div
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === activeIndex}
                      className="palette-item"
                      data-index={i}
                      data-testid="palette-item"
                      data-item={item.id}
                      onMouseMove={() => i !== activeIndex && setActive(i)}
                      onClick={() => run(item)}
                    >
                      <Icon aria-hidden />
                      <span className="palette-item-label">
                        <Highlighted label={item.label} positions={match.positions} />
                      </span>
                      <span className="palette-item-hint">{item.hint ?? item.section}</span>
                    </div>
                  </li>
                );
              })}
            </ul>
            {shown.length === 0 && (
              <p className="palette-empty" data-testid="palette-empty">
                Nothing matches “{query}”.
              </p>
            )}
          </>
        )}
        <div className="palette-footer" aria-hidden>
          <span>
            <kbd>↑</kbd> <kbd>↓</kbd> choose
          </span>
          <span>
            <kbd>Enter</kbd> {mode === 'search' ? 'go' : 'open'}
          </span>
          <span>
            <kbd>Esc</kbd> {mode === 'search' ? 'close' : 'back'}
          </span>
        </div>
      </div>
    </div>
  );
}
