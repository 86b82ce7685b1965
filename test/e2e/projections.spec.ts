// The Projections screen as a user drives it, in Chromium through browser mode, on the sample
// capture (no cluster): the first sample opens with its topic chosen and Run gives the final
// state a plain loop over the capture's records computes (read here with node:sqlite through
// the replay log, merged in the documented order by this file's own code); a keyed projection
// written, saved and reloaded, its keys filtered; a projection that throws, one that does not
// parse, one that loops forever, and ones that reach for fetch, the DOM or the worker's
// postMessage / importScripts: each stopped with the event and line, the page still working;
// a file changed on disk meanwhile is a conflict on save, saved under another name instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CAPTURE_CLUSTER } from '../../src/node/log/capture-file.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { createTopicWithKafkaTool, describeGroupWithKafkaTool } from '../harness/kafka-tools.ts';
import { consumeWithKcatGroup, produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { connect } from './steps.ts';
import { expect, test } from './fixtures.ts';

const SAMPLE = new URL('../../resources/sample-capture.eventscope', import.meta.url).pathname;
const REVENUE_SAMPLE = 'revenue-per-customer.js';

interface PlainEvent {
  partition: number;
  offset: string;
  timestamp: number;
  key: string | null;
  value: unknown;
  headers: Record<string, string | null>;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** A topic of the sample capture as a projection sees it, in event order: per partition by offset, across them by timestamp, then partition. */
function captureEvents(topic: string): PlainEvent[] {
  const log = new ReplayLog(SAMPLE, { readOnly: true });
  try {
    const partitions = log.topics(CAPTURE_CLUSTER).find((t) => t.topic === topic)!.partitions;
    const queues = partitions.map((partition) =>
      log.read({ cluster: CAPTURE_CLUSTER, topic, partition }, 0n, 1_000_000),
    );
    const at = queues.map(() => 0);
    const out: PlainEvent[] = [];
    for (;;) {
      let best = -1;
      for (let i = 0; i < queues.length; i++) {
        const r = queues[i]![at[i]!];
        if (!r) continue;
        const b = best < 0 ? null : queues[best]![at[best]!]!;
        if (!b || r.timestampMs < b.timestampMs || (r.timestampMs === b.timestampMs && r.partition < b.partition))
          best = i;
      }
      if (best < 0) return out;
      const r = queues[best]![at[best]!++]!;
      let value: unknown = null;
      if (r.value !== null) {
        let text: string | null = null;
        try {
          text = strict.decode(r.value);
        } catch {
          value = r.value;
        }
        if (text !== null) {
          try {
            value = JSON.parse(text);
          } catch {
            value = text;
          }
        }
      }
      const headers: Record<string, string | null> = {};
      for (const h of r.headers) headers[h.key] = h.value === null ? null : lenient.decode(h.value);
      out.push({
        partition: r.partition,
        offset: r.offset.toString(),
        timestamp: r.timestampMs,
        key: r.key === null ? null : lenient.decode(r.key),
        value,
        headers,
      });
    }
  } finally {
    log.close();
  }
}

/** resources/projections/revenue-per-customer.js, as a plain loop. */
function revenueLoop(events: PlainEvent[]): unknown {
  const state = {
    revenueCents: {} as Record<string, number>,
    paidOrders: {} as Record<string, number>,
    duplicatePayments: 0,
    paymentsForUnknownOrders: [] as unknown[],
    unpaid: {} as Record<string, unknown>,
    paid: {} as Record<string, boolean>,
  };
  for (const e of events) {
    const type = e.headers['event-type'];
    // As JavaScript indexes an object: undefined is the key "undefined".
    const v = e.value as Record<string, unknown>;
    if (type === 'OrderPlaced') state.unpaid[String(v.orderId)] = v.customerId;
    else if (type === 'OrderPaid') {
      const [orderId, amountCents] = [String(v.orderId), v.amountCents as number];
      const rawId = v.orderId;
      if (state.paid[orderId]) {
        state.duplicatePayments += 1;
        continue;
      }
      const customerId = state.unpaid[orderId] as string | undefined;
      if (customerId === undefined) {
        state.paymentsForUnknownOrders.push({ orderId: rawId, partition: e.partition, offset: e.offset });
        continue;
      }
      delete state.unpaid[orderId];
      state.paid[orderId] = true;
      state.revenueCents[customerId] = (state.revenueCents[customerId] ?? 0) + amountCents;
      state.paidOrders[customerId] = (state.paidOrders[customerId] ?? 0) + 1;
    } else if (type === 'OrderCancelled') delete state.unpaid[String(v.orderId)];
  }
  // What JSON keeps of it (the projection's final state is JSON).
  return JSON.parse(JSON.stringify(state));
}

const PER_ORDER = `// Events per order, keyed by the order id in the value.
export default {
  typeFrom: { header: 'event-type' },
  keyBy: (event) => (event.value !== null && typeof event.value === 'object' ? event.value.orderId : null),
  init: () => ({ events: 0, types: [] }),
  any(state, event) {
    state.events += 1;
    state.types.push(event.type);
    return state;
  },
};
`;

function perOrderLoop(events: PlainEvent[]): {
  states: Map<string, { events: number; types: (string | null)[] }>;
  unkeyed: number;
} {
  const states = new Map<string, { events: number; types: (string | null)[] }>();
  let unkeyed = 0;
  for (const e of events) {
    const key =
      e.value !== null && typeof e.value === 'object' && !(e.value instanceof Uint8Array)
        ? (e.value as { orderId?: unknown }).orderId
        : null;
    if (key === null || key === undefined) {
      unkeyed++;
      continue;
    }
    const k = String(key);
    const s = states.get(k) ?? { events: 0, types: [] };
    s.events += 1;
    s.types.push(e.headers['event-type'] ?? null);
    states.set(k, s);
  }
  return { states, unkeyed };
}

// No test here may leave an uncaught error in the page: the screen runs the user's code beside the app.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  pageErrors = errors;
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

/** First start, then the Projections screen from the rail: the first sample is open. */
async function openProjections(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('open-projections').click();
  await expect(page.getByTestId('projections-view')).toBeVisible();
  await expect(page.getByTestId('open-file')).not.toBeEmpty();
}

/** A new file in the workspace, by the New button; it opens in the editor. */
async function newFile(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-file').click();
  await page.getByTestId('new-name').fill(name);
  await page.getByTestId('new-create').click();
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.locator(`[data-testid=file][data-name="${name}"] .projection-file-name`).click();
  await expect(page.getByTestId('open-file')).toHaveText(name);
}

/** Replaces the editor's text as a paste would (no auto-closed brackets, no auto-indent). */
async function setSource(page: Page, source: string): Promise<void> {
  await page.locator('.projection-editor .cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(source);
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
}

/** Where step-through and compare start: a new file holding PER_ORDER, run over the sample's orders. */
async function runPerOrderOverOrders(page: Page, url: string, name: string): Promise<void> {
  await openProjections(page, url);
  await newFile(page, name);
  await setSource(page, PER_ORDER);
  await page.getByTestId('range-topic').fill('orders');
  await runToEnd(page);
}

/** The Projections screen on the sample capture's orders (the range most tests run over). */
async function openOnSampleOrders(page: Page, url: string): Promise<void> {
  await openProjections(page, url);
  await page.getByTestId('range-connection').selectOption('sample');
  await page.getByTestId('range-topic').fill('orders');
}

async function shownJson(page: Page, testId: string): Promise<unknown> {
  await page.getByTestId(`${testId}-as-json`).click();
  return JSON.parse((await page.getByTestId(`${testId}-json`).textContent())!) as unknown;
}

test('the first sample opens on the sample capture and Run gives the state a plain loop computes', async ({
  page,
  app,
}) => {
  await openProjections(page, app.url);
  // The first sample, with the sample capture and the topic its usage names chosen.
  await expect(page.getByTestId('range-connection')).toHaveValue('sample');
  const opened = (await page.getByTestId('open-file').textContent())!;
  expect(opened).toMatch(/\.js$/);
  await expect(page.locator('[data-testid=file]')).toHaveCount(2);
  await openFile(page, REVENUE_SAMPLE);
  await expect(page.getByTestId('range-topic')).not.toHaveValue('');
  await page.getByTestId('range-topic').fill('orders');
  await expect(page.locator('.projection-editor .cm-content')).toContainText('revenue per customer');

  await runToEnd(page);
  const events = captureEvents('orders');
  await expect(page.getByTestId('count-events')).toHaveText(events.length.toLocaleString('en-US'));
  expect(await shownJson(page, 'projection-state')).toEqual(revenueLoop(events));
  // Counts per type: handled ones and the rest.
  const placed = events.filter((e) => e.headers['event-type'] === 'OrderPlaced').length;
  await expect(page.locator('[data-testid=type-count][data-type=OrderPlaced] td').nth(1)).toHaveText(
    placed.toLocaleString('en-US'),
  );
  await expect(page.getByTestId('count-untyped')).toHaveText(
    events
      .filter((e) => e.headers['event-type'] === undefined || e.headers['event-type'] === null)
      .length.toLocaleString('en-US'),
  );
  await expect(page.getByTestId('projection-failure')).toHaveCount(0);
});

test('a keyed projection written here, saved, reloaded; its keys filtered', async ({ page, app }) => {
  await openProjections(page, app.url);
  await page.getByTestId('new-file').click();
  await page.getByTestId('new-name').fill('per order');
  await page.getByTestId('new-create').click();
  await expect(page.getByTestId('new-error')).toContainText('is not a file name');
  await page.getByTestId('new-name').fill('per-order');
  await page.getByTestId('new-create').click();
  await expect(page.getByTestId('open-file')).toHaveText('per-order.js');
  await setSource(page, PER_ORDER);
  await expect(page.getByTestId('unsaved')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByTestId('saved')).toHaveText('Saved per-order.js.');
  await expect(page.getByTestId('unsaved')).toHaveCount(0);
  const folder = (await page.getByTestId('folder').textContent())!;
  expect(readFileSync(join(folder, 'per-order.js'), 'utf8')).toBe(PER_ORDER);

  // A reload opens the same file, as saved, on the same range.
  await page.getByTestId('range-topic').fill('orders');
  await page.reload();
  await expect(page.getByTestId('open-file')).toHaveText('per-order.js');
  await expect(page.locator('.projection-editor .cm-content')).toContainText('Events per order, keyed by the order id');
  await expect(page.getByTestId('range-topic')).toHaveValue('orders');

  await runToEnd(page);
  const loop = perOrderLoop(captureEvents('orders'));
  await expect(page.getByTestId('count-keys')).toHaveText(loop.states.size.toLocaleString('en-US'));
  await expect(page.getByTestId('count-unkeyed')).toHaveText(loop.unkeyed.toLocaleString('en-US'));
  await expect(page.getByTestId('keys-shown')).toHaveText(`${loop.states.size.toLocaleString('en-US')} keys`);
  // Virtualized: far fewer rows than keys are in the page.
  expect(await page.getByTestId('key-row').count()).toBeLessThan(loop.states.size);
  const [someKey, someState] = [...loop.states.entries()][Math.floor(loop.states.size / 2)]!;
  await page.getByTestId('key-filter').fill(someKey);
  const row = page.getByTestId('key-row').filter({ hasText: new RegExp(`^${someKey}$`) });
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(page.getByTestId('key-state-key')).toHaveText(someKey);
  expect(await shownJson(page, 'key-state-value')).toEqual(someState);
  await page.getByTestId('key-filter').fill('no-such-order-key');
  await expect(page.getByTestId('keys-shown')).toHaveText(`0 of ${loop.states.size.toLocaleString('en-US')} keys`);
});

test('a projection that throws names the event and jumps to the line; a syntax error shows its line before any event', async ({
  page,
  app,
}) => {
  await openOnSampleOrders(page, app.url);
  await setSource(
    page,
    `export default {
  init: () => ({ seen: 0 }),
  any(state, event) {
    state.seen += 1;
    if (state.seen === 100) {
      throw new Error('the hundredth event');
    }
    return state;
  },
};
`,
  );
  await runToEnd(page);
  const hundredth = captureEvents('orders')[99]!;
  await expect(page.getByTestId('projection-failure')).toHaveAttribute('data-kind', 'threw');
  await expect(page.getByTestId('projection-failure-message')).toContainText('the hundredth event');
  await expect(page.getByTestId('projection-failure-message')).toContainText('line 6');
  await expect(page.getByTestId('projection-failure-event')).toContainText(
    `orders partition ${hundredth.partition} offset ${hundredth.offset}`,
  );
  // The editor is on that line, and marks it.
  await expect(page.locator('.projection-editor .cm-activeLine')).toContainText(
    "throw new Error('the hundredth event')",
  );
  await expect(page.locator('.projection-editor .cm-lintRange-error')).toHaveCount(1);

  // A syntax error on line 3: marked as soon as it is typed, and a run stops before any event.
  await setSource(page, `export default {\n  init: () => ({}),\n  any(state, event) { return state +* 1; },\n};\n`);
  await expect(page.locator('.projection-editor .cm-lintRange-error')).toHaveCount(1, { timeout: 10_000 });
  await runToEnd(page);
  await expect(page.getByTestId('projection-failure')).toHaveAttribute('data-kind', 'syntax');
  await expect(page.getByTestId('projection-failure-message')).toContainText('line 3');
  await expect(page.getByTestId('projection-failure-event')).toHaveCount(0);
  await expect(page.getByTestId('projection-result')).toContainText('before any event');
  await expect(page.locator('.projection-editor .cm-activeLine')).toContainText('return state +* 1');
});

test('a range typed wrong is refused before anything runs; a topic that does not exist is the host’s sentence', async ({
  page,
  app,
}) => {
  await openOnSampleOrders(page, app.url);
  await page.getByTestId('range-partitions').fill('0,one');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('range-error')).toContainText('Partitions "0,one" are not a list of partition numbers');
  await expect(page.getByTestId('run-progress')).toHaveCount(0);
  await page.getByTestId('range-partitions').fill('');
  await page.getByTestId('range-from-kind').selectOption('time');
  await page.getByTestId('range-from-value').fill('next tuesday');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('range-error')).toContainText('From time "next tuesday" is not a time');
  await page.getByTestId('range-from-kind').selectOption('earliest');
  await page.getByTestId('range-topic').fill('no-such-topic');
  await runToEnd(page);
  await expect(page.getByTestId('range-error')).toHaveCount(0);
  await expect(page.getByTestId('run-end')).toHaveAttribute('data-reason', 'failed');
  await expect(page.getByTestId('run-end')).toContainText('no-such-topic');
});

test('an endless loop is stopped by the time limit or by Cancel, and the page stays usable', async ({ page, app }) => {
  await openOnSampleOrders(page, app.url);
  await setSource(
    page,
    `export default {\n  init: () => ({ n: 0 }),\n  any(state) {\n    for (;;) state.n++;\n  },\n};\n`,
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('cancel')).toBeVisible();
  // The page answers while the worker loops.
  await page.getByTestId('new-file').click();
  await page.getByTestId('new-name').fill('typed while it loops');
  await expect(page.getByTestId('new-name')).toHaveValue('typed while it loops');
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('projection-failure')).toHaveAttribute('data-kind', 'timeout');
  await expect(page.getByTestId('projection-failure-message')).toContainText('ran longer than 5 s');
  await expect(page.getByTestId('projection-failure-message')).toContainText('loop forever');
  // Cancel stops a looping run without waiting for the time limit.
  await page.getByTestId('run').click();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('run-end')).toHaveAttribute('data-reason', 'cancelled');
  await expect(page.getByTestId('projection-failure')).toHaveCount(0);
  // Still usable: a good projection runs right after.
  await setSource(
    page,
    `export default {\n  init: () => ({ n: 0 }),\n  any(state) {\n    state.n++;\n    return state;\n  },\n};\n`,
  );
  await runToEnd(page);
  expect(await shownJson(page, 'projection-state')).toEqual({ n: captureEvents('orders').length });
});

