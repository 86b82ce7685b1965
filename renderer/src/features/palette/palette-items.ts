// What the command palette offers, built from what the app knows now: its views, its actions,
// every saved connection and opened capture, and the topics and consumer groups of the
// connection shown (as last listed). Pure: the palette runs an item's target.
import type { CaptureSummary, ConnectionSummary } from '@common/contract/dto.ts';
import type { View } from '../../state/view-routes.ts';

export type PaletteSection = 'Views' | 'Actions' | 'Connections' | 'Topics' | 'Consumer groups';

export type PaletteIcon =
  | 'view-topics'
  | 'view-consumers'
  | 'view-brokers'
  | 'view-settings'
  | 'view-projections'
  | 'edit'
  | 'add'
  | 'open-file'
  | 'connection'
  | 'capture'
  | 'topic'
  | 'group';

export interface PaletteItem {
  /** Unique among the items. */
  id: string;
  section: PaletteSection;
  label: string;
  /** Shown on the right, dimmed (which connection, what kind). */
  hint?: string;
  icon: PaletteIcon;
  /** A view to go to, or an action the palette carries out itself. */
  target: { go: View } | { action: 'open-capture' };
}

export interface PaletteContext {
  view: View;
  connections: readonly ConnectionSummary[];
  captures: readonly CaptureSummary[];
  topics: ReadonlyMap<string, readonly string[]>;
  groups: ReadonlyMap<string, readonly string[]>;
}

/** The connection (or capture) a view belongs to, if any. */
export function connectionOf(view: View): string | null {
  return 'connectionId' in view ? view.connectionId : null;
}

export function paletteItems({ view, connections, captures, topics, groups }: PaletteContext): PaletteItem[] {
  const items: PaletteItem[] = [];
  const current = connectionOf(view);
  const profile = connections.find((c) => c.profile.id === current)?.profile;
  const capture = captures.find((c) => c.id === current);
  const currentName = profile?.name ?? capture?.name;

  if (current !== null && currentName !== undefined) {
    items.push({
      id: 'view:topics',
      section: 'Views',
      label: 'Topics',
      hint: currentName,
      icon: 'view-topics',
      target: { go: { kind: 'topics', connectionId: current } },
    });
    items.push({
      id: 'view:consumers',
      section: 'Views',
      label: 'Consumers',
      hint: currentName,
      icon: 'view-consumers',
      target: { go: { kind: 'consumers', connectionId: current } },
    });
    if (profile) {
      items.push({
        id: 'view:brokers',
        section: 'Views',
        label: 'Brokers',
        hint: currentName,
        icon: 'view-brokers',
        target: { go: { kind: 'brokers', connectionId: current } },
      });
      items.push({
        id: 'view:edit-connection',
        section: 'Views',
        label: 'Connection settings',
        hint: currentName,
        icon: 'edit',
        target: { go: { kind: 'edit-connection', connectionId: current } },
      });
    }
  }
  items.push({
    id: 'view:projections',
    section: 'Views',
    label: 'Projections',
    icon: 'view-projections',
    target: { go: { kind: 'projections' } },
  });
  items.push({
    id: 'view:settings',
    section: 'Views',
    label: 'Settings',
    icon: 'view-settings',
    target: { go: { kind: 'settings' } },
  });

  items.push({
    id: 'action:new-connection',
    section: 'Actions',
    label: 'New connection…',
    icon: 'add',
    target: { go: { kind: 'edit-connection', connectionId: null } },
  });
  items.push({
    id: 'action:open-capture',
    section: 'Actions',
    label: 'Open capture file…',
    icon: 'open-file',
    target: { action: 'open-capture' },
  });

  for (const { profile: p } of connections) {
    items.push({
      id: `connection:${p.id}`,
      section: 'Connections',
      label: p.name,
      hint: p.bootstrap,
      icon: 'connection',
      target: { go: { kind: 'topics', connectionId: p.id } },
    });
  }
  for (const c of captures) {
    items.push({
      id: `capture:${c.id}`,
      section: 'Connections',
      label: c.name,
      hint: 'capture',
      icon: 'capture',
      target: { go: { kind: 'topics', connectionId: c.id } },
    });
  }
  if (current !== null && currentName !== undefined) {
    for (const topic of topics.get(current) ?? []) {
      items.push({
        id: `topic:${topic}`,
        section: 'Topics',
        label: topic,
        hint: `topic · ${currentName}`,
        icon: 'topic',
        target: { go: { kind: 'topic', connectionId: current, topic } },
      });
    }
    for (const groupId of groups.get(current) ?? []) {
      items.push({
        id: `group:${groupId}`,
        section: 'Consumer groups',
        label: groupId,
        hint: `group · ${currentName}`,
        icon: 'group',
        target: { go: { kind: 'group', connectionId: current, groupId } },
      });
    }
  }
  return items;
}
