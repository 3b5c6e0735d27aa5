import { mapiMd5Sign, mapiSignContent, rsaSign } from '../../signing';
import { SandboxCredentials } from '../credentials';
import { SandboxKeys } from '../keys';
import { SandboxPayment } from '../ledger';
import { IssuedNotifyIds } from '../notify/issued-notify-ids';
import { NotificationFormat } from '../notifier';
import { beijingDateTime } from '../wire-time';
import { major } from './mapi.answers';

/**
 * trade_status_sync for a paid trade: a form POST signed like the request was (MD5 unless the merchant
 * signs with RSA/RSA2). Acknowledged by the body "success".
 */
export function mapiNotificationFormat(
  credentials: SandboxCredentials,
  keys: SandboxKeys,
  now: () => Date,
  issued: IssuedNotifyIds,
): NotificationFormat {
  return {
    notifies: (p) => p.status === 'SUCCESS',
    build(p: SandboxPayment, _url: URL, notifyId: string) {
      const signType = p.extra.signType === 'RSA' || p.extra.signType === 'RSA2' ? p.extra.signType : 'MD5';
      const params: Record<string, string> = {
        notify_id: notifyId,
        partner: credentials.mapi.partner,
        notify_time: beijingDateTime(now()),
        notify_type: 'trade_status_sync',
        trade_status: 'TRADE_SUCCESS',
        partner_trans_id: p.id,
        out_trade_no: p.id,
        alipay_trans_id: p.alipayTransactionId,
        trade_no: p.alipayTransactionId,
        trans_amount: major(p, p.amountMinor),
        currency: p.extra.currency ?? p.currency,
        gmt_payment: beijingDateTime(p.paidAt ?? p.createdAt),
      };
      if (p.extra.trans_currency) params.trans_currency = p.extra.trans_currency;
      params.sign =
        signType === 'MD5'
          ? mapiMd5Sign(params, keys.mapi.md5Key)
          : rsaSign(mapiSignContent(params), keys.mapi.alipayPrivate, signType);
      params.sign_type = signType;
      issued.issue(notifyId, credentials.mapi.partner);
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
      };
    },
    acknowledged: (httpStatus, body) => httpStatus === 200 && body.trim() === 'success',
  };
}