test('a projection cannot reach fetch, the DOM, the worker’s postMessage or importScripts', async ({ page, app }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openOnSampleOrders(page, app.url);
  const attempts = [
    ["fetch('http://127.0.0.1:9/steal')", /fetch is not a function|fetch is not defined/],
    ["document.title = 'owned'", /document is not defined/],
    [
      "self.postMessage({ type: 'finished', outcome: { keyed: false, state: 'forged', counts: {} } })",
      /postMessage is not a function/,
    ],
    ["importScripts('http://127.0.0.1:9/evil.js')", /importScripts is not a function|importScripts is not defined/],
    ["globalThis.localStorage.setItem('x', '1')", /Cannot read properties of undefined|localStorage/],
  ] as const;
  for (const [code, expected] of attempts) {
    await setSource(
      page,
      `export default {\n  init: () => ({}),\n  any(state) {\n    ${code};\n    return state;\n  },\n};\n`,
    );
    await runToEnd(page);
    await expect(page.getByTestId('projection-failure'), code).toHaveAttribute('data-kind', 'threw');
    await expect(page.getByTestId('projection-failure-message'), code).toContainText(expected);
    await expect(page.getByTestId('projection-failure-message'), code).toContainText('line 4');
  }
  expect(requests.filter((u) => u.includes(':9/'))).toEqual([]);
  expect(await page.title()).not.toBe('owned');
  // The app is still up.
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('open-settings')).toHaveClass(/active/);
});

