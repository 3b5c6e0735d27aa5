/**
 * Takes in one Alipay notification, in this order, and changes nothing until every check has passed:
 * read it, find the Alipay identity it names, verify its signature (MAPI MD5: and ask the gateway with
 * notify_verify), answer a resend as the first one was, then check the payment (exists, same merchant,
 * same amount and currency) and settle it through the payment's state machine. Every notification, good
 * or bad, is logged and counted; only one the switch has taken in gets the protocol's success reply.
 */
import {
  amsNotifyProtocol,
  mapiNotifyProtocol,
  mapiNotifyVerify,
  NotifyFormatError,
  openapiNotifyProtocol,
  type ChannelName,
  type NotificationProtocol,
  type Notice,
  type NotifyReply,
  type NotifyRequest,
  type PaymentResultNotice,
  type ReadNotification,
} from '@switch/alipay';
import type { Logger } from '../logging/logger';
import type { PaymentsEngine } from '../payments/application/payments-engine';
import type { Payment } from '../payments/domain/payment';
import type { AlipayIdentities, AlipayIdentity } from './alipay-identities';
import { maskedPayload } from './masked-payload';
import { UnverifiedBudget } from './unverified-budget';
import type { FirstAnswer, NotificationEntry, NotificationLog, Verification } from './notification-log';

export const NOTIFY_PROTOCOLS: Readonly<Record<ChannelName, NotificationProtocol>> = {
  ams: amsNotifyProtocol,
  openapi: openapiNotifyProtocol,
  mapi: mapiNotifyProtocol,
};

/** ISV token messages (app authorization, its cancellation, AMS agent tokens): see src/notifications/isv. */
export interface TokenNoticeHandler {
  take(
    channel: ChannelName,
    notice: Exclude<Notice, PaymentResultNotice>,
    sender: AlipayIdentity,
  ): Promise<string>;
  /** Merchants whose Alipay user id the switch knows (an ISV authorization's user_id) and is not `sellerId`. */
  merchantsSellingAsOtherThan(sellerId: string): Promise<Set<string>>;
}

interface Verdict {
  verification: Verification;
  outcome: string;
  /** HTTP status of the reply; 200 with the protocol's success body only when taken in. */
  status: number;
  detail?: string;
  notifyId?: string;
  kind?: string;
  paymentRequestId?: string;
  paymentId?: string;
  duplicate?: boolean;
  /** Taken in without asking for a first answer: the log row resolves `duplicate` when it is written. */
  firstAnswerOnWrite?: boolean;
}

function answeredAsFirst(ids: Pick<Verdict, 'notifyId' | 'kind' | 'paymentRequestId'>, first: FirstAnswer): Verdict {
  return {
    ...ids,
    verification: 'valid',
    outcome: first.outcome,
    status: first.replyStatus,
    duplicate: true,
    ...(first.paymentId ? { paymentId: first.paymentId } : {}),
  };
}

const UNVERIFIED_LOGGED_PER_SECOND = 50;

export class NotificationIntake {
  /** Counts by channel and outcome since start (the log table has the full record). */
  readonly counts = new Map<string, number>();
  private readonly unverified = new UnverifiedBudget(UNVERIFIED_LOGGED_PER_SECOND);

