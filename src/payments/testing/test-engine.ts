/**
 * A payments engine on in-memory ports and a scripted channel, with commands pre-filled. Uses the
 * system clock and setTimeout, so Jest's modern fake timers drive all of its time.
 */
import type { EngineAnswer, InquiryCommand, PurchaseCommand, RefundCommand } from '../application/commands';
import { createPaymentsEngine, type PaymentsEngine } from '../application/payments-engine';
import { paymentsConfig, type PaymentsConfig } from '../application/payments.config';
import type { MerchantProfile } from '../application/ports/merchant-channels.port';
import type { EarlyReversals } from '../application/ports/early-reversals.port';
import type { ManualInterventions } from '../application/ports/manual-interventions.port';
import type { RefundAllowance } from '../application/ports/refund-allowance.port';
import { InMemoryMerchantChannels, demoMerchant } from './in-memory-merchants';
import { InMemoryPaymentsDb } from './in-memory-payments-db';
import { outcomes, ScriptedChannel } from './scripted-channel';
import type { Payment } from '../domain/payment';

export const TEST_HASH_KEY = Buffer.alloc(32, 9);
export const TEST_PAYMENT_CODE = '281234567890123456'; // 18 digits: valid on every channel

export interface TestEngine {
  engine: PaymentsEngine;
  db: InMemoryPaymentsDb;
  channel: ScriptedChannel;
  merchants: InMemoryMerchantChannels;
  merchant: MerchantProfile;
  config: PaymentsConfig;
  /** Builds a purchase as terminal TERM0001 would send it now, with a 60 s merchant timeout. */
  purchase(overrides?: Partial<PurchaseCommand>): PurchaseCommand;
  refund(original: RefundCommand['original'], overrides?: Partial<RefundCommand>): RefundCommand;
  inquiry(original: InquiryCommand['original'], overrides?: Partial<InquiryCommand>): InquiryCommand;
  /** Reports the answer's delivery like the ISO edge does. */
  deliver(answer: EngineAnswer, delivered?: boolean): Promise<void>;
  /** A purchase Alipay approves at once, delivered to the terminal: the payment as stored. */
  approvedPayment(amountMinor?: number): Promise<Payment>;
}

export interface TestEngineOptions {
  channel?: ScriptedChannel;
  merchant?: Partial<MerchantProfile>;
  config?: Partial<PaymentsConfig>;
  merchantTimeoutMs?: number;
  earlyReversals?: EarlyReversals;
  manualInterventions?: ManualInterventions;
  refundAllowance?: RefundAllowance;
  db?: InMemoryPaymentsDb;
}

let stanCounter = 100;

export function createTestEngine(options: TestEngineOptions = {}): TestEngine {
  const db = options.db ?? new InMemoryPaymentsDb();
  const channel = options.channel ?? new ScriptedChannel('ams');
  const merchant = demoMerchant({ channel: channel.name, ...options.merchant });
  const merchants = new InMemoryMerchantChannels({ [channel.name]: channel }, [merchant]);
  const config = paymentsConfig({ paymentCodeHashKey: TEST_HASH_KEY, ...options.config });
  const engine = createPaymentsEngine({
    payments: db.payments,
    refunds: db.refunds,
    merchants,
    config,
    earlyReversals: options.earlyReversals,
    manualInterventions: options.manualInterventions,
    refundAllowance: options.refundAllowance,
  });
  const merchantTimeoutMs = options.merchantTimeoutMs ?? 60_000;

  const base = (processingCode: string) => {
    const now = new Date();
    stanCounter += 1;
    return {
      terminalId: 'TERM0001',
      merchantId: merchant.merchantId,
      stan: String(stanCounter).padStart(6, '0'),
      localDateTime: localDateTime(now),
      requestMti: '0200',
      processingCode,
      receivedAt: now,
      replyDeadlineAt: new Date(now.getTime() + merchantTimeoutMs),
    };
  };

  return {
    engine,
    db,
    channel,
    merchants,
    merchant,
    config,
    purchase: (overrides = {}) => ({
      ...base('000000'),
      amountMinor: 1000,
      currencyNumeric: '840',
      paymentCode: TEST_PAYMENT_CODE,
      ...overrides,
    }),
    refund: (original, overrides = {}) => ({
      ...base('200000'),
      amountMinor: 500,
      currencyNumeric: '840',
      original,
      ...overrides,
    }),
    inquiry: (original, overrides = {}) => ({ ...base('310000'), original, ...overrides }),
    deliver: async (answer, delivered = true) => {
      if (answer.approvalOf) await engine.recordDelivery(answer.approvalOf, delivered);
    },
    async approvedPayment(amountMinor = 1000) {
      channel.script('pay', outcomes.success('ALIPAY-TX-1'));
      const paid = await engine.purchase.purchase(this.purchase({ amountMinor }));
      await this.deliver(paid, true);
      return db.payment(paid.approvalOf!.id)!;
    },
  };
}

/** 'MMDDhhmmss' (UTC stands in for the terminal's local time in tests). */
export function localDateTime(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(4, 14);
}
