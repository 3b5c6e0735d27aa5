import { parseJsonRecord, asRecord, str } from '../json';
import {
  formFields,
  mediaTypeIs,
  NotificationProtocol,
  NotifyFormatError,
  NotifyKeys,
  NotifyRequest,
  plainReply,
  ReadNotification,
  secondsOf,
} from '../notify/notice';
import { openapiNotifySignContent, openapiSignContent, rsaVerify } from '../signing';
import { parseOpenapiNotification } from './openapi.mapper';

export const APP_AUTH_CANCELLED = 'alipay.open.auth.appauth.cancelled';

/**
 * Open Platform pushes to the ISV's application gateway: trade_status_sync (notify_url of a trade),
 * open_app_auth_notify (a merchant's authorization) and the message-service cancellation. All are form
 * posts signed by the v1 rule (sign and sign_type left out); the answer is the body `success`.
 */
export const openapiNotifyProtocol: NotificationProtocol = {
  channel: 'openapi',
  accepts: (contentType) => mediaTypeIs(contentType, 'application/x-www-form-urlencoded'),

  read(req: NotifyRequest): ReadNotification {
    const f = formFields(req.rawBody);
    const identity = f.app_id;
    const notifyId = f.notify_id;
    if (!identity) throw new NotifyFormatError('app_id missing');
    if (!notifyId) throw new NotifyFormatError('notify_id missing');
    if (f.charset && !/^utf-?8$/i.test(f.charset))
      throw new NotifyFormatError(`charset ${f.charset} not accepted`);
    if (f.msg_method === APP_AUTH_CANCELLED) return readCancellation(identity, notifyId, f);
    if (f.notify_type === 'open_app_auth_notify') return readAppAuth(identity, notifyId, f);
    if (f.notify_type !== 'trade_status_sync') return { identity, notifyId };
    if (!f.out_trade_no) throw new NotifyFormatError('out_trade_no missing');
    const parsed = parseOpenapiNotification(f);
    return {
      identity,
      notifyId,
      notice: {
        kind: 'payment',
        paymentRequestId: f.out_trade_no,
        status: parsed?.status ?? 'pending',
        ...(parsed?.amount ? { amount: parsed.amount } : {}),
        ...(parsed?.alipayTransactionId ? { alipayTransactionId: parsed.alipayTransactionId } : {}),
        ...(f.seller_id ? { sellerId: f.seller_id } : {}),
      },
    };
  },

  verify(req: NotifyRequest, keys: NotifyKeys): boolean {
    const f = formFields(req.rawBody);
    if (!keys.alipayPublicKey || !f.sign) return false;
    const algorithm = f.sign_type === 'RSA' ? 'RSA' : 'RSA2';
    // v1 (rsaCheckV1) is the rule for notifications; some messages are signed by the v2 rule.
    return (
      rsaVerify(openapiNotifySignContent(f), f.sign, keys.alipayPublicKey, algorithm) ||
      rsaVerify(openapiSignContent(f), f.sign, keys.alipayPublicKey, algorithm)
    );
  },

  acknowledge: () => plainReply(200, 'success'),
  refuse: (status) => plainReply(status, 'fail'),
};

function bizContent(f: Record<string, string>): Record<string, unknown> {
  const biz = f.biz_content ? parseJsonRecord(f.biz_content) : undefined;
  if (!biz) throw new NotifyFormatError('biz_content is not a JSON object');
  return biz;
}

function readAppAuth(identity: string, notifyId: string, f: Record<string, string>): ReadNotification {
  if (f.version && f.version !== '1.0') throw new NotifyFormatError(`version ${f.version} not accepted`);
  const detail = asRecord(bizContent(f).detail);
  const authAppId = str(detail?.auth_app_id);
  const appAuthToken = str(detail?.app_auth_token);
  const appAuthCode = str(detail?.app_auth_code);
  const authTime = Number(str(detail?.auth_time));
  if (!detail || !authAppId || !(appAuthToken || appAuthCode) || !Number.isSafeInteger(authTime)) {
    throw new NotifyFormatError(
      'open_app_auth_notify needs auth_app_id, app_auth_token or app_auth_code, and auth_time',
    );
  }
  const userId = str(detail.user_id);
  const appRefreshToken = str(detail.app_refresh_token);
  const expiresInSeconds = secondsOf(detail.expires_in);
  const reExpiresInSeconds = secondsOf(detail.re_expires_in);
  return {
    identity,
    notifyId,
    notice: {
      kind: 'app-auth',
      authAppId,
      authTime,
      ...(appAuthToken ? { appAuthToken } : {}),
      ...(appAuthCode ? { appAuthCode } : {}),
      ...(userId ? { userId } : {}),
      ...(appRefreshToken ? { appRefreshToken } : {}),
      ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      ...(reExpiresInSeconds !== undefined ? { reExpiresInSeconds } : {}),
    },
  };
}

function readCancellation(identity: string, notifyId: string, f: Record<string, string>): ReadNotification {
  const biz = bizContent(f);
  const authAppId = str(biz.auth_app_id) ?? f.auth_app_id;
  if (!authAppId) throw new NotifyFormatError('cancellation without auth_app_id');
  const authTime = Number(str(biz.auth_time));
  return {
    identity,
    notifyId,
    notice: {
      kind: 'app-auth-cancelled',
      authAppId,
      ...(Number.isSafeInteger(authTime) ? { authTime } : {}),
    },
  };
}
