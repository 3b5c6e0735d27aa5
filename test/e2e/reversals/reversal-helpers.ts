/** Shared steps of the reversal end-to-end tests: purchases and reversals over a real POS connection, and DB reads. */
import { Field, type IsoMessage } from '@switch/iso8583';
import type { DataSource } from 'typeorm';
import { PaymentEntity, PaymentEventEntity } from '../../../src/persistence/entities';
import { purchase, reversal, transmissionDateTime } from '../../../tools/pos/messages';
import type { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, nextStan, paymentCode, type DemoChannel } from '../../support/pos-helpers';

export interface Purchased {
  readonly reply: IsoMessage;
  readonly terminal: { terminalId: string; merchantId: string };
  readonly stan: string;
  readonly at: Date;
  readonly amountMinor: number;
  /** Field 63 of the reply, when the switch stored the purchase. */
  readonly paymentRequestId: string;
  /** The clear code sent (tests check it never comes back). */
  readonly paymentCode: string;
}

let amount = 1_000;

export async function buy(
  pos: PosClient,
  behaviour: string,
  channel: DemoChannel = 'ams',
  terminalIndex = 0,
): Promise<Purchased> {
  const terminal = demoTerminal(channel, 'ascii', terminalIndex);
  const stan = nextStan();
  const at = new Date();
  const amountMinor = (amount += 1);
  const code = paymentCode(behaviour);
  const reply = await pos.send(purchase({ ...terminal, stan, at, amountMinor, paymentCode: code }));
  return {
    reply,
    terminal,
    stan,
    at,
    amountMinor,
    paymentRequestId: reply.get(Field.ReservedPrivate63) ?? '',
    paymentCode: code,
  };
}

/** 0420 (or 0400) for a purchase, with field 90 naming it exactly; `repeat` makes it 0421/0401. */
export function reversalOf(
  p: Pick<Purchased, 'terminal' | 'stan' | 'at' | 'amountMinor'>,
  options: { advice?: boolean; repeat?: boolean; at?: Date } = {},
): IsoMessage {
  return reversal({
    ...p.terminal,
    originalStan: p.stan,
    amountMinor: p.amountMinor,
    originalTransmission: transmissionDateTime(p.at),
    advice: options.advice ?? true,
    repeat: options.repeat ?? false,
    at: options.at ?? p.at,
  });
}

export async function paymentRow(
  dataSource: DataSource,
  paymentRequestId: string,
): Promise<PaymentEntity | null> {
  return dataSource.getRepository(PaymentEntity).findOneBy({ paymentRequestId });
}

/** The payment's Alipay calls of one API (e.g. the channel's cancel path or method), oldest first. */
export async function alipayCalls(dataSource: DataSource, paymentId: string): Promise<PaymentEventEntity[]> {
  return dataSource
    .getRepository(PaymentEventEntity)
    .find({ where: { paymentId, type: 'ALIPAY_CALL' }, order: { id: 'ASC' } });
}

/** Cancel retries shrunk to tens of milliseconds, for suites that watch cancels complete. */
export const FAST_CANCEL_POLICY = {
  CANCEL_RETRY_INTERVAL_MS: '50',
  CANCEL_RETRY_WINDOW_MS: '150',
  CANCEL_BACKOFF_MS: '100,200',
  OUTBOX_POLL_INTERVAL_MS: '200',
  LOG_LEVEL: 'warn',
};
