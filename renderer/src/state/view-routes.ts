// Every view has an address: the part of the URL after '#', so it works the same in browser
// mode (http://127.0.0.1:PORT/#/…) and in the desktop window (file://…/index.html#/…), can be
// bookmarked, shared and copied, and Back/Forward move between views. Pure: a view to a path
// and back; a path that names no view is null.

/** What the main area shows (navigation-store.ts holds the current one). */
export type View =
  | { kind: 'welcome' }
  | { kind: 'settings' }
  | { kind: 'edit-connection'; connectionId: string | null }
  | { kind: 'brokers'; connectionId: string }
  | { kind: 'topics'; connectionId: string }
  | { kind: 'topic'; connectionId: string; topic: string }
  | ({ kind: 'messages'; connectionId: string; topic: string } & MessagesQuery)
  | { kind: 'consumers'; connectionId: string }
  | { kind: 'group'; connectionId: string; groupId: string }
  | { kind: 'projections' };

/**
 * Where a messages view starts and what it filters, carried in its address after '?' so a copied
 * link reopens the tail the same way. Kept as text here (the view reads and checks it):
 * from: earliest | latest | last:N | offset:N | time:<ISO time or epoch ms>; partition: a number;
 * filter: contains:<text> | regex:<pattern> | jsonPath:<path> | javascript:<code>, with equals
 * the value a JSON path must have.
 */
export interface MessagesQuery {
  from?: string;
  partition?: string;
  filter?: string;
  equals?: string;
}

const QUERY_KEYS = ['from', 'partition', 'filter', 'equals'] as const;
const FROM_FORM = /^(earliest|latest|last:\d{1,12}|offset:\d{1,19}|time:.+)$/;
const FILTER_FORM = /^(contains|regex|jsonPath|javascript):/;

const enc = encodeURIComponent;

function messagesQuery(view: MessagesQuery): string {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) {
    const value = view[key];
    if (value !== undefined) params.set(key, value);
  }
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The query of a messages address, or null when it holds something no messages view reads. */
function parseMessagesQuery(query: string): MessagesQuery | null {
  const out: MessagesQuery = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) return null;
    out[key as (typeof QUERY_KEYS)[number]] = value;
  }
  if (out.from !== undefined && !FROM_FORM.test(out.from)) return null;
  if (out.partition !== undefined && !/^\d{1,6}$/.test(out.partition)) return null;
  if (out.filter !== undefined && !FILTER_FORM.test(out.filter)) return null;
  return out;
}

export function viewToPath(view: View): string {
  switch (view.kind) {
    case 'welcome':
      return '/';
    case 'settings':
      return '/settings';
    case 'projections':
      return '/projections';
    case 'edit-connection':
      return view.connectionId === null ? '/connections/new' : `/c/${enc(view.connectionId)}/settings`;
    case 'brokers':
      return `/c/${enc(view.connectionId)}/brokers`;
    case 'topics':
      return `/c/${enc(view.connectionId)}/topics`;
    case 'topic':
      return `/c/${enc(view.connectionId)}/topics/${enc(view.topic)}`;
    case 'messages':
      return `/c/${enc(view.connectionId)}/topics/${enc(view.topic)}/messages${messagesQuery(view)}`;
    case 'consumers':
      return `/c/${enc(view.connectionId)}/groups`;
    case 'group':
      return `/c/${enc(view.connectionId)}/groups/${enc(view.groupId)}`;
  }
}

export function pathToView(address: string): View | null {
  const q = address.indexOf('?');
  const path = q < 0 ? address : address.slice(0, q);
  const query = q < 0 ? null : address.slice(q + 1);
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return null; // a malformed %-escape
  }
  const [first, connectionId, section, name, sub, ...rest] = decoded;
  if (query !== null) {
    // Only a messages view reads a query.
    if (first !== 'c' || !connectionId || section !== 'topics' || !name || sub !== 'messages' || parts.length !== 5)
      return null;
    const parsed = parseMessagesQuery(query);
    return parsed ? { kind: 'messages', connectionId, topic: name, ...parsed } : null;
  }
  if (parts.length === 1 && first === '') return { kind: 'welcome' };
  if (parts.length === 1 && first === 'settings') return { kind: 'settings' };
  if (parts.length === 1 && first === 'projections') return { kind: 'projections' };
  if (parts.length === 2 && first === 'connections' && connectionId === 'new')
    return { kind: 'edit-connection', connectionId: null };
  if (first !== 'c' || !connectionId || rest.length > 0) return null;
  if (parts.length === 3 && section === 'settings') return { kind: 'edit-connection', connectionId };
  if (parts.length === 3 && section === 'brokers') return { kind: 'brokers', connectionId };
  if (parts.length === 3 && section === 'topics') return { kind: 'topics', connectionId };
  if (parts.length === 3 && section === 'groups') return { kind: 'consumers', connectionId };
  if (section === 'topics' && name) {
    if (parts.length === 4) return { kind: 'topic', connectionId, topic: name };
    if (parts.length === 5 && sub === 'messages') return { kind: 'messages', connectionId, topic: name };
  }
  if (parts.length === 4 && section === 'groups' && name) return { kind: 'group', connectionId, groupId: name };
  return null;
}

/** The view a URL's hash names (no hash or '#/': welcome), or null for an address that names none. */
export function hashToView(hash: string): View | null {
  const path = hash.replace(/^#/, '');
  return path === '' ? { kind: 'welcome' } : pathToView(path);
}
