/**
 * Reversals through a real Kafka broker (KAFKA_BROKERS), MariaDB, the sandbox over HTTP and a POS over a
 * real socket: the switch runs in this process with topics of its own (a unique prefix, deleted after).
 * Retry waits are shrunk to tens of milliseconds; the policy allows 6 attempts.
 */
import { Field } from '@switch/iso8583';
import type { Kafka } from 'kafkajs';
import { ManualInterventionEntity, MerchantEntity } from '../../../src/persistence/entities';
import { MerchantCatalog } from '../../../src/persistence/merchant-catalog';
import { purchase, reversal, transmissionDateTime } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment, setSandboxFaults as setFaults } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { adminKafka, deleteTopics, kafkaBrokers, readUntil, uniquePrefix } from './kafka-kit';
import { alipayCalls, buy, paymentRow, reversalOf } from './reversal-helpers';

jest.setTimeout(60_000);

const cancelled = (sut: SwitchUnderTest, paymentRequestId: string) =>
  eventually(async () => {
    const row = await paymentRow(sut.running.dataSource, paymentRequestId);
    return row?.state === 'CANCELLED' ? row : undefined;
  }, 30_000);

describe('reversals through Kafka (MariaDB)', () => {
  const brokers = kafkaBrokers();
  const prefix = uniquePrefix('rev');
  let kafka: Kafka;
  let sut: SwitchUnderTest;
  let pos: PosClient;

  beforeAll(async () => {
    kafka = adminKafka(brokers);
    sut = await startTestSwitch('mysql', {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      REVERSAL_TOPIC_PARTITIONS: '3',
      REVERSAL_SESSION_TIMEOUT_MS: '6000',
      CANCEL_RETRY_INTERVAL_MS: '50',
      CANCEL_RETRY_WINDOW_MS: '150',
      CANCEL_BACKOFF_MS: '100,200',
      // Longer than the 2 s sandbox latency of the first test, so the slowed cancel still gets its answer.
      ALIPAY_CALL_TIMEOUT_MS: '3500',
      LOG_LEVEL: 'warn',
    });
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
  });

  afterAll(async () => {
    await pos?.close();
    await sut?.stop();
    if (kafka) await deleteTopics(kafka, prefix);
  });

  it('answers a reversal advice before Alipay has the cancel, and the sandbox then shows it cancelled', async () => {
    const bought = await buy(pos, '000');
    expect(bought.reply.get(Field.ResponseCode)).toBe('00');
    await setFaults(sut.sandboxUrl, { latencyMs: 2_000 });
    try {
      const answer = await pos.send(reversalOf(bought));
      expect(answer.mti).toBe('0430');
      expect(answer.get(Field.ResponseCode)).toBe('00');
      // At the answer the cancel is stored, not yet done: Alipay (2 s away) has not seen it.
      expect((await paymentRow(sut.running.dataSource, bought.paymentRequestId))?.state).toBe(
        'CANCEL_REQUESTED',
      );
      expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status).toBe('SUCCESS');

      await eventually(
        async () =>
          (await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status === 'CANCELLED'
            ? true
            : undefined,
        30_000,
      );
      await cancelled(sut, bought.paymentRequestId);
    } finally {
      await setFaults(sut.sandboxUrl, undefined);
    }
  });

  it('carries a cancel whose first three calls get no answer (006) through the retry topics to CANCELLED', async () => {
    const bought = await buy(pos, '006', 'openapi');
    expect((await pos.send(reversalOf(bought))).get(Field.ResponseCode)).toBe('00');
    const row = await cancelled(sut, bought.paymentRequestId);
    const cancels = (await alipayCalls(sut.running.dataSource, row.id)).filter(
      (e) => e.requestId === bought.paymentRequestId && /cancel/i.test(e.api ?? ''),
    );
    expect(cancels.map((e) => e.outcome)).toEqual(['unknown', 'unknown', 'unknown', 'success']);
    const ledger = await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId);
    expect(ledger?.status).toBe('CANCELLED');
    expect(ledger?.calls.filter((c) => /cancel/i.test(c.api))).toHaveLength(4);
  });

  it('answers a repeated advice (0421) again without a second cancel', async () => {
    const bought = await buy(pos, '000', 'mapi');
    expect((await pos.send(reversalOf(bought))).get(Field.ResponseCode)).toBe('00');
    await cancelled(sut, bought.paymentRequestId);
    const repeat = await pos.send(reversalOf(bought, { repeat: true }));
    expect(repeat.mti).toBe('0430');
    expect(repeat.get(Field.ResponseCode)).toBe('00');
    // Anything the repeat set off would have reached Alipay by the time a fresh cancel does.
    const marker = await buy(pos, '000', 'mapi', 1);
    await pos.send(reversalOf(marker));
    await cancelled(sut, marker.paymentRequestId);
    const ledger = await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId);
    expect(ledger?.calls.filter((c) => /cancel/i.test(c.api))).toHaveLength(1);
  });

  it('stores a reversal that comes before its purchase; the purchase is then declined without an Alipay call', async () => {
    const terminal = demoTerminal('ams', 'ascii', 3);
    const stan = nextStan();
    const at = new Date(Date.now() - 2_000);
    const early = reversal({
      ...terminal,
      originalStan: stan,
      amountMinor: 4_321,
      originalTransmission: transmissionDateTime(at),
      advice: true,
      at,
    });
    const answer = await pos.send(early);
    expect(answer.get(Field.ResponseCode)).toBe('00');
    expect(answer.get(Field.AdditionalResponseData)).toBe('Reversal stored');

    const late = await pos.send(
      purchase({ ...terminal, stan, at, amountMinor: 4_321, paymentCode: paymentCode('000') }),
    );
    expect(late.get(Field.ResponseCode)).toBe('05');
    const paymentRequestId = late.get(Field.ReservedPrivate63)!;
    expect(await paymentRow(sut.running.dataSource, paymentRequestId)).toMatchObject({
      state: 'DECLINED',
      failureCode: 'REVERSED_BEFORE_ARRIVAL',
    });
    expect(await sandboxPayment(sut.sandboxUrl, paymentRequestId)).toBeUndefined();
  });

  it('cancels a payment still in flight at Alipay (003 never completes)', async () => {
    const terminal = demoTerminal('openapi', 'ascii', 2);
    const stan = nextStan();
    const at = new Date();
    const pending = pos.send(
      purchase({ ...terminal, stan, at, amountMinor: 999, paymentCode: paymentCode('003') }),
    );
    const processing = await eventually(async () => {
      const rows = await sut.running.dataSource.query(
        'SELECT payment_request_id AS id FROM payments WHERE terminal_id = ? AND stan = ?',
        [terminal.terminalId, stan],
      );
      const id = (rows as Array<{ id: string }>)[0]?.id;
      return id && (await sandboxPayment(sut.sandboxUrl, id))?.status === 'PROCESSING' ? id : undefined;
    });
    const answer = await pos.send(reversalOf({ terminal, stan, at, amountMinor: 999 }));
    expect(answer.get(Field.ResponseCode)).toBe('00');
    // The purchase's own answer: the payment is being cancelled.
    expect((await pending).get(Field.ResponseCode)).toBe('05');
    await cancelled(sut, processing);
    expect((await sandboxPayment(sut.sandboxUrl, processing))?.status).toBe('CANCELLED');
  });

  it('sends a cancel that can never succeed to the dead-letter topic and the manual list while others keep flowing', async () => {
    const doomed = await buy(pos, '000', 'mapi', 2);
    const others = await Promise.all([0, 1, 2, 3].map((i) => buy(pos, '000', 'ams', i)));
    // The Global MAPI merchant's gateway now points at a closed port: every cancel fails unanswered.
    await sut.running.dataSource
      .getRepository(MerchantEntity)
      .update({ merchantId: doomed.terminal.merchantId }, { endpoint: 'http://127.0.0.1:9/mapi/gateway.do' });
    sut.running.app.get(MerchantCatalog).forget(doomed.terminal.merchantId);
    try {
      expect((await pos.send(reversalOf(doomed))).get(Field.ResponseCode)).toBe('00');
      for (const other of others)
        expect((await pos.send(reversalOf(other))).get(Field.ResponseCode)).toBe('00');
      for (const other of others) await cancelled(sut, other.paymentRequestId);

      const flagged = await eventually(async () => {
        const row = await paymentRow(sut.running.dataSource, doomed.paymentRequestId);
        return row?.manualIntervention ? row : undefined;
      }, 30_000);
      expect(flagged.state).toBe('CANCEL_REQUESTED');
      const entries = await sut.running.dataSource
        .getRepository(ManualInterventionEntity)
        .findBy({ paymentRequestId: doomed.paymentRequestId });
      expect(entries).toEqual([
        expect.objectContaining({ paymentId: flagged.id, reason: 'retries-exhausted', resolvedAt: null }),
      ]);
      const dead = await readUntil(kafka, `${prefix}.reversals.dlq`, (records) =>
        records.some((r) => r.key === doomed.paymentRequestId),
      );
      expect(dead.find((r) => r.key === doomed.paymentRequestId)?.headers).toMatchObject({
        attempt: '6',
        'dead-reason': expect.stringContaining('retries-exhausted'),
      });
      const attempts = (await alipayCalls(sut.running.dataSource, flagged.id)).filter(
        (e) => e.requestId === doomed.paymentRequestId && /cancel/i.test(e.api ?? ''),
      );
      expect(attempts).toHaveLength(6);

      // A record no attempt can read goes the same way, at once.
      const poisonKey = `POISON${Date.now()}`;
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: `${prefix}.reversals`,
        messages: [{ key: poisonKey, value: 'not a cancel order' }],
      });
      await producer.disconnect();
      const poisoned = await eventually(async () => {
        const rows = await sut.running.dataSource
          .getRepository(ManualInterventionEntity)
          .findBy({ paymentRequestId: poisonKey });
        return rows.length > 0 ? rows : undefined;
      }, 30_000);
      expect(poisoned).toEqual([
        expect.objectContaining({
          paymentId: null,
          reason: 'unprocessable',
          detail: expect.stringContaining('not JSON'),
        }),
      ]);
      const deadPoison = await readUntil(kafka, `${prefix}.reversals.dlq`, (records) =>
        records.some((r) => r.key === poisonKey),
      );
      expect(deadPoison.find((r) => r.key === poisonKey)?.headers).toMatchObject({ attempt: '1' });
    } finally {
      await sut.running.dataSource
        .getRepository(MerchantEntity)
        .update({ merchantId: doomed.terminal.merchantId }, { endpoint: 'sandbox' });
      sut.running.app.get(MerchantCatalog).forget(doomed.terminal.merchantId);
    }
  });
});
