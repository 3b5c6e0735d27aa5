import { amsSignContent, formatAmsSignatureHeader, rsaSign } from '../../signing';
import { SandboxCredentials } from '../credentials';
import { SandboxKeys } from '../keys';
import { SandboxPayment } from '../ledger';
import { NotificationFormat } from '../notifier';
import { parseObject, asObject } from '../json-read';
import { amsTime } from '../wire-time';
import { declinedPayment, paymentFields } from './ams.answers';

/**
 * notifyPayment (notifyType PAYMENT_RESULT) for a payment that succeeded or failed, signed like a request:
 * "POST <notify path>\n<clientId>.<requestTime>.<body>". Acknowledged by a JSON answer with result S.
 */
export function amsNotificationFormat(
  credentials: SandboxCredentials,
  keys: SandboxKeys,
  now: () => Date,
): NotificationFormat {
  return {
    notifies: (p) => p.status === 'SUCCESS' || p.status === 'FAILED',
    build(p: SandboxPayment, url: URL) {
      const result =
        p.status === 'SUCCESS'
          ? { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }
          : (declinedPayment(p).body.result as Record<string, string>);
      const body = JSON.stringify({ notifyType: 'PAYMENT_RESULT', result, ...paymentFields(p) });
      const requestTime = amsTime(now());
      const clientId = credentials.ams.clientId;
      const signature = rsaSign(
        amsSignContent('POST', url.pathname, clientId, requestTime, body),
        keys.ams.alipayPrivate,
      );
      return {
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': clientId,
          'request-time': requestTime,
          signature: formatAmsSignatureHeader(signature, credentials.ams.keyVersion),
        },
        body,
      };
    },
    acknowledged(httpStatus, body) {
      const result = asObject(parseObject(body)?.result);
      return httpStatus === 200 && result?.resultStatus === 'S';
    },
  };
}
