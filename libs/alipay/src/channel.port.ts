// The one port the payments engine sees. Adapters (ams/, openapi/, mapi/) make exactly one HTTP call per
// method, never retry (retry rhythm is the engine's business), never throw, and normalise every answer to a
// ChannelOutcome. Declines are values ('failure'); anything the switch cannot be sure of is 'unknown'.

export type ChannelName = 'ams' | 'openapi' | 'mapi';

export interface Money {
  amountMinor: number;
  /** ISO 4217 alpha, e.g. 'USD', 'CNY', 'JPY'. */
  currency: string;
}

export interface MerchantContext {
  merchantId: string;
  merchantName: string;
  mcc: string;
  storeId: string;
  storeName: string;
  terminalId: string;
  /** AMS ISV: sent as the Agent-Token header. */
  agentToken?: string;
  /** Open Platform ISV: sent as the app_auth_token parameter. */
  appAuthToken?: string;
}

export interface PayRequest {
  paymentRequestId: string;
  /** The customer's payment code (barcode). Never logged or echoed in outcomes. */
  paymentCode: string;
  amount: Money;
  subject: string;
  merchant: MerchantContext;
  terminalRequestTime: Date;
  notifyUrl?: string;
}

export interface InquireRequest {
  paymentRequestId: string;
  merchant: MerchantContext;
}

export interface CancelRequest {
  paymentRequestId: string;
  merchant: MerchantContext;
}

export interface RefundRequest {
  paymentRequestId: string;
  refundRequestId: string;
  amount: Money;
  reason?: string;
  merchant: MerchantContext;
  alipayTransactionId?: string;
}

export type ChannelOutcome =
  | { kind: 'success'; alipayTransactionId?: string; completedAt?: Date; raw: ChannelRaw }
  | {
      kind: 'failure';
      /** Alipay's code or sub-code, e.g. USER_BALANCE_NOT_ENOUGH, ACQ.BUYER_BALANCE_NOT_ENOUGH, ORDER_NOT_EXIST. */
      code: string;
      /** Short, cashier-friendly. */
      message: string;
      reason: FailureReason;
      raw: ChannelRaw;
    }
  /** The user is still confirming (AMS PAYMENT_IN_PROCESS / PROCESSING, Open Platform 10003, WAIT_BUYER_PAY). */
  | { kind: 'processing'; raw: ChannelRaw }
  | { kind: 'unknown'; cause: UnknownCause; detail: string; raw?: ChannelRaw };

export type UnknownCause = 'timeout' | 'network' | 'status-unknown' | 'bad-signature' | 'http-error';

export type FailureReason =
  | 'insufficient-balance'
  | 'invalid-code'
  | 'expired-code'
  | 'user-verification-failed'
  | 'risk-rejected'
  | 'amount-limit'
  | 'count-limit'
  | 'not-found'
  | 'closed'
  | 'cancel-window-exceeded'
  | 'refund-window-exceeded'
  | 'refund-amount-exceeded'
  | 'duplicate-inconsistent'
  | 'invalid-request'
  | 'currency-not-supported'
  | 'merchant-not-permitted'
  | 'declined';

export interface ChannelRaw {
  /** The Alipay API called: AMS path, Open Platform method, MAPI service. */
  api: string;
  requestId: string;
  httpStatus?: number;
  resultCode?: string;
  latencyMs: number;
}

export interface IncomingNotification {
  path: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface PaymentNotification {
  paymentRequestId: string;
  status: 'success' | 'failure';
  amount?: Money;
  alipayTransactionId?: string;
}

export interface WalletChannel {
  readonly name: ChannelName;
  pay(req: PayRequest): Promise<ChannelOutcome>;
  /** The PAYMENT's state: success / failure (closed or failed) / processing; cancelled maps to failure 'closed'. */
  inquire(req: InquireRequest): Promise<ChannelOutcome>;
  /** success = cancelled, closed, or refunded by the cancel. */
  cancel(req: CancelRequest): Promise<ChannelOutcome>;
  refund(req: RefundRequest): Promise<ChannelOutcome>;
  verifyNotification(n: IncomingNotification): boolean;
  parseNotification(n: IncomingNotification): PaymentNotification | undefined;
  /** Orders paid inside the Alipay app (H5 page + tradePay); only channels that offer them set it. */
  readonly inApp?: InAppOrders;
}

/** An H5 page's auth_code, to be exchanged for the Alipay user it identifies. */
export interface AuthCodeRequest {
  authCode: string;
  merchant: MerchantContext;
}

export type AuthCodeOutcome =
  | { kind: 'user'; userId: string; openId?: string; raw: ChannelRaw }
  /** The code is unknown, used or expired (or the app may not use it): the page must ask for a new one. */
  | { kind: 'refused'; code: string; raw: ChannelRaw }
  | { kind: 'unknown'; cause: UnknownCause; detail: string; raw?: ChannelRaw };

/** An order the customer pays in the Alipay app: Alipay creates the trade, the page calls tradePay with its number. */
export interface CreateOrderRequest {
  paymentRequestId: string;
  /** The Alipay user id the page's auth_code identified. */
  buyerId: string;
  amount: Money;
  subject: string;
  merchant: MerchantContext;
  notifyUrl?: string;
}

export type CreateOrderOutcome =
  /** The trade waits for the customer; `tradeNo` goes to tradePay. */
  | { kind: 'created'; tradeNo: string; raw: ChannelRaw }
  | Extract<ChannelOutcome, { kind: 'failure' } | { kind: 'unknown' }>;

export interface InAppOrders {
  exchangeAuthCode(req: AuthCodeRequest): Promise<AuthCodeOutcome>;
  createOrder(req: CreateOrderRequest): Promise<CreateOrderOutcome>;
}
