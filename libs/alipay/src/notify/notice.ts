// What Alipay pushes to the switch, read from the wire but not yet trusted: each channel's protocol
// (ams/ams.notify.ts, openapi/openapi.notify.ts, mapi/mapi.notify.ts) reads, verifies and answers it.
import type { KeyObject } from 'node:crypto';
import type { ChannelName, Money } from '../channel.port';

export interface NotifyRequest {
  /** URL path the notification was posted to (AMS signs it). */
  path: string;
  headers: Record<string, string | undefined>;
  /** The exact body text: signatures are checked over these characters. */
  rawBody: string;
}

export interface NotifyReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A payment's result (AMS notifyPayment, Open Platform / MAPI trade_status_sync). */
export interface PaymentResultNotice {
  kind: 'payment';
  paymentRequestId: string;
  /** pending: a state Alipay reports but that settles nothing (WAIT_BUYER_PAY). */
  status: 'success' | 'failure' | 'pending';
  amount?: Money;
  alipayTransactionId?: string;
  /** Open Platform seller_id: the merchant's Alipay user id. */
  sellerId?: string;
}

/** Open Platform open_app_auth_notify: a merchant authorized (again) our ISV application. */
export interface AppAuthNotice {
  kind: 'app-auth';
  authAppId: string;
  userId?: string;
  /** Absent when the notification carries only the code, which the ISV exchanges with token.app. */
  appAuthToken?: string;
  appAuthCode?: string;
  appRefreshToken?: string;
  expiresInSeconds?: number;
  reExpiresInSeconds?: number;
  /** Epoch ms; the token with the latest auth_time wins (notifications may arrive out of order). */
  authTime: number;
}

/** Open Platform message alipay.open.auth.appauth.cancelled: the merchant withdrew the authorization. */
export interface AppAuthCancelledNotice {
  kind: 'app-auth-cancelled';
  authAppId: string;
  authTime?: number;
}

/** AMS ISV agent-token notification: the merchant (authClientId) gave the ISV an Agent-Token. */
export interface AgentTokenNotice {
  kind: 'agent-token';
  authClientId: string;
  accessToken: string;
  authTime: number;
  expiresAt?: Date;
}

export type Notice = PaymentResultNotice | AppAuthNotice | AppAuthCancelledNotice | AgentTokenNotice;

export interface ReadNotification {
  /** Who says it sends this: the AMS client id, the Open Platform app_id, the MAPI partner. */
  identity: string;
  /** Same id = same notification: notify_id; on AMS, payment and notify type (AMS sends no id). */
  notifyId: string;
  /** Undefined: a well-formed message of a kind the switch does not act on (acknowledged, logged). */
  notice?: Notice;
  /** MAPI MD5: Alipay must also confirm the notify_id (notify_verify) before it is believed. */
  needsNotifyVerify?: boolean;
}

/** Alipay's verification material for one identity. */
export interface NotifyKeys {
  alipayPublicKey?: KeyObject;
  /** MAPI MD5 key. */
  md5Key?: string;
}

/** Why a notification was not read: the listener answers the protocol's failure reply. */
export class NotifyFormatError extends Error {
  readonly code = 'ALIPAY.NOTIFY_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'NotifyFormatError';
  }
}

export interface NotificationProtocol {
  readonly channel: ChannelName;
  /** Whether a Content-Type header is one this protocol posts (its media type, UTF-8 or no charset). */
  accepts(contentType: string | undefined): boolean;
  /** Throws NotifyFormatError for anything that is not this protocol's notification. */
  read(req: NotifyRequest): ReadNotification;
  verify(req: NotifyRequest, keys: NotifyKeys): boolean;
  /** The exact answer that makes Alipay stop resending. */
  acknowledge(): NotifyReply;
  /** Anything else: Alipay resends on its schedule. `status` is the HTTP status (4xx/5xx with the reason). */
  refuse(status: number, reason: string): NotifyReply;
}

/** `type/subtype` with an optional charset, which must be UTF-8 when given. */
export function mediaTypeIs(contentType: string | undefined, expected: string): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== expected) return false;
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

export function formFields(rawBody: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) out[k] = v;
  return out;
}

export function plainReply(status: number, body: string): NotifyReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/** Seconds as Alipay writes them (a string of digits); anything else is absent. */
export function secondsOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}
