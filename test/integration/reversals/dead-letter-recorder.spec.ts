/**
 * The dead-letter recorder against a real broker (KAFKA_BROKERS): a record that reached the dead-letter topic
 * by a path that recorded nothing (the toolkit giving up on an attempt that kept failing to store its outcome)
 * still ends on the manual-intervention list with its payment flagged; one already recorded adds nothing.
 */
import { Kafka, logLevel } from 'kafkajs';
import { silentReversalsLog } from '../../../src/reversals/application/ports/reversals-log.port';
import { DeadLetterRecorder } from '../../../src/reversals/infrastructure/forwarding/dead-letter-recorder';
import { ForwardingHeader } from '../../../src/reversals/infrastructure/kafka';
import { InMemoryManualInterventions } from '../../../src/reversals/testing/in-memory-stores';
import { createTestEngine, outcomes, type TestEngine } from '../../../src/payments/testing';
import { deleteTopics, kafkaBrokers, uniquePrefix } from '../../e2e/reversals/kafka-kit';

jest.setTimeout(60_000);

describe('DeadLetterRecorder (real Kafka)', () => {
  const brokers = kafkaBrokers();
  const prefix = uniquePrefix('dlq');
  const topic = `${prefix}.reversals.dlq`;
  const kafka = new Kafka({ clientId: 'it-dlq', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  let t: TestEngine;
  let recorder: DeadLetterRecorder | undefined;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    await recorder?.stop();
    t?.engine.dispose();
    await deleteTopics(kafka, prefix);
  });

  it('puts every dead letter on the manual list and flags its payment, once', async () => {
    const manual = new InMemoryManualInterventions();
    t = createTestEngine({ manualInterventions: manual });
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    await t.engine.cancellation.requestCancel(answer.approvalOf!.id, 'terminal-reversal');
    const payment = t.db.payment(answer.approvalOf!.id)!;

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: payment.paymentRequestId,
          value: '{}',
          headers: {
            [ForwardingHeader.DeadReason]: 'gave up after 15 attempts',
            [ForwardingHeader.LastError]: 'QueryFailedError: connection lost',
          },
        },
        { key: payment.paymentRequestId, value: '{}', headers: { [ForwardingHeader.DeadReason]: 'again' } },
        { key: 'UNKNOWN-KEY', value: 'garbage' },
      ],
    });
    await producer.disconnect();

    recorder = new DeadLetterRecorder(
      { kafka, topic, groupId: `${prefix}.reversal-dead-letters` },
      t.engine.cancellation,
      silentReversalsLog,
    );
    await recorder.start();
    const deadline = Date.now() + 30_000;
    while (manual.entries.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));

    expect(manual.entries).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        paymentRequestId: payment.paymentRequestId,
        reason: 'dead-letter',
        detail: 'gave up after 15 attempts; last error: QueryFailedError: connection lost',
      }),
      expect.objectContaining({
        paymentRequestId: 'UNKNOWN-KEY',
        reason: 'dead-letter',
        detail: 'no reason given',
      }),
    ]);
    expect(t.db.payment(payment.id)).toMatchObject({ state: 'CANCEL_REQUESTED', manualIntervention: true });
  });
});
