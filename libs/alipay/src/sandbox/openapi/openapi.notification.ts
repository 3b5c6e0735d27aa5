import { openapiNotifySignContent, rsaSign } from '../../signing';
import { SandboxCredentials } from '../credentials';
import { SandboxKeys } from '../keys';
import { SandboxPayment } from '../ledger';
import { NotificationFormat } from '../notifier';
import { beijingDateTime } from '../wire-time';
import { buyerOf, major } from './openapi.answers';

/**
 * Asynchronous notification (notify_type trade_status_sync) for a paid trade: a form POST signed by the
 * v1 notify rule (sign and sign_type left out of the signed text). Acknowledged by the body "success".
 */
export function openapiNotificationFormat(
  credentials: SandboxCredentials,
  keys: SandboxKeys,
  now: () => Date,
): NotificationFormat {
  return {
    notifies: (p) => p.status === 'SUCCESS',
    build(p: SandboxPayment, _url: URL, notifyId: string) {
      const signType = p.extra.signType === 'RSA' ? 'RSA' : 'RSA2';
      const total = major(p, p.amountMinor);
      const params: Record<string, string> = {
        notify_time: beijingDateTime(now()),
        notify_type: 'trade_status_sync',
        notify_id: notifyId,
        app_id: credentials.openapi.appId,
        charset: 'utf-8',
        version: '1.0',
        sign_type: signType,
        trade_no: p.alipayTransactionId,
        out_trade_no: p.id,
        buyer_id: buyerOf(p),
        buyer_logon_id: '138******00',
        trade_status: 'TRADE_SUCCESS',
        total_amount: total,
        receipt_amount: total,
        invoice_amount: total,
        buyer_pay_amount: total,
        point_amount: '0.00',
        gmt_create: beijingDateTime(p.createdAt),
        gmt_payment: beijingDateTime(p.paidAt ?? p.createdAt),
        fund_bill_list: JSON.stringify([{ amount: total, fundChannel: 'ALIPAYACCOUNT' }]),
      };
      if (p.extra.trans_currency) params.trans_currency = p.extra.trans_currency;
      if (p.extra.seller_id) params.seller_id = p.extra.seller_id;
      params.sign = rsaSign(openapiNotifySignContent(params), keys.openapi.alipayPrivate, signType);
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
      };
    },
    acknowledged: (httpStatus, body) => httpStatus === 200 && body.trim() === 'success',
  };
}
