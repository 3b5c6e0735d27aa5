import { parseJsonRecord, str } from '../json';
import { headerValue } from '../http/transport';
import {
  mediaTypeIs,
  NotificationProtocol,
  NotifyFormatError,
  NotifyKeys,
  NotifyReply,
  NotifyRequest,
  ReadNotification,
} from '../notify/notice';
import { amsSignContent, parseAmsSignatureHeader, rsaVerify } from '../signing';
import { parseAmsNotification } from './ams.mapper';

const ACK_RESULT = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };

/**
 * AMS notifications: notifyPayment (PAYMENT_RESULT) and the ISV agent-token notification (a body with
 * accessToken, as the official SDK tells them apart). Signed like a request, over
 * "POST <our notify path>\n<client-id>.<request-time>.<body>"; acknowledged by result S, unsigned.
 */
export const amsNotifyProtocol: NotificationProtocol = {
  channel: 'ams',
  accepts: (contentType) => mediaTypeIs(contentType, 'application/json'),

  read(req: NotifyRequest): ReadNotification {
    const identity = headerValue(req.headers, 'client-id');
    if (!identity) throw new NotifyFormatError('client-id header missing');
    const body = parseJsonRecord(req.rawBody);
    if (!body) throw new NotifyFormatError('body is not a JSON object');
    if (body.accessToken !== undefined) return readAgentToken(identity, body);
    const notifyType = str(body.notifyType);
    if (!notifyType) throw new NotifyFormatError('notifyType missing');
    const paymentRequestId = str(body.paymentRequestId);
    if (!paymentRequestId) throw new NotifyFormatError('paymentRequestId missing');
    const notifyId = `${paymentRequestId}/${notifyType}`;
    const parsed = parseAmsNotification(req.rawBody);
    if (!parsed) return { identity, notifyId };
    return { identity, notifyId, notice: { kind: 'payment', ...parsed } };
  },

  verify(req: NotifyRequest, keys: NotifyKeys): boolean {
    const clientId = headerValue(req.headers, 'client-id');
    const time = headerValue(req.headers, 'request-time');
    const header = headerValue(req.headers, 'signature');
    if (!keys.alipayPublicKey || !clientId || !time || !header) return false;
    const parsed = parseAmsSignatureHeader(header);
    if (!parsed) return false;
    const content = amsSignContent('POST', req.path, clientId, time, req.rawBody);
    return rsaVerify(content, parsed.signature, keys.alipayPublicKey, 'RSA2');
  },

  acknowledge: () => amsReply(200, ACK_RESULT),
  refuse: (status, reason) =>
    amsReply(status, {
      resultCode: 'UNKNOWN_EXCEPTION',
      resultStatus: 'U',
      resultMessage: reason.slice(0, 128),
    }),
};

function readAgentToken(identity: string, body: Record<string, unknown>): ReadNotification {
  const accessToken = str(body.accessToken);
  const authClientId = str(body.authClientId);
  const authTime = Number(str(body.authTime));
  if (!accessToken || !authClientId || !Number.isSafeInteger(authTime)) {
    throw new NotifyFormatError('agent-token notification needs accessToken, authClientId and authTime');
  }
  const expiry = str(body.accessTokenExpiryTime);
  const expiresAt = expiry ? new Date(expiry) : undefined;
  return {
    identity,
    notifyId: `agent-token/${authClientId}/${authTime}`,
    notice: {
      kind: 'agent-token',
      authClientId,
      accessToken,
      authTime,
      ...(expiresAt && !Number.isNaN(expiresAt.getTime()) ? { expiresAt } : {}),
    },
  };
}

function amsReply(status: number, result: Record<string, string>): NotifyReply {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'response-time': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    body: JSON.stringify({ result }),
  };
}
