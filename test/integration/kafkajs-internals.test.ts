// Eventscope reads partitions through kafkajs internals (no public API reads without a
// consumer group). These tests fail loudly if those internals change shape.
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createInternalCluster,
  ISOLATION,
  KAFKAJS_VERSION_EXPECTED,
  OFFSET_SPEC,
  rawFetch,
  type InternalCluster,
} from '../../src/node/kafka/kafkajs/internals.ts';
import { decodeRecordSet } from '../../src/node/kafka/protocol/record-batch.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { uniqueName } from '../support/unique.ts';

describe('kafkajs internals used by src/node/kafka/kafkajs/internals.ts', () => {
  const kafka = inject('kafka');
  const topic = uniqueName('internals');
  let cluster: InternalCluster;

  beforeAll(async () => {
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    cluster = createInternalCluster(
      new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }),
      ISOLATION.READ_UNCOMMITTED,
    );
    await cluster.connect();
  });
  afterAll(async () => cluster?.disconnect());

  it('is the kafkajs version the module was written against (package.json pins it exactly)', () => {
    const installed = JSON.parse(
      readFileSync(new URL('../../node_modules/kafkajs/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const pinned = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(installed.version).toBe(KAFKAJS_VERSION_EXPECTED);
    expect(pinned.dependencies['kafkajs']).toBe(KAFKAJS_VERSION_EXPECTED);
  });

  it('exposes the private createCluster factory on the Kafka instance', () => {
    const instance = new kafkajs.Kafka({ brokers: [kafka.bootstrap] });
    const symbols = Object.getOwnPropertySymbols(instance).map((s) => s.description);
    expect(symbols).toContain('private:Kafka:createCluster');
  });

  it('negotiates API versions on connect', () => {
    const versions = cluster.apiVersions();
    expect(versions).not.toBeNull();
    expect(versions![1]).toMatchObject({ maxVersion: expect.any(Number) }); // Fetch
    expect(versions![2]).toMatchObject({ maxVersion: expect.any(Number) }); // ListOffsets
  });

  it('answers metadata in the shape the cluster client reads', async () => {
    const md = await cluster.metadata({ topics: [topic] });
    expect(md).toMatchObject({
      clusterId: expect.any(String),
      controllerId: 1,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: expect.any(Number) }],
    });
    const t = md.topicMetadata.find((x) => x.topic === topic);
    expect(t).toMatchObject({ topicErrorCode: 0, isInternal: false });
    expect(t!.partitionMetadata).toHaveLength(2);
    expect(t!.partitionMetadata[0]).toMatchObject({ partitionErrorCode: 0, leader: 1, replicas: [1], isr: [1] });
  });

  it('sends Fetch through a broker connection with our decoder (rawFetch)', async () => {
    produceWithKcat(kafka.bootstrap, topic, ['one', 'two'], { partition: 1 });
    const broker = await cluster.findBroker({ nodeId: 1 });
    const response = await rawFetch(broker, {
      isolationLevel: ISOLATION.READ_COMMITTED,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition: 1, fetchOffset: '0', maxBytes: 1 << 20 }] }],
    });
    expect(response.errorCode).toBe(0);
    const p = response.topics[0]!.partitions[0]!;
    expect(p).toMatchObject({ partition: 1, errorCode: 0, highWatermark: 2n });
    const decoded = decodeRecordSet({ topic, partition: 1 }, p.records, 0n, p.aborted);
    expect(decoded.records.map((r) => [r.offset, Buffer.from(r.value!).toString()])).toEqual([
      [0n, 'one'],
      [1n, 'two'],
    ]);
    expect(decoded.nextOffset).toBe(2n);
  });

  it('finds brokers with metadata and listOffsets, and ListOffsets answers in the expected shape', async () => {
    const broker = await cluster.findBroker({ nodeId: 1 });
    const response = await broker.listOffsets({
      isolationLevel: ISOLATION.READ_UNCOMMITTED,
      topics: [
        {
          topic,
          partitions: [
            { partition: 0, timestamp: OFFSET_SPEC.LATEST },
            { partition: 1, timestamp: OFFSET_SPEC.EARLIEST },
          ],
        },
      ],
    });
    expect(response.responses).toEqual([
      {
        topic,
        partitions: expect.arrayContaining([
          expect.objectContaining({ partition: 0, errorCode: 0, offset: '0' }),
          expect.objectContaining({ partition: 1, errorCode: 0 }),
        ]),
      },
    ]);
  });

  it('never creates topics it is asked about', async () => {
    const missing = uniqueName('never-created');
    await expect(cluster.metadata({ topics: [missing] })).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});

