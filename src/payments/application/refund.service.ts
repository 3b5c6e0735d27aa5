/**
 * A refund (processing code 20) of an approved payment the terminal saw, in full or in part. The amount
 * is reserved on the original in the same write that stores the refund, under the original's version
 * check, so two refunds racing for the last of a payment cannot both pass. The terminal gets 00 only when
 * Alipay confirmed; an unknown outcome keeps being retried after the terminal's time is up.
 */
import { currencyByNumeric } from '@switch/alipay';
import { randomUUID } from 'node:crypto';
import { DuplicateTransactionError, VersionConflictError } from '../domain/errors';
import { newRrn } from '../domain/identifiers';
import type { Payment } from '../domain/payment';
import { newRefundRequestId } from '../domain/payment-request-id';
import type { RandomBytes } from '../domain/random';
import { checkRefund, reserveRefund } from '../domain/refund-ledger';
import { isRefundFinal, type Refund } from '../domain/refund';
import { fingerprintOf, matchStanUses } from '../domain/retransmission';
import { deadlineAfter } from '../domain/timeouts';
import { refundAnswer, waitEnd, type EngineAnswer, type RefundCommand } from './commands';
import type { FinalStateWaiters } from './final-state-waiters';
import { stateChanged } from './history';
import type { OriginalLocator } from './original-locator';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { RefundAllowance } from './ports/refund-allowance.port';
import type { MerchantChannels } from './ports/merchant-channels.port';
import type { RefundRepository } from './ports/refund.repository.port';
import { settledBefore, type Scheduler } from './ports/scheduler.port';
import type { RefundAttempts } from './refund-attempts';
import type { RefundTransitions } from './refund-transitions';
import type { SettledAnswers } from './settled-answers';

/** What one refund command took from the merchant's daily allowance. */
interface AllowanceUse {
  taken: boolean;
  stored: boolean;
  at: Date;
}

/** Retries on a version conflict (a racing refund or state change) or an id collision. */
const MAX_ATTEMPTS = 8;

export class RefundService {
  constructor(
    private readonly refunds: RefundRepository,
    private readonly originals: OriginalLocator,
    private readonly merchants: MerchantChannels,
    private readonly transitions: RefundTransitions,
    private readonly attempts: RefundAttempts,
    private readonly settled: SettledAnswers,
    private readonly paymentWaiters: FinalStateWaiters<Payment>,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly config: PaymentsConfig,
    private readonly random?: RandomBytes,
    private readonly allowance?: RefundAllowance,
  ) {}

  async refund(command: RefundCommand): Promise<EngineAnswer> {
    const allowance: AllowanceUse = { taken: false, stored: false, at: this.clock.now() };
    try {
      return await this.refundWithin(command, allowance);
    } finally {
      // Taken for a refund that was never stored (refused, or the write failed): it moved no money.
      if (allowance.taken && !allowance.stored)
        await this.allowance?.giveBack(command.merchantId, command.amountMinor, allowance.at);
    }
  }

  private async refundWithin(command: RefundCommand, allowance: AllowanceUse): Promise<EngineAnswer> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const uses = await this.originals.usesOfStan(command.terminalId, command.stan);
      const match = matchStanUses(fingerprintOf(command), uses);
      if (match.kind === 'duplicate') return { outcome: { kind: 'duplicate' } };
      if (match.kind === 'retransmission') {
        if (match.original.type !== 'refund') return { outcome: { kind: 'duplicate' } };
        return this.settled.forRefund(match.original.refund.id, command.replyDeadlineAt, true);
      }

      const found = await this.originals.find(command.original, command.merchantId, command.terminalId);
      if (!found) return { outcome: { kind: 'original-not-found' } };
      if (found.type !== 'payment') return { outcome: { kind: 'invalid', problem: 'transaction' } };
      const original = found.payment;

      const refusal = checkRefund(original, command.amountMinor, command.currencyNumeric);
      switch (refusal) {
        case 'not-refundable':
          return { outcome: { kind: 'invalid', problem: 'transaction' } };
        case 'currency':
          return { outcome: { kind: 'invalid', problem: 'currency' } };
        case 'amount':
          return { outcome: { kind: 'invalid', problem: 'amount' } };
        case 'amount-exceeded':
          return { outcome: { kind: 'declined', reason: 'refund-amount-exceeded' } };
        case undefined:
          break;
      }
      if (!currencyByNumeric(command.currencyNumeric))
        return { outcome: { kind: 'invalid', problem: 'currency' } };
      const route = await this.merchants.route(command.merchantId, command.terminalId);
      if (!route) return { outcome: { kind: 'invalid', problem: 'merchant-unavailable' } };
      if (this.allowance && !allowance.taken) {
        if (!(await this.allowance.take(command.merchantId, command.amountMinor, allowance.at, route.merchant.limits)))
          return { outcome: { kind: 'declined', reason: 'amount-limit' } };
        allowance.taken = true;
      }

      const refund = this.newRefund(command, original);
      const reserved: Payment = {
        ...reserveRefund(original, refund.amountMinor, refund.createdAt),
        version: original.version + 1,
      };
      try {
        await this.refunds.insert(
          refund,
          [
            stateChanged(
              { paymentId: original.id, refundId: refund.id },
              refund.createdAt,
              undefined,
              'RECEIVED',
              `refund of ${refund.amountMinor} reserved`,
            ),
          ],
          { payment: reserved, expectedVersion: original.version },
        );
      } catch (err) {
        const retryable = err instanceof VersionConflictError || err instanceof DuplicateTransactionError;
        if (retryable && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
      allowance.stored = true;
      this.paymentWaiters.publish(reserved);
      const called = await settledBefore(
        this.attempts.attempt(refund.id),
        waitEnd(command.replyDeadlineAt, this.config.replyMarginMs),
        this.scheduler,
      );
      if (called === 'due') return refundAnswer(refund);
      if (called && isRefundFinal(called)) return refundAnswer(called);
      return this.settled.forRefund(refund.id, command.replyDeadlineAt);
    }
    return { outcome: { kind: 'system-error' } };
  }

  async recordDelivery(refundId: string, delivered: boolean): Promise<void> {
    await this.transitions.apply(refundId, { type: 'approval-delivery', delivered });
  }

  private newRefund(command: RefundCommand, original: Payment): Refund {
    const now = this.clock.now();
    return {
      id: randomUUID(),
      refundRequestId: newRefundRequestId(
        { at: now, terminalId: command.terminalId, amountMinor: command.amountMinor, stan: command.stan },
        this.random,
      ),
      paymentId: original.id,
      terminalId: command.terminalId,
      merchantId: command.merchantId,
      stan: command.stan,
      localDateTime: command.localDateTime,
      rrn: newRrn(now, this.random),
      requestMti: command.requestMti,
      processingCode: command.processingCode,
      amountMinor: command.amountMinor,
      currencyNumeric: command.currencyNumeric,
      channel: original.channel,
      state: 'RECEIVED',
      delivery: 'pending',
      manualIntervention: false,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      merchantDeadlineAt: command.replyDeadlineAt,
      retryUntil: deadlineAfter(now, this.config.refundRetryWindowMs),
      version: 1,
      // Written in the INSERT, as a payment's: owning the refund's retries costs no round trip.
      ...(this.config.instanceId !== undefined ? { ownerInstance: this.config.instanceId } : {}),
    };
  }
}
