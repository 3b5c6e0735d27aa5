/**
 * The behaviour every PaymentRepository + RefundRepository pair must have, as a Jest suite. Run it
 * against each implementation (in memory here; TypeORM on sql.js and MariaDB in src/persistence):
 *
 *   describeRepositoryContract('typeorm/sqljs', async () => ({ payments, refunds, readEvents, readOutbox, teardown }));
 *
 * `setup` is called before each test and must return empty repositories.
 */
import { DuplicateTransactionError, VersionConflictError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import type {
  OutboxMessage,
  PaymentEvent,
  PaymentRepository,
} from '../application/ports/payment.repository.port';
import type { RefundRepository } from '../application/ports/refund.repository.port';
import { aPayment, aRefund } from './fixtures';

export interface ContractSubject {
  payments: PaymentRepository;
  refunds: RefundRepository;
  /** History of a payment in insertion order, when the implementation can show it. */
  readEvents?(paymentId: string): Promise<PaymentEvent[]>;
  readOutbox?(): Promise<OutboxMessage[]>;
  teardown?(): Promise<void>;
}

export function describeRepositoryContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`payment and refund repositories: ${name}`, () => {
    let s: ContractSubject;
    beforeEach(async () => {
      s = await setup();
    });
    afterEach(async () => {
      await s.teardown?.();
    });

    const bumped = (p: Payment, changes: Partial<Payment> = {}): Payment => ({
      ...p,
      ...changes,
      version: p.version + 1,
    });
    const event = (paymentId: string, detail: string): PaymentEvent => ({
      paymentId,
      at: new Date('2025-01-15T10:00:01.000Z'),
      type: 'NOTE',
      detail,
    });

    it('stores and finds a payment with every field intact', async () => {
      const full = aPayment({
        id: 'p1',
        state: 'APPROVED',
        alipayTransactionId: 'ALI-1',
        approvalCode: '123456',
        failureReason: 'declined',
        failureCode: 'X',
        cancelReason: 'operator',
        ownerInstance: 'switch-a',
      });
      await s.payments.insert(full, [event('p1', 'created')]);
      expect(await s.payments.findById('p1')).toEqual(full);
      expect(await s.payments.findById('p1', { fresh: true })).toEqual(full);
      expect(await s.payments.findByPaymentRequestId(full.paymentRequestId)).toEqual(full);
      expect(await s.payments.findByRrn(full.merchantId, full.rrn)).toEqual(full);
      expect(await s.payments.findByRrn('OTHER-MERCHANT', full.rrn)).toBeUndefined();
      const bare = aPayment({ id: 'p2', paymentRequestId: 'REQ2', rrn: 'RRN000000002', stan: '000002' });
      await s.payments.insert(bare, []);
      const found = await s.payments.findById('p2');
      expect(found).toEqual(bare);
      expect(found!.alipayTransactionId).toBeUndefined();
      expect(found!.createdAt).toBeInstanceOf(Date);
    });

    it.each([
      ['terminal-stan-datetime', { paymentRequestId: 'OTHER', rrn: 'OTHER0000000' }],
      ['rrn', { paymentRequestId: 'OTHER', stan: '999999' }],
      ['request-id', { rrn: 'OTHER0000000', stan: '999999' }],
    ] as const)('refuses a second payment with the same %s', async (key, changes) => {
      await s.payments.insert(aPayment({ id: 'p1' }), []);
      const error = await s.payments.insert(aPayment({ id: 'p2', ...changes }), []).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateTransactionError);
      expect((error as DuplicateTransactionError).key).toBe(key);
      expect(await s.payments.findById('p2')).toBeUndefined();
    });

    it('updates only from the expected version, writing row, history and outbox together', async () => {
      const p = aPayment({ id: 'p1' });
      await s.payments.insert(p, [event('p1', 'created')]);
      const cancel: OutboxMessage = {
        kind: 'CANCEL',
        key: p.paymentRequestId,
        payload: {
          paymentId: 'p1',
          paymentRequestId: p.paymentRequestId,
          merchantId: p.merchantId,
          reason: 'operator',
          requestedAt: '2025-01-15T10:00:01.000Z',
        },
      };
      await s.payments.update(
        bumped(p, { state: 'CANCEL_REQUESTED', cancelReason: 'operator' }),
        1,
        [event('p1', 'cancel')],
        [cancel],
      );
      expect(await s.payments.findById('p1')).toMatchObject({ state: 'CANCEL_REQUESTED', version: 2 });

      const stale = await s.payments
        .update(bumped(p, { state: 'APPROVED' }), 1, [event('p1', 'stale')], [cancel])
        .catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect(await s.payments.findById('p1')).toMatchObject({ state: 'CANCEL_REQUESTED', version: 2 });
      if (s.readEvents)
        expect((await s.readEvents('p1')).map((e) => e.detail)).toEqual(['created', 'cancel']);
      if (s.readOutbox) expect(await s.readOutbox()).toEqual([cancel]);
    });

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const p = aPayment({ id: 'p1' });
      await s.payments.insert(p, []);
      const results = await Promise.allSettled([
        s.payments.update(bumped(p, { state: 'APPROVED' }), 1, []),
        s.payments.update(bumped(p, { state: 'DECLINED' }), 1, []),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(VersionConflictError);
      expect((await s.payments.findById('p1'))!.version).toBe(2);
    });

    it('hands out copies', async () => {
      await s.payments.insert(aPayment({ id: 'p1' }), []);
      const found = (await s.payments.findById('p1')) as { state: string };
      found.state = 'DECLINED';
      expect((await s.payments.findById('p1'))!.state).toBe('RECEIVED');
    });

    it('stores a purchase whose STAN is free in one step, and refuses while the STAN may be in use', async () => {
      const first = aPayment({ id: 'p1', stan: '000500', localDateTime: '0115100000', state: 'RECEIVED' });
      const created = event('p1', 'created');
      expect(await s.payments.insertIfStanFree(first, [created])).toMatchObject({ stored: true });
      expect(await s.payments.findById('p1', { fresh: true })).toEqual(first);
      if (s.readEvents) expect((await s.readEvents('p1')).map((e) => e.detail)).toEqual(['created']);

      // Unfinished: a new request with the STAN is not stored (the caller judges it).
      const next = (id: string, localDateTime: string) =>
        aPayment({ id, stan: '000500', localDateTime, paymentRequestId: `REQ-${id}`, rrn: `RRN-${id}`.padEnd(12, '0') });
      expect(await s.payments.insertIfStanFree(next('p2', '0115100500'), [])).toEqual({ stored: false });
      expect(await s.payments.findById('p2', { fresh: true })).toBeUndefined();

      // Final: another local time is free, the same local time (a retransmission) is not.
      await s.payments.update({ ...first, state: 'DECLINED', version: 2 }, 1, []);
      expect(await s.payments.insertIfStanFree(next('p3', '0115100000'), [])).toEqual({ stored: false });
      expect(await s.payments.insertIfStanFree(next('p4', '0115101000'), [])).toMatchObject({ stored: true });

      // A refund with the STAN counts too, and another terminal's use of it does not.
      await s.refunds.insert(aRefund({ id: 'r1', stan: '000600', localDateTime: '0115110000', paymentId: 'p4' }), [], {
        payment: { ...(await s.payments.findById('p4', { fresh: true }))!, version: 2 },
        expectedVersion: 1,
      });
      expect(
        await s.payments.insertIfStanFree(
          aPayment({ id: 'p5', stan: '000600', localDateTime: '0115110500', paymentRequestId: 'REQ-p5', rrn: 'RRNp50000000' }),
          [],
        ),
      ).toEqual({ stored: false });
      expect(
        await s.payments.insertIfStanFree(
          aPayment({ id: 'p6', terminalId: 'TERM0002', stan: '000600', paymentRequestId: 'REQ-p6', rrn: 'RRNp60000000' }),
          [],
        ),
      ).toMatchObject({ stored: true });
    });

    it('finds by terminal and STAN, newest first, and lists the unfinished', async () => {
      const at = (minute: number) => new Date(Date.UTC(2025, 0, 15, 10, minute));
      const rows: Payment[] = [
        aPayment({
          id: 'a',
          paymentRequestId: 'A',
          rrn: 'RRNA00000000',
          localDateTime: '0115100000',
          createdAt: at(0),
          state: 'DECLINED',
        }),
        aPayment({
          id: 'b',
          paymentRequestId: 'B',
          rrn: 'RRNB00000000',
          localDateTime: '0115100500',
          createdAt: at(5),
          state: 'APPROVED',
          delivery: 'delivered',
        }),
        aPayment({
          id: 'c',
          paymentRequestId: 'C',
          rrn: 'RRNC00000000',
          localDateTime: '0115101000',
          createdAt: at(10),
          state: 'APPROVED',
          delivery: 'undelivered',
        }),
        aPayment({
          id: 'd',
          paymentRequestId: 'D',
          rrn: 'RRND00000000',
          stan: '000999',
          createdAt: at(1),
          state: 'AWAITING_ALIPAY',
        }),
        aPayment({
          id: 'e',
          paymentRequestId: 'E',
          rrn: 'RRNE00000000',
          stan: '000998',
          createdAt: at(1),
          state: 'CANCEL_REQUESTED',
        }),
        aPayment({
          id: 'f',
          paymentRequestId: 'F',
          rrn: 'RRNF00000000',
          stan: '000997',
          createdAt: at(1),
          state: 'CANCELLED',
        }),
        aPayment({
          id: 'g',
          paymentRequestId: 'G',
          rrn: 'RRNG00000000',
          stan: '000996',
          createdAt: at(1),
          state: 'RECEIVED',
        }),
      ];
      for (const row of rows) await s.payments.insert(row, []);
      expect((await s.payments.findByTerminalStan('TERM0001', '000123')).map((p) => p.id)).toEqual([
        'c',
        'b',
        'a',
      ]);
      expect(await s.payments.findByTerminalStan('OTHER', '000123')).toEqual([]);
      expect((await s.payments.findUnfinished()).map((p) => p.id).sort()).toEqual(['c', 'd', 'e', 'g']);
    });

    describe('refunds', () => {
      const paid = () => aPayment({ id: 'p1', state: 'APPROVED', delivery: 'delivered' });
      const reserve = (p: Payment, amount: number) => ({
        payment: bumped(p, { reservedRefundMinor: p.reservedRefundMinor + amount }),
        expectedVersion: p.version,
      });

      it('stores a refund together with the reservation on its original', async () => {
        const p = paid();
        await s.payments.insert(p, []);
        const r = aRefund({ id: 'r1', paymentId: 'p1', alipayRefundId: undefined });
        await s.refunds.insert(r, [{ ...event('p1', 'refund'), refundId: 'r1' }], reserve(p, 500));
        expect(await s.refunds.findById('r1')).toEqual(r);
        expect(await s.refunds.findByRefundRequestId(r.refundRequestId)).toEqual(r);
        expect(await s.refunds.findByRrn(r.merchantId, r.rrn)).toEqual(r);
        expect((await s.refunds.findByTerminalStan(r.terminalId, r.stan)).map((x) => x.id)).toEqual(['r1']);
        expect(await s.payments.findById('p1')).toMatchObject({ reservedRefundMinor: 500, version: 2 });
      });

      it('stores neither refund nor reservation when the original moved on', async () => {
        const p = paid();
        await s.payments.insert(p, []);
        await s.payments.update(bumped(p), 1, []);
        const error = await s.refunds
          .insert(aRefund({ id: 'r1' }), [], reserve(p, 500))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(await s.refunds.findById('r1')).toBeUndefined();
        expect((await s.payments.findById('p1'))!.reservedRefundMinor).toBe(0);
      });

      it('refuses a refund reusing a refund request id, and keeps the original untouched', async () => {
        const p = paid();
        await s.payments.insert(p, []);
        await s.refunds.insert(aRefund({ id: 'r1' }), [], reserve(p, 100));
        const p2 = (await s.payments.findById('p1'))!;
        const error = await s.refunds
          .insert(aRefund({ id: 'r2', stan: '000555', rrn: 'RRNX00000000' }), [], reserve(p2, 100))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateTransactionError);
        expect((error as DuplicateTransactionError).key).toBe('request-id');
        expect((await s.payments.findById('p1'))!.reservedRefundMinor).toBe(100);
      });

      it('updates a refund and settles its original in one step, under both versions', async () => {
        const p = paid();
        await s.payments.insert(p, []);
        const r = aRefund({ id: 'r1' });
        await s.refunds.insert(r, [], reserve(p, 500));
        const reserved = (await s.payments.findById('p1'))!;
        const settled = {
          payment: bumped(reserved, { reservedRefundMinor: 0, refundedMinor: 500 }),
          expectedVersion: reserved.version,
        };
        const stale = await s.refunds
          .update({ ...r, state: 'SUCCEEDED', version: 2 }, 1, [], { ...settled, expectedVersion: 1 })
          .catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(VersionConflictError);
        expect((await s.refunds.findById('r1'))!.state).toBe('RECEIVED');

        await s.refunds.update({ ...r, state: 'SUCCEEDED', version: 2 }, 1, [], settled);
        expect(await s.refunds.findById('r1')).toMatchObject({ state: 'SUCCEEDED', version: 2 });
        expect(await s.payments.findById('p1')).toMatchObject({
          refundedMinor: 500,
          reservedRefundMinor: 0,
          version: 3,
        });
        expect(await s.refunds.findUnfinished()).toEqual([]);
      });

      it('lists unfinished refunds', async () => {
        const p = paid();
        await s.payments.insert(p, []);
        const refunds: Refund[] = [
          aRefund({ id: 'r1', state: 'PENDING' }),
          aRefund({
            id: 'r2',
            state: 'SUCCEEDED',
            stan: '000201',
            rrn: 'RRN200000000',
            refundRequestId: 'RF2',
          }),
          aRefund({
            id: 'r3',
            state: 'RECEIVED',
            stan: '000202',
            rrn: 'RRN300000000',
            refundRequestId: 'RF3',
          }),
        ];
        let current = p;
        for (const r of refunds) {
          await s.refunds.insert(r, [], reserve(current, 100));
          current = (await s.payments.findById('p1'))!;
        }
        expect((await s.refunds.findUnfinished()).map((r) => r.id).sort()).toEqual(['r1', 'r3']);
      });
    });
  });
}