test('a file changed on disk since it was opened is a conflict on save; saved under another name instead', async ({
  page,
  app,
}) => {
  await openProjections(page, app.url);
  await openFile(page, REVENUE_SAMPLE);
  const folder = (await page.getByTestId('folder').textContent())!;
  const path = join(folder, REVENUE_SAMPLE);
  const onDisk = '// changed by another editor\nexport default { init: () => ({}) };\n';
  writeFileSync(path, onDisk);
  const later = new Date(statSync(path).mtimeMs + 5_000);
  utimesSync(path, later, later);

  await setSource(page, `// mine\nexport default { init: () => ({ mine: true }) };\n`);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('conflict')).toContainText('changed on disk');
  expect(readFileSync(path, 'utf8')).toBe(onDisk);
  await page.getByTestId('save-as-name').fill('mine-instead');
  await page.getByTestId('save-as').click();
  await expect(page.getByTestId('conflict')).toHaveCount(0);
  await expect(page.getByTestId('open-file')).toHaveText('mine-instead.js');
  expect(readFileSync(join(folder, 'mine-instead.js'), 'utf8')).toContain('mine: true');
  await expect(page.locator('[data-testid=file][data-name="mine-instead.js"]')).toBeVisible();

  // Reload from disk shows what the other editor wrote.
  await openFile(page, REVENUE_SAMPLE);
  await expect(page.locator('.projection-editor .cm-content')).toContainText('changed by another editor');

  // Delete asks first.
  await page.locator('[data-testid=file][data-name="mine-instead.js"] [data-testid=file-delete]').click();
  await expect(page.getByTestId('delete-confirm')).toContainText('cannot be undone');
  await page.getByTestId('delete-yes').click();
  await expect(page.locator('[data-testid=file][data-name="mine-instead.js"]')).toHaveCount(0);
  expect(() => statSync(join(folder, 'mine-instead.js'))).toThrow();
});