  constructor(
    private readonly identities: AlipayIdentities,
    private readonly log: NotificationLog,
    private readonly engine: Pick<PaymentsEngine, 'notifications'>,
    private readonly logger: Logger,
    private readonly notifyVerifyTimeoutMs: number,
    private readonly tokens?: TokenNoticeHandler,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async take(channel: ChannelName, req: NotifyRequest): Promise<NotifyReply> {
    const receivedAt = this.now();
    const protocol = NOTIFY_PROTOCOLS[channel];
    let verdict: Verdict;
    try {
      verdict = await this.judge(channel, protocol, req);
    } catch (err) {
      this.logger.error(
        { channel, err: err instanceof Error ? err.message : String(err) },
        'notification failed',
      );
      verdict = { verification: 'valid', outcome: 'error', status: 500, detail: 'internal error' };
    }
    const reply =
      verdict.status === 200
        ? protocol.acknowledge()
        : protocol.refuse(verdict.status, verdict.detail ?? verdict.outcome);
    await this.record(channel, req, verdict, reply, receivedAt);
    return reply;
  }

  private async judge(
    channel: ChannelName,
    protocol: NotificationProtocol,
    req: NotifyRequest,
  ): Promise<Verdict> {
    let read: ReadNotification;
    try {
      read = protocol.read(req);
    } catch (err) {
      if (!(err instanceof NotifyFormatError)) throw err;
      return { verification: 'malformed', outcome: 'refused', status: 400, detail: err.message };
    }
    const ids = {
      notifyId: read.notifyId,
      kind: read.notice?.kind ?? 'other',
      ...(read.notice?.kind === 'payment' ? { paymentRequestId: read.notice.paymentRequestId } : {}),
    };
    const sender = await this.identities.find(channel, read.identity);
    if (!sender)
      return {
        ...ids,
        verification: 'unknown-identity',
        outcome: 'refused',
        status: 401,
        detail: 'unknown sender',
      };
    if (!protocol.verify(req, sender.keys)) {
      return {
        ...ids,
        verification: 'bad-signature',
        outcome: 'refused',
        status: 401,
        detail: 'bad signature',
      };
    }
    if (read.needsNotifyVerify) {
      const answer = await mapiNotifyVerify(
        sender.gatewayUrl ?? '',
        read.identity,
        read.notifyId,
        this.notifyVerifyTimeoutMs,
      );
      if (answer !== 'true') {
        const status = answer === 'unreachable' ? 503 : 401;
        return {
          ...ids,
          verification: 'notify-verify-failed',
          outcome: 'refused',
          status,
          detail: `notify_verify: ${answer}`,
        };
      }
    }
    if (read.notice?.kind === 'payment') {
      const known = this.engine.notifications.recent(read.notice.paymentRequestId);
      if (known) return this.settleKnown(channel, read.notice, sender, known, ids, read.notifyId);
    }
    // Asked in the same turn as the resend check, so both reads travel in one round trip.
    const payment =
      read.notice?.kind === 'payment' ? this.engine.notifications.find(read.notice.paymentRequestId) : undefined;
    payment?.catch(() => undefined); // a resend answered below never reads it
    const first = await this.log.firstAnswer(channel, read.notifyId);
    if (first) return answeredAsFirst(ids, first);
    const notice = read.notice;
    if (!notice) return { ...ids, verification: 'valid', outcome: 'acknowledged', status: 200 };
    if (notice.kind !== 'payment') {
      if (!this.tokens) return { ...ids, verification: 'valid', outcome: 'acknowledged', status: 200 };
      const outcome = await this.tokens.take(channel, notice, sender);
      return { ...ids, verification: 'valid', outcome, status: outcome === 'refused' ? 409 : 200 };
    }
    return { ...ids, verification: 'valid', ...(await this.settle(channel, notice, sender, payment)) };
  }

  /**
   * The usual notification: the payment's result was just written by this process, which still holds the
   * copy, so nothing is read. Whether the notify id was answered before is not asked first: for a
   * notification taken in, a settled first answer was a 200 as well, and the log row's own INSERT marks
   * it a duplicate (NotificationLog.add). A refusal asks, as a resend of a notification taken in before
   * (e.g. before an ISV's authorization was cancelled) is answered as it was.
   */
  private async settleKnown(
    channel: ChannelName,
    notice: PaymentResultNotice,
    sender: AlipayIdentity,
    known: Payment,
    ids: Pick<Verdict, 'notifyId' | 'kind' | 'paymentRequestId'>,
    notifyId: string,
  ): Promise<Verdict> {
    const settled = await this.settle(channel, notice, sender, Promise.resolve(known));
    if (settled.status === 200) return { ...ids, verification: 'valid', ...settled, firstAnswerOnWrite: true };
    const first = await this.log.firstAnswer(channel, notifyId);
    return first ? answeredAsFirst(ids, first) : { ...ids, verification: 'valid', ...settled };
  }

  private async settle(
    channel: ChannelName,
    notice: PaymentResultNotice,
    sender: AlipayIdentity,
    payment: Promise<Payment | undefined> | undefined,
  ): Promise<Pick<Verdict, 'outcome' | 'status' | 'paymentId' | 'detail'>> {
    if (notice.status === 'pending') return { outcome: 'acknowledged', status: 200 };
    // Seed 004: amount and currency must equal the pay request; a result that states none proves nothing.
    if (!notice.amount) return { outcome: 'amount-mismatch', status: 409, detail: 'no amount' };
    const settled = await this.engine.notifications.settle(
      {
        paymentRequestId: notice.paymentRequestId,
        status: notice.status,
        amount: notice.amount,
        ...(notice.alipayTransactionId ? { alipayTransactionId: notice.alipayTransactionId } : {}),
      },
      { channel, merchantIds: await this.ownersOf(notice, sender) },
      payment,
    );
    const paymentId = settled.paymentId ? { paymentId: settled.paymentId } : {};
    switch (settled.outcome) {
      case 'applied':
      case 'ignored':
        return { outcome: settled.outcome, status: 200, ...paymentId };
      case 'unknown-payment':
        return { outcome: settled.outcome, status: 404, detail: 'unknown payment' };
      case 'amount-mismatch':
      case 'merchant-mismatch':
        return { outcome: settled.outcome, status: 409, detail: settled.outcome, ...paymentId };
    }
  }

  /** The sender's merchants that may own this payment: an Open Platform seller_id must be the known seller. */
  private async ownersOf(notice: PaymentResultNotice, sender: AlipayIdentity): Promise<string[]> {
    if (!notice.sellerId || !this.tokens || sender.isvMerchants.size === 0) return sender.merchantIds;
    const others = await this.tokens.merchantsSellingAsOtherThan(notice.sellerId);
    return sender.merchantIds.filter((merchantId) => !others.has(merchantId));
  }

  private async record(
    channel: ChannelName,
    req: NotifyRequest,
    v: Verdict,
    reply: NotifyReply,
    receivedAt: Date,
  ): Promise<void> {
    const countKey = `${channel}:${v.duplicate ? 'duplicate' : v.outcome}`;
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
    if (v.verification !== 'valid') {
      const { admitted, droppedBefore } = this.unverified.admit();
      if (droppedBefore !== undefined) {
        this.logger.warn(
          { dropped: droppedBefore },
          'unverified alipay notifications over the log budget (counted only)',
        );
      }
      if (!admitted) return;
    }
    const entry: NotificationEntry = {
      channel,
      verification: v.verification,
      outcome: v.outcome,
      duplicate: v.duplicate === true,
      ...(v.firstAnswerOnWrite ? { firstAnswerOnWrite: true } : {}),
      replyStatus: reply.status,
      reply: reply.body,
      payloadMasked: maskedPayload(req.rawBody, channel !== 'ams'),
      receivedAt,
      ...(v.notifyId ? { notifyId: v.notifyId.slice(0, 128) } : {}),
      ...(v.kind ? { kind: v.kind } : {}),
      ...(v.paymentRequestId ? { paymentRequestId: v.paymentRequestId.slice(0, 64) } : {}),
      ...(v.paymentId ? { paymentId: v.paymentId } : {}),
    };
    const line = {
      channel,
      notifyId: entry.notifyId,
      kind: entry.kind,
      paymentId: entry.paymentId,
      verification: v.verification,
      outcome: v.outcome,
      duplicate: entry.duplicate,
      replyStatus: reply.status,
    };
    // One per payment at production rates: the notification log table is the record, the log line is for debugging.
    if (reply.status === 200) this.logger.debug(line, 'alipay notification taken in');
    else this.logger.warn({ ...line, detail: v.detail }, 'alipay notification refused');
    // A refused, unverified notification's row is written in the background: its reply never waits on the database.
    const written = this.log.add(entry).catch((err: unknown) => {
      // The answer stands: a lost log row must not make Alipay resend what was already settled.
      this.logger.error(
        { channel, err: err instanceof Error ? err.message : String(err) },
        'notification log write failed',
      );
    });
    if (v.verification === 'valid') await written;
  }
}
