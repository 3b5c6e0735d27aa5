/**
 * An idle consumer on a real broker must not spin through kafkajs's request-queue timers (kafkajs 2.2.4
 * re-arms them with nothing pending: src/reversals/infrastructure/kafka/kafkajs-idle-timers.ts). Counted as
 * calls of the queue's pending-request check while the consumer long-polls an empty topic.
 */
import { createRequire } from 'node:module';
import { brokersFromEnv, testKafka, uniqueName } from './kafka-test-kit';

jest.setTimeout(60_000);

interface RequestQueue {
  checkPendingRequests(): void;
}

it('leaves the request queue alone while an idle consumer waits on an empty topic', async () => {
  const { kafka } = testKafka(brokersFromEnv(), 'it-idle-queue');
  const { prototype } = createRequire(require.resolve('kafkajs'))('./src/network/requestQueue') as {
    prototype: RequestQueue;
  };
  const check = prototype.checkPendingRequests;
  let checks = 0;
  prototype.checkPendingRequests = function (this: RequestQueue): void {
    checks += 1;
    check.call(this);
  };
  const topic = uniqueName('idle');
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 500 });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    checks = 0;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Two seconds of 500 ms long polls on one or two connections: a handful of answers, each checking the
    // queue once. Spinning timers made it thousands.
    expect(checks).toBeLessThan(50);
  } finally {
    prototype.checkPendingRequests = check;
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