test('the workspace folder is changed by its path: a missing one is said, or created when asked', async ({
  page,
  app,
}) => {
  await openProjections(page, app.url);
  const elsewhere = join(app.dataDir, 'elsewhere', 'projections');
  await page.getByTestId('change-folder').click();
  await page.getByTestId('folder-path').fill(elsewhere);
  await page.getByTestId('folder-use').click();
  // Refused, or taken with its problem said: either way the path is named.
  await expect(page.getByTestId('error').or(page.getByTestId('folder-problem')).first()).toContainText('elsewhere');
  if ((await page.getByTestId('folder-path').count()) === 0) await page.getByTestId('change-folder').click();
  await page.getByTestId('folder-path').fill(elsewhere);
  await page.getByTestId('folder-create').check();
  await page.getByTestId('folder-use').click();
  await expect(page.getByTestId('folder')).toHaveText(elsewhere);
  await expect(page.getByTestId('folder-problem')).toHaveCount(0);
  await expect(page.getByTestId('files')).toContainText('No projection files here yet');
  await expect(page.getByTestId('no-file')).toBeVisible();
  await newFile(page, 'first.mjs');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toHaveText('Saved first.mjs.');
  expect(readFileSync(join(elsewhere, 'first.mjs'), 'utf8')).toContain('export default');
  await expect(page.locator('[data-testid=file][data-name="first.mjs"]')).toBeVisible();
});

