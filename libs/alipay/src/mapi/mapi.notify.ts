import {
  formFields,
  mediaTypeIs,
  NotificationProtocol,
  NotifyFormatError,
  NotifyKeys,
  NotifyRequest,
  plainReply,
  ReadNotification,
} from '../notify/notice';
import { mapiMd5Verify, mapiSignContent, rsaVerify } from '../signing';
import { parseMapiNotification } from './mapi.mapper';

/**
 * MAPI trade_status_sync: a form post signed like every MAPI message (MD5 with the partner's key, or
 * RSA/RSA2). An MD5-signed one is believed only once Alipay confirms its notify_id (notify_verify, see
 * mapiNotifyVerify). The answer is the body `success`.
 */
export const mapiNotifyProtocol: NotificationProtocol = {
  channel: 'mapi',
  accepts: (contentType) => mediaTypeIs(contentType, 'application/x-www-form-urlencoded'),

  read(req: NotifyRequest): ReadNotification {
    const f = formFields(req.rawBody);
    if (!f.partner) throw new NotifyFormatError('partner missing');
    if (!f.notify_id) throw new NotifyFormatError('notify_id missing');
    const needsNotifyVerify = (f.sign_type ?? 'MD5').toUpperCase() === 'MD5';
    const read = { identity: f.partner, notifyId: f.notify_id, needsNotifyVerify };
    if (f.notify_type !== 'trade_status_sync') return read;
    const paymentRequestId = f.partner_trans_id || f.out_trade_no;
    if (!paymentRequestId) throw new NotifyFormatError('partner_trans_id missing');
    const parsed = parseMapiNotification(f);
    return {
      ...read,
      notice: {
        kind: 'payment',
        paymentRequestId,
        status: parsed?.status ?? 'pending',
        ...(parsed?.amount ? { amount: parsed.amount } : {}),
        ...(parsed?.alipayTransactionId ? { alipayTransactionId: parsed.alipayTransactionId } : {}),
      },
    };
  },

  verify(req: NotifyRequest, keys: NotifyKeys): boolean {
    const f = formFields(req.rawBody);
    if (!f.sign) return false;
    const signType = (f.sign_type ?? 'MD5').toUpperCase();
    if (signType === 'MD5') return keys.md5Key !== undefined && mapiMd5Verify(f, f.sign, keys.md5Key);
    if (signType !== 'RSA' && signType !== 'RSA2') return false;
    return (
      keys.alipayPublicKey !== undefined &&
      rsaVerify(mapiSignContent(f), f.sign, keys.alipayPublicKey, signType)
    );
  },

  acknowledge: () => plainReply(200, 'success'),
  refuse: (status) => plainReply(status, 'fail'),
};

export type NotifyVerifyAnswer = 'true' | 'false' | 'invalid' | 'unreachable';

/**
 * Asks the gateway whether it really sent `notifyId`: GET gateway.do?service=notify_verify&partner=&notify_id=.
 * "true" means yes; "false" (unknown or expired id) and "invalid" (bad partner) mean no.
 */
export async function mapiNotifyVerify(
  gatewayUrl: string,
  partner: string,
  notifyId: string,
  timeoutMs: number,
): Promise<NotifyVerifyAnswer> {
  const url = new URL(gatewayUrl);
  url.searchParams.set('service', 'notify_verify');
  url.searchParams.set('partner', partner);
  url.searchParams.set('notify_id', notifyId);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = (await response.text()).trim();
    if (!response.ok) return 'unreachable';
    return text === 'true' ? 'true' : text === 'invalid' ? 'invalid' : 'false';
  } catch {
    return 'unreachable';
  }
}
