import type { FindOptionsWhere } from 'typeorm';
import { PaymentEntity, PaymentEventEntity } from '../../../src/persistence/entities';
import type { IsoMessage } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { eventually, nextStan, paymentCode } from '../../support/pos-helpers';
import type { SwitchUnderTest } from '../../support/switch-harness';
import { freePort } from '../../support/free-port';

/** Environment for a switch whose pay calls announce its notification listener; inquiries come late. */
export async function notifyingEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NOTIFY_HTTP_HOST: '127.0.0.1',
    NOTIFY_HTTP_PORT: String(await freePort()),
    // Inquiries come late and terminals wait long, so "settled by the notification before any inquiry"
    // holds even on a loaded machine.
    MERCHANT_TIMEOUT_MS: '15000',
    GATEWAY_TIMEOUT_MS: '18000',
    AMS_INQUIRY_INTERVAL_MS: '10000',
    OPENAPI_INQUIRY_INTERVAL_MS: '10000',
    MAPI_INQUIRY_INTERVAL_MS: '10000',
    MAPI_FIRST_INQUIRY_MS: '10000',
    SANDBOX_NOTIFY_SCALE_PERMILLE: '1',
    // A freshly started switch's first pay call can take over the harness's 500 ms on a loaded machine;
    // then the switch inquires at once, and "before any inquiry" would not hold for reasons beside the point.
    ALIPAY_CALL_TIMEOUT_MS: '5000',
    ...extra,
  };
}

export type NotifyKind =
  | 'valid'
  | 'bad-signature'
  | 'wrong-amount'
  | 'wrong-currency'
  | 'wrong-seller'
  | 'unknown-payment'
  | 'duplicate'
  | 'delayed';

export interface SandboxNotification {
  attempt: number;
  outcome: string;
  httpStatus?: number;
  reply?: string;
  kind?: string;
}

/** Asks the sandbox to send one notification of `kind` and waits until its reply(s) are in the ledger. */
export async function sendNotification(
  sandboxUrl: string,
  protocol: string,
  id: string,
  kind: NotifyKind,
  delayMs = 0,
): Promise<SandboxNotification[]> {
  const before = (await notificationsOf(sandboxUrl, id)).length;
  const response = await fetch(`${sandboxUrl}/sandbox/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol, id, kind, delayMs }),
  });
  if (response.status !== 202)
    throw new Error(`sandbox refused ${kind}: ${response.status} ${await response.text()}`);
  const expected = kind === 'duplicate' ? 2 : 1;
  // Only this request's attempts: the payment's own retry series may add attempts meanwhile.
  return eventually(async () => {
    const mine = (await notificationsOf(sandboxUrl, id)).slice(before).filter((n) => n.kind === kind);
    return mine.length >= expected ? mine : undefined;
  }, 10_000 + delayMs);
}

export async function notificationsOf(sandboxUrl: string, id: string): Promise<SandboxNotification[]> {
  const response = await fetch(`${sandboxUrl}/sandbox/payments/${encodeURIComponent(id)}`);
  if (response.status !== 200) return [];
  return ((await response.json()) as { notifications: SandboxNotification[] }).notifications;
}

export async function paymentRow(
  sut: SwitchUnderTest,
  where: FindOptionsWhere<PaymentEntity>,
): Promise<PaymentEntity | null> {
  return sut.running.dataSource.getRepository(PaymentEntity).findOneBy(where);
}

export async function stateChanges(sut: SwitchUnderTest, paymentId: string): Promise<string[]> {
  const rows = await sut.running.dataSource
    .getRepository(PaymentEventEntity)
    .find({ where: { paymentId }, order: { id: 'ASC' } });
  return rows.map((r) => r.toState).filter((s): s is NonNullable<typeof s> => Boolean(s));
}

/** Each protocol's exact success reply, and its failure reply's body. */
export const REPLIES = {
  ams: { ok: /"resultStatus":"S"/, fail: /"resultStatus":"U"/ },
  openapi: { ok: /^success$/, fail: /^fail$/ },
  mapi: { ok: /^success$/, fail: /^fail$/ },
} as const;

/** A purchase the sandbox never completes (code 003): the terminal waits while the payment is in doubt. */
export async function purchaseInDoubt(
  sut: SwitchUnderTest,
  client: PosClient,
  terminal: { terminalId: string; merchantId: string },
  amountMinor: number,
): Promise<{ answer: Promise<IsoMessage>; row: PaymentEntity }> {
  const stan = nextStan();
  const answer = client.send(purchase({ ...terminal, stan, amountMinor, paymentCode: paymentCode('003') }));
  const row = await eventually(async () => {
    const found = await paymentRow(sut, { terminalId: terminal.terminalId, stan });
    return found?.state === 'AWAITING_ALIPAY' ? found : undefined;
  });
  return { answer, row };
}