test('on the real broker: a range up to a consumer group’s committed offsets gives what a plain loop over kcat’s records computes', async ({
  page,
  app,
  kafka,
}) => {
  const { bootstrap } = kafka;
  const topic = uniqueName('projection-range');
  const group = uniqueName('projection-group');
  createTopicWithKafkaTool(bootstrap, topic, { partitions: 3 });
  const line = (p: number, i: number): string =>
    JSON.stringify({ kind: i % 5 === 0 ? 'Refund' : 'Sale', customer: `c${(i * 7 + p) % 4}`, amount: 10 * p + i });
  const produce = (round: number): void => {
    for (const [p, n] of [
      [0, 30],
      [1, 20],
      [2, 10],
    ] as const)
      produceWithKcat(
        bootstrap,
        topic,
        Array.from({ length: n }, (_, i) => line(p, i + round * 100)),
        { partition: p },
      );
  };
  produce(0);
  // The group reads everything there is now and commits; what is produced after is past its offsets.
  consumeWithKcatGroup(bootstrap, group, topic);
  produce(1);
  const committed = new Map(
    describeGroupWithKafkaTool(bootstrap, group).rows.map((r) => [r.partition, BigInt(r.currentOffset!)]),
  );
  expect([...committed.values()].map(String)).toEqual(['30', '20', '10']);
  // kcat reads the topic; the plain loop takes what lies below the group's offsets.
  const read = execFileSync(
    'kcat',
    ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%o\t%s\n'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const expected: Record<string, number> = {};
  let refunds = 0;
  for (const row of read.trim().split('\n')) {
    const [p, o, value] = row.split('\t') as [string, string, string];
    if (BigInt(o) >= committed.get(Number(p))!) continue;
    const v = JSON.parse(value) as { kind: string; customer: string; amount: number };
    if (v.kind === 'Sale') expected[v.customer] = (expected[v.customer] ?? 0) + v.amount;
    else refunds += 1;
  }

  await connect(page, app.url, bootstrap);
  await page.getByTestId('open-projections').click();
  await expect(page.getByTestId('open-file')).not.toBeEmpty();
  await page.getByTestId('range-connection').selectOption({ label: 'Harness' });
  await page.getByTestId('range-topic').fill(topic);
  await page.getByTestId('range-to-kind').selectOption('group');
  await page.getByTestId('range-to-value').fill(group);
  await setSource(
    page,
    `export default {
  typeFrom: { jsonField: 'kind' },
  init: () => ({ sales: {}, refunds: 0 }),
  on: {
    Sale(state, event) {
      state.sales[event.value.customer] = (state.sales[event.value.customer] ?? 0) + event.value.amount;
      return state;
    },
    Refund(state) {
      state.refunds += 1;
    },
  },
};
`,
  );
  await runToEnd(page);
  await expect(page.getByTestId('projection-failure')).toHaveCount(0);
  await expect(page.getByTestId('count-events')).toHaveText('60');
  expect(await shownJson(page, 'projection-state')).toEqual({ sales: expected, refunds });
});

test('step through: the event and its key’s state after any event N, the next one, and run until an expression holds', async ({
  page,
  app,
}) => {
  await runPerOrderOverOrders(page, app.url, 'per-order-steps');
  const events = captureEvents('orders');
  await page.getByTestId('result-tab-step').click();
  const keyOf = (e: PlainEvent): string | null => {
    const v = e.value as { orderId?: unknown } | null;
    return v !== null &&
      typeof v === 'object' &&
      !(v instanceof Uint8Array) &&
      v.orderId !== undefined &&
      v.orderId !== null
      ? String(v.orderId)
      : null;
  };
  // Events with a key, somewhere inside the range (after the first snapshot too).
  const picks = [3, Math.floor(events.length / 3), events.length - 2].map((n) => {
    while (keyOf(events[n - 1]!) === null) n++;
    return n;
  });
  for (const n of picks) {
    await page.getByTestId('step-index').fill(String(n));
    await page.getByTestId('step-index').press('Enter');
    const event = events[n - 1]!;
    const shown = page.getByTestId('step-event');
    await expect(shown).toContainText(`Partition${event.partition}`);
    await expect(shown).toContainText(`Offset${event.offset}`);
    // The key's state after N equals a plain loop over the first N events.
    const expected = perOrderLoop(events.slice(0, n)).states.get(keyOf(event)!)!;
    await expect(page.getByTestId('step-details')).toContainText(`of key ${keyOf(event)}`);
    await expect(page.getByTestId('step-state')).toContainText(String(expected.events));
    expect(expected.types[expected.types.length - 1]).toBe(event.headers['event-type'] ?? null);
  }
  // Next: event N + 1.
  const last = picks[picks.length - 1]!;
  await page.getByTestId('step-next').click();
  await expect(page.getByTestId('step-index')).toHaveValue(String(last + 1));
  await expect(page.getByTestId('step-event')).toContainText(`Offset${events[last]!.offset}`);

  // Run until: from the start, the first cancelled order.
  await page.getByTestId('step-index').fill('0');
  await page.getByTestId('step-index').press('Enter');
  await page.getByTestId('step-until-expression').fill("event.type === 'OrderCancelled'");
  await page.getByTestId('step-until-run').click();
  const firstCancelled = events.findIndex((e) => e.headers['event-type'] === 'OrderCancelled') + 1;
  expect(firstCancelled).toBeGreaterThan(0);
  await expect(page.getByTestId('step-until-result')).toBeVisible();
  await expect(page.getByTestId('step-index')).toHaveValue(String(firstCancelled));
});

test('compare: a consumer state that missed one event is reported at that event; a state that is not JSON says where', async ({
  page,
  app,
}) => {
  await runPerOrderOverOrders(page, app.url, 'per-order-compare');
  const events = captureEvents('orders');
  const { states } = perOrderLoop(events);
  // The consumer missed the last event of one order with several events.
  const [key, state] = [...states.entries()].find(([, s]) => s.events >= 3)!;
  const consumer = Object.fromEntries(
    [...states.entries()].map(([k, s]) => [k, k === key ? { events: s.events - 1, types: s.types.slice(0, -1) } : s]),
  );
  const lastOfKey = events
    .map((e, i) => ({ e, i }))
    .filter(
      ({ e }) =>
        (e.value as { orderId?: unknown } | null)?.orderId !== undefined &&
        String((e.value as { orderId: unknown }).orderId) === key,
    )
    .pop()!;
  expect(state.events).toBeGreaterThanOrEqual(3);

  await page.getByTestId('result-tab-compare').click();
  await page.getByTestId('compare-json').fill('{ "a": 1,, }');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-panel')).toContainText('is not JSON');
  await expect(page.getByTestId('compare-panel')).toContainText('line 1');

  await page.getByTestId('compare-json').fill(JSON.stringify(consumer));
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-summary')).toContainText(
    `${(states.size - 1).toLocaleString('en-US')} agree, 1 differ`,
  );
  await expect(page.getByTestId('compare-divergence')).toHaveCount(1);
  await expect(page.getByTestId('compare-divergence')).toContainText(`Key ${key}`);
  await expect(page.getByTestId('compare-divergence-event')).toContainText(
    `event ${(lastOfKey.i + 1).toLocaleString('en-US')} (partition ${lastOfKey.e.partition}, offset ${lastOfKey.e.offset}`,
  );
  // The event link shows it in Step through.
  await page.getByTestId('compare-divergence-event').click();
  await expect(page.getByTestId('result-tab-step')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('step-index')).toHaveValue(String(lastOfKey.i + 1));
});
