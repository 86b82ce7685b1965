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
  | { kind: 'messages'; connectionId: string; topic: string }
  | { kind: 'consumers'; connectionId: string }
  | { kind: 'group'; connectionId: string; groupId: string };

const enc = encodeURIComponent;

export function viewToPath(view: View): string {
  switch (view.kind) {
    case 'welcome':
      return '/';
    case 'settings':
      return '/settings';
    case 'edit-connection':
      return view.connectionId === null ? '/connections/new' : `/c/${enc(view.connectionId)}/settings`;
    case 'brokers':
      return `/c/${enc(view.connectionId)}/brokers`;
    case 'topics':
      return `/c/${enc(view.connectionId)}/topics`;
    case 'topic':
      return `/c/${enc(view.connectionId)}/topics/${enc(view.topic)}`;
    case 'messages':
      return `/c/${enc(view.connectionId)}/topics/${enc(view.topic)}/messages`;
    case 'consumers':
      return `/c/${enc(view.connectionId)}/groups`;
    case 'group':
      return `/c/${enc(view.connectionId)}/groups/${enc(view.groupId)}`;
  }
}

export function pathToView(path: string): View | null {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return null; // a malformed %-escape
  }
  const [first, connectionId, section, name, sub, ...rest] = decoded;
  if (parts.length === 1 && first === '') return { kind: 'welcome' };
  if (parts.length === 1 && first === 'settings') return { kind: 'settings' };
  if (parts.length === 2 && first === 'connections' && connectionId === 'new') return { kind: 'edit-connection', connectionId: null };
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
