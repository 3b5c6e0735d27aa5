import { randomBytes } from 'node:crypto';
import { SandboxContext } from '../context';
import { jsonReply, SandboxReply, SandboxRequest } from '../http/exchange';
import { asObject, parseObject } from '../json-read';
import { SandboxPayment } from '../ledger';
import { NotificationFormat, NotificationMessage, Notifier } from '../notifier';
import { SANDBOX_PROTOCOLS, SandboxProtocol } from '../protocol';

export const NOTIFY_KINDS = [
  'valid',
  'bad-signature',
  'wrong-amount',
  'wrong-currency',
  'wrong-seller',
  'unknown-payment',
  'duplicate',
  'delayed',
] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

const MAX_DELAY_MS = 600_000;

/**
 * POST /sandbox/notifications {protocol, id, kind, delayMs?}: sends one notification for a payment now
 * (or after delayMs), outside the retry series. valid, duplicate and delayed are genuine: a payment still
 * processing is first confirmed by "the user". The forged kinds leave the payment as it is and send a
 * message that must be refused: a broken signature, or a properly signed one with another amount,
 * currency or payment id. Each attempt and the receiver's reply land in the payment's notifications.
 */
export class NotifyControl {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly notifier: Notifier,
    private readonly formats: Readonly<Record<SandboxProtocol, NotificationFormat>>,
  ) {}

  handles(req: SandboxRequest): boolean {
    return req.path === '/sandbox/notifications';
  }

  handle(req: SandboxRequest): SandboxReply {
    if (req.method !== 'POST') return jsonReply(405, { error: 'METHOD_NOT_ALLOWED' });
    const body = asObject(parseObject(req.body));
    const protocol = SANDBOX_PROTOCOLS.find((p) => p === body?.protocol);
    const kind = NOTIFY_KINDS.find((k) => k === body?.kind);
    const id = typeof body?.id === 'string' ? body.id : undefined;
    const delayMs = typeof body?.delayMs === 'number' ? body.delayMs : 0;
    if (!protocol || !kind || !id || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
      return jsonReply(400, {
        error: 'BAD_REQUEST',
        detail: `need protocol, id, kind (${NOTIFY_KINDS.join(', ')}), delayMs 0-${MAX_DELAY_MS}`,
      });
    }
    const payment = this.ctx.ledger.find(protocol, { id });
    if (!payment) return jsonReply(404, { error: 'PAYMENT_NOT_FOUND', id });
    if (!payment.notifyUrl) return jsonReply(409, { error: 'NO_NOTIFY_URL', id });
    const url = new URL(payment.notifyUrl);
    const genuine = kind === 'valid' || kind === 'duplicate' || kind === 'delayed';
    if (genuine && payment.status === 'PROCESSING') {
      payment.status = 'SUCCESS';
      payment.paidAt = this.ctx.now();
    }
    const claimed = forged(payment, kind, this.ctx.now());
    if (!this.formats[protocol].notifies(claimed))
      return jsonReply(409, { error: 'NOT_NOTIFIED', status: payment.status });
    const notifyId = this.ctx.ids.notifyId();
    const message = this.formats[protocol].build(claimed, url, notifyId);
    if (kind === 'bad-signature') breakSignature(message);
    const times = kind === 'duplicate' ? 2 : 1;
    const run = async (): Promise<void> => {
      for (let i = 0; i < times; i++) await this.attempt(payment, url, message, kind);
    };
    if (kind === 'delayed') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void run();
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
    } else void run();
    this.ctx.log({ event: 'notification.on-demand', protocol, id, kind });
    return jsonReply(202, { protocol, id, kind, notifyId });
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(
    payment: SandboxPayment,
    url: URL,
    message: NotificationMessage,
    kind: NotifyKind,
  ): Promise<void> {
    const at = this.ctx.now();
    try {
      const answer = await this.notifier.send(url, message);
      payment.notifications.push({
        attempt: payment.notifications.length + 1,
        at,
        outcome: this.formats[payment.protocol].acknowledged(answer.status, answer.body)
          ? 'acknowledged'
          : 'rejected',
        httpStatus: answer.status,
        reply: answer.body.slice(0, 256),
        kind,
      });
    } catch {
      payment.notifications.push({ attempt: payment.notifications.length + 1, at, outcome: 'failed', kind });
    }
  }
}

/** The payment as the forged message claims it; genuine kinds claim the payment as it is. */
function forged(p: SandboxPayment, kind: NotifyKind, now: Date): SandboxPayment {
  const claimed: SandboxPayment = { ...p, status: 'SUCCESS', paidAt: p.paidAt ?? now };
  switch (kind) {
    case 'wrong-amount':
      return { ...claimed, amountMinor: p.amountMinor + 1 };
    case 'wrong-currency': {
      const other = (p.extra.currency ?? p.currency) === 'EUR' ? 'USD' : 'EUR';
      return { ...claimed, currency: other, extra: { ...p.extra, currency: other, trans_currency: other } };
    }
    case 'wrong-seller':
      return { ...claimed, extra: { ...p.extra, seller_id: '2088999999999999' } };
    case 'unknown-payment':
      return { ...claimed, id: `UNKNOWN${randomBytes(8).toString('hex')}` };
    case 'valid':
    case 'bad-signature':
    case 'duplicate':
    case 'delayed':
      // A payment paid once (even if cancelled since) is claimed as paid: a success arriving late.
      return p.status === 'PROCESSING' || p.paidAt ? claimed : p;
  }
}

/** Flips the signature's last character: same shape, wrong value. */
function breakSignature(message: NotificationMessage): void {
  const flip = (s: string): string => s.slice(0, -4) + (s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA');
  if (message.headers.signature) {
    message.headers.signature = message.headers.signature.replace(
      /signature=([^,]+)/,
      (_m, sig: string) => `signature=${encodeURIComponent(flip(decodeURIComponent(sig)))}`,
    );
    return;
  }
  const params = new URLSearchParams(message.body);
  params.set('sign', flip(params.get('sign') ?? 'AAAA'));
  message.body = params.toString();
}
