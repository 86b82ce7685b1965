// What a user sees: first start, a connection to the real broker, topics made by Kafka's
// own tool and filled by kcat, with the numbers Kafka's own tools print.
import { createTopicWithKafkaTool, offsetsFromGetOffsetShell } from '../harness/kafka-tools.ts';
import { consumeWithKcatGroup, produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';

test.describe('first start and the topic browser', () => {
  const orders = uniqueName('orders');
  const payments = uniqueName('payments');

  test.beforeAll(() => {
    const bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS']!;
    createTopicWithKafkaTool(bootstrap, orders, { partitions: 3, configs: { 'retention.ms': '604800001' } });
    createTopicWithKafkaTool(bootstrap, payments, { partitions: 5 });
    produceWithKcat(
      bootstrap,
      orders,
      Array.from({ length: 12 }, (_, i) => `{"type":"OrderPlaced","n":${i}}`),
      { partition: 0 },
    );
    produceWithKcat(
      bootstrap,
      orders,
      Array.from({ length: 7 }, (_, i) => `{"type":"OrderPaid","n":${i}}`),
      { partition: 2 },
    );
    // A consumer group makes the broker create its internal __consumer_offsets topic.
    consumeWithKcatGroup(bootstrap, uniqueName('e2e-group'), orders);
  });

  test('opens on a first-connection screen offering localhost:9092', async ({ page, app }) => {
    await page.goto(app.url);
    await expect(page.getByTestId('welcome')).toBeVisible();
    await expect(page.getByTestId('connection-bootstrap')).toHaveValue('localhost:9092');
  });

  test('connects, lists topics with partitions and counts, and shows offsets equal to GetOffsetShell', async ({
    page,
    app,
    kafka,
  }) => {
    await page.goto(app.url);
    await page.getByTestId('connection-name').fill('Harness');
    await page.getByTestId('connection-bootstrap').fill(kafka.bootstrap);
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('test-result')).toContainText('1 broker');
    await expect(page.getByTestId('test-result')).toContainText('controller 1');
    await page.getByTestId('save-connection').click();

    await expect(page.getByTestId('topics-view')).toBeVisible();
    const ordersRow = page.locator(`[data-testid=topic-row][data-topic="${orders}"]`);
    await page.getByTestId('topic-filter').fill(orders);
    await expect(ordersRow).toBeVisible();
    await expect(page.getByTestId('topic-row')).toHaveCount(1);
    await expect(ordersRow.getByTestId('topic-partitions')).toHaveText('3');
    await expect(ordersRow.getByTestId('topic-messages')).toHaveText('19');
    await page.getByTestId('topic-filter').fill(payments);
    await expect(
      page.locator(`[data-testid=topic-row][data-topic="${payments}"]`).getByTestId('topic-partitions'),
    ).toHaveText('5');

    await page.getByTestId('topic-filter').fill(orders);
    await ordersRow.click();
    await expect(page.getByTestId('topic-title')).toHaveText(orders);
    const latest = offsetsFromGetOffsetShell(kafka.bootstrap, orders, 'latest');
    const earliest = offsetsFromGetOffsetShell(kafka.bootstrap, orders, 'earliest');
    const rows = page.getByTestId('partition-row');
    await expect(rows).toHaveCount(3);
    for (let p = 0; p < 3; p++) {
      await expect(rows.nth(p).getByTestId('partition-latest')).toHaveText(latest.get(p)!);
      await expect(rows.nth(p).getByTestId('partition-earliest')).toHaveText(earliest.get(p)!);
    }
    const retention = page.locator('[data-testid=config-row][data-config="retention.ms"]');
    await expect(retention).toHaveAttribute('data-default', 'false');
    await expect(retention).toContainText('604800001');

    await page.getByRole('button', { name: 'Brokers' }).click();
    await expect(page.getByTestId('broker-row')).toHaveCount(1);
    await expect(page.getByTestId('broker-row')).toContainText('controller');
    await expect(page.getByTestId('cluster-id')).not.toHaveText('unknown');

    // A reload stays on the view (its address); the app opened anew opens on the saved connection.
    await page.reload();
    await expect(page.getByTestId('broker-row')).toHaveCount(1);
    await page.goto(`${app.origin}/`);
    await expect(page.getByTestId('topics-view')).toBeVisible();
    await expect(page.getByTestId('rail')).toContainText('Harness');
  });

  test('internal topics appear only when asked for', async ({ page, app, kafka }) => {
    await page.goto(app.url);
    await page.getByTestId('connection-bootstrap').fill(kafka.bootstrap);
    await page.getByTestId('save-connection').click();
    await page.getByTestId('topic-filter').fill('__consumer_offsets');
    await expect(page.getByTestId('topic-row')).toHaveCount(0);
    await page.getByTestId('show-internal').check();
    await expect(page.locator('[data-testid=topic-row][data-topic="__consumer_offsets"]')).toBeVisible();
  });
});

test.describe('bad input and faults in the connection form', () => {
  test('a port out of range is named at the field, before anything is sent', async ({ page, app }) => {
    await page.goto(app.url);
    await page.getByTestId('connection-bootstrap').fill('localhost:70000');
    await page.getByTestId('test-connection').click();
    await expect(page.getByText('Port 70000 in "localhost:70000" is out of range (1–65535).')).toBeVisible();
  });

  test('nothing listening: the error says connection refused', async ({ page, app }) => {
    await page.goto(app.url);
    await page.getByTestId('connection-bootstrap').fill('127.0.0.1:1');
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('error')).toContainText('Connection refused by 127.0.0.1:1');
    await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'CONNECTION_REFUSED');
  });

  test('a wrong SCRAM password says authentication failed; the right one connects', async ({ page, app, kafka }) => {
    test.skip(!kafka.saslBootstrap, 'the cluster in KAFKA_BOOTSTRAP_SERVERS has no KAFKA_SASL_BOOTSTRAP_SERVERS');
    await page.goto(app.url);
    await page.getByTestId('connection-bootstrap').fill(kafka.saslBootstrap!);
    await page.getByRole('button', { name: /Authentication, TLS/ }).click();
    await page.getByTestId('sasl-mechanism').selectOption('scram-sha-512');
    await page.getByTestId('sasl-username').fill(kafka.scramUser!);
    await page.getByTestId('sasl-password').fill('not-the-password');
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'AUTH_FAILED');
    await expect(page.getByTestId('error')).toContainText('Authentication failed');
    await page.getByTestId('sasl-password').fill(kafka.scramPassword!);
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('test-result')).toContainText('1 broker');
  });

  test('imports a client.properties file; a malformed one gets a clear error', async ({ page, app, kafka }) => {
    await page.goto(app.url);
    await page.getByTestId('import-file').setInputFiles({
      name: 'staging.properties',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        `bootstrap.servers=${kafka.bootstrap}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="pw";\n`,
      ),
    });
    await expect(page.getByTestId('connection-name')).toHaveValue('staging');
    await expect(page.getByTestId('connection-bootstrap')).toHaveValue(kafka.bootstrap);
    await expect(page.getByTestId('sasl-mechanism')).toHaveValue('scram-sha-256');
    await expect(page.getByTestId('sasl-username')).toHaveValue('svc');
    await page.getByTestId('import-file').setInputFiles({
      name: 'broken.properties',
      mimeType: 'text/plain',
      buffer: Buffer.from('this is not a kafka config\n'),
    });
    await expect(page.getByTestId('error')).toContainText('no bootstrap.servers');
  });

  test('the app refuses a visit without the token', async ({ page, app }) => {
    const response = await page.goto(app.origin + '/');
    expect(response?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('token');
  });
});
