// Every view has an address, and every address names one view: view → path → the same view.
import { describe, expect, it } from 'vitest';
import { hashToView, pathToView, viewToPath, type View } from '../../renderer/src/state/view-routes.ts';

const views: View[] = [
  { kind: 'welcome' },
  { kind: 'settings' },
  { kind: 'edit-connection', connectionId: null },
  { kind: 'edit-connection', connectionId: 'c1' },
  { kind: 'brokers', connectionId: 'c1' },
  { kind: 'topics', connectionId: 'c1' },
  { kind: 'topic', connectionId: 'c1', topic: 'orders.v1_raw-events' },
  { kind: 'messages', connectionId: 'c1', topic: 'orders' },
  { kind: 'consumers', connectionId: 'sample' },
  { kind: 'group', connectionId: 'c1', groupId: 'billing/eu #1 ü' },
];

describe('view addresses', () => {
  it('round-trip every view, names with slashes, spaces and non-ASCII included', () => {
    for (const view of views) expect(pathToView(viewToPath(view))).toEqual(view);
    expect(viewToPath({ kind: 'group', connectionId: 'c1', groupId: 'billing/eu #1 ü' })).toBe('/c/c1/groups/billing%2Feu%20%231%20%C3%BC');
    expect(viewToPath({ kind: 'messages', connectionId: 'c1', topic: 'orders' })).toBe('/c/c1/topics/orders/messages');
  });

  it('read the hash of a URL; an address that names no view is null', () => {
    expect(hashToView('')).toEqual({ kind: 'welcome' });
    expect(hashToView('#/c/sample/groups/fraud-scoring')).toEqual({ kind: 'group', connectionId: 'sample', groupId: 'fraud-scoring' });
    for (const bad of ['#/nowhere', '#/c', '#/c/x', '#/c/x/topics/t/nope', '#/c/x/groups/g/extra', '#/c/%E0%A4%A/topics', '#/settings/extra']) expect(hashToView(bad)).toBeNull();
  });
});
