// Every view has an address, and every address names one view: view → path → the same view.
import { describe, expect, it } from 'vitest';
import { hashToView, pathToView, viewToPath, type View } from '../../renderer/src/state/view-routes.ts';

const views: View[] = [
  { kind: 'welcome' },
  { kind: 'settings' },
  { kind: 'projections' },
  { kind: 'edit-connection', connectionId: null },
  { kind: 'edit-connection', connectionId: 'c1' },
  { kind: 'brokers', connectionId: 'c1' },
  { kind: 'topics', connectionId: 'c1' },
  { kind: 'topic', connectionId: 'c1', topic: 'orders.v1_raw-events' },
  { kind: 'messages', connectionId: 'c1', topic: 'orders' },
  { kind: 'messages', connectionId: 'c1', topic: 'orders', from: 'earliest' },
  {
    kind: 'messages',
    connectionId: 'c1',
    topic: 'orders/eu ü',
    from: 'last:100',
    partition: '3',
    filter: 'contains:a&b=c #1 ü+',
  },
  {
    kind: 'messages',
    connectionId: 'c1',
    topic: 'orders',
    from: 'time:2026-11-26T10:00:00Z',
    filter: 'jsonPath:$.type',
    equals: 'PaymentFailed',
  },
  {
    kind: 'messages',
    connectionId: 'c1',
    topic: 'orders',
    filter: 'javascript:value.amountCents > 5000 && key === "k?"',
  },
  { kind: 'consumers', connectionId: 'sample' },
  { kind: 'group', connectionId: 'c1', groupId: 'billing/eu #1 ü' },
];

describe('view addresses', () => {
  it('round-trip every view, names with slashes, spaces and non-ASCII included', () => {
    for (const view of views) expect(pathToView(viewToPath(view))).toEqual(view);
    expect(viewToPath({ kind: 'group', connectionId: 'c1', groupId: 'billing/eu #1 ü' })).toBe(
      '/c/c1/groups/billing%2Feu%20%231%20%C3%BC',
    );
    expect(viewToPath({ kind: 'messages', connectionId: 'c1', topic: 'orders' })).toBe('/c/c1/topics/orders/messages');
  });

  it('carry a messages view’s start position and filter in its query', () => {
    expect(
      viewToPath({
        kind: 'messages',
        connectionId: 'c1',
        topic: 'orders',
        from: 'earliest',
        filter: 'contains:Paid now',
      }),
    ).toBe('/c/c1/topics/orders/messages?from=earliest&filter=contains%3APaid+now');
    expect(hashToView('#/c/sample/topics/orders/messages?from=offset:42&filter=regex%3A%5EOrder')).toEqual({
      kind: 'messages',
      connectionId: 'sample',
      topic: 'orders',
      from: 'offset:42',
      filter: 'regex:^Order',
    });
    expect(hashToView('#/c/sample/topics/orders/messages?')).toEqual({
      kind: 'messages',
      connectionId: 'sample',
      topic: 'orders',
    });
    for (const bad of [
      '#/c/x/topics/t/messages?from=somewhere',
      '#/c/x/topics/t/messages?nope=1',
      '#/c/x/topics/t/messages?filter=fuzzy:x',
      '#/c/x/topics/t/messages?partition=all',
      '#/c/x/topics/t?from=earliest',
      '#/c/x/groups?from=earliest',
    ])
      expect(hashToView(bad)).toBeNull();
  });

  it('read the hash of a URL; an address that names no view is null', () => {
    expect(hashToView('')).toEqual({ kind: 'welcome' });
    expect(hashToView('#/c/sample/groups/fraud-scoring')).toEqual({
      kind: 'group',
      connectionId: 'sample',
      groupId: 'fraud-scoring',
    });
    for (const bad of [
      '#/nowhere',
      '#/c',
      '#/c/x',
      '#/c/x/topics/t/nope',
      '#/c/x/groups/g/extra',
      '#/c/%E0%A4%A/topics',
      '#/settings/extra',
      '#/projections/extra',
    ])
      expect(hashToView(bad)).toBeNull();
    expect(hashToView('#/projections')).toEqual({ kind: 'projections' });
  });
});