// sendRawRequest: the consumer-group requests and Metadata v10+ we encode ourselves.
import { apiVersionsOf, sendRawRequest } from '../../src/node/kafka/kafkajs/internals.ts';
import {
  decodeListGroupsResponse,
  encodeListGroupsRequest,
  GROUP_APIS,
  isFlexible,
} from '../../src/node/kafka/protocol/group-protocol.ts';
import { ProtocolDecodeError } from '../../src/node/kafka/protocol/protocol-decode-error.ts';

describe('kafkajs internals used by sendRawRequest (our own requests on kafkajs connections)', () => {
  const kafka = inject('kafka');
  let cluster: InternalCluster;

  beforeAll(async () => {
    cluster = createInternalCluster(
      new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }),
      ISOLATION.READ_UNCOMMITTED,
    );
    await cluster.connect();
  });
  afterAll(async () => cluster?.disconnect());

  it('finds a connected broker (brokerPool.findConnectedBroker) and its API versions (Broker.versions)', async () => {
    const broker = await cluster.anyBroker();
    const versions = apiVersionsOf(broker);
    expect(versions).not.toBeNull();
    expect(versions![GROUP_APIS.ListGroups.apiKey]).toMatchObject({
      minVersion: expect.any(Number),
      maxVersion: expect.any(Number),
    });
    expect(versions![GROUP_APIS.ConsumerGroupDescribe.apiKey]).toBeDefined(); // Kafka 4: KIP-848
  });

  it('sends a classic request (header v1) and a flexible one (header v2, response header v1) and decodes both', async () => {
    const broker = await cluster.anyBroker();
    const api = GROUP_APIS.ListGroups;
    const groupsFrom = async (version: number) => {
      const response = await sendRawRequest(broker, {
        apiKey: api.apiKey,
        apiName: api.name,
        apiVersion: version,
        flexible: isFlexible(api, version),
        body: encodeListGroupsRequest(version),
        decode: (p) => decodeListGroupsResponse(p, version),
      });
      expect(response.errorCode).toBe(0);
      return response.groups.map((g) => g.groupId).sort();
    };
    const classic = await groupsFrom(0);
    const flexible = await groupsFrom(5);
    expect(flexible).toEqual(classic);
    // Many requests at once on the one connection: correlation ids keep the answers apart.
    const many = await Promise.all([0, 3, 4, 5, 0, 5].map(groupsFrom));
    for (const answer of many) expect(answer).toEqual(classic);
  });

  it('hands the decoder exactly the response body (a decoder that leaves bytes fails, and the failure reaches the caller)', async () => {
    const broker = await cluster.anyBroker();
    const api = GROUP_APIS.ListGroups;
    await expect(
      sendRawRequest(broker, {
        apiKey: api.apiKey,
        apiName: api.name,
        apiVersion: 5,
        flexible: true,
        body: encodeListGroupsRequest(5),
        decode: (p) => decodeListGroupsResponse(Buffer.concat([p, Buffer.from([0])]), 5),
      }),
    ).rejects.toBeInstanceOf(ProtocolDecodeError);
    // The connection is still good for the next request.
    const answer = await sendRawRequest(broker, {
      apiKey: api.apiKey,
      apiName: api.name,
      apiVersion: 5,
      flexible: true,
      body: encodeListGroupsRequest(5),
      decode: (p) => decodeListGroupsResponse(p, 5),
    });
    expect(answer.errorCode).toBe(0);
  });
});
