import { InMemoryPaymentsDb } from './in-memory-payments-db';
import { describeRepositoryContract } from './repository-contract';

describeRepositoryContract('in memory', async () => {
  const db = new InMemoryPaymentsDb();
  return {
    payments: db.payments,
    refunds: db.refunds,
    readEvents: async (paymentId) => db.historyOf(paymentId),
    readOutbox: async () => [...db.outbox],
  };
});
