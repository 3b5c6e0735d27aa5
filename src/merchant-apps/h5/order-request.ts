/**
 * The body of POST /pay/v1/orders, checked field by field: a table, the buyer, and either dishes from the
 * menu (priced here) or an amount the customer typed, in minor units.
 */
import { currencyByAlpha } from '@switch/alipay';
import { ALIPAY_USER_ID } from '../../payments/application/in-app-order.service';
import { isWebhookUrl } from '../../merchant-api/webhooks/webhook-url';
import type { Dish } from './demo-menu';

export interface OrderRequest {
  tableRef: string;
  buyerId: string;
  amountMinor: number;
  /** ISO 4217 alpha and numeric. */
  currency: string;
  currencyNumeric: string;
  /** Where the order's final result is POSTed (signed), as for a REST payment. */
  webhookUrl?: string;
}

export type ParsedOrder = { ok: true; order: OrderRequest } | { ok: false; field: string; problem: string };

const TABLE_REF = /^[A-Za-z0-9-]{1,16}$/;
const MAX_QUANTITY = 99;

export function parseOrderRequest(body: unknown, menu: readonly Dish[]): ParsedOrder {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const bad = (field: string, problem: string): ParsedOrder => ({ ok: false, field, problem });
  if (typeof b.tableRef !== 'string' || !TABLE_REF.test(b.tableRef)) return bad('tableRef', '1-16 letters, digits or -');
  if (typeof b.buyerId !== 'string' || !ALIPAY_USER_ID.test(b.buyerId)) return bad('buyerId', 'an Alipay user id (2088 and 12 digits)');
  const currency = typeof b.currency === 'string' ? currencyByAlpha(b.currency) : undefined;
  if (!currency) return bad('currency', 'an ISO 4217 code the switch knows, e.g. CNY');
  let amountMinor: number;
  if (b.items !== undefined) {
    const priced = priceItems(b.items, menu);
    if (typeof priced === 'string') return bad('items', priced);
    if (b.amountMinor !== undefined && b.amountMinor !== priced) return bad('amountMinor', 'differs from the dishes ordered');
    amountMinor = priced;
  } else {
    if (typeof b.amountMinor !== 'number' || !Number.isSafeInteger(b.amountMinor) || b.amountMinor <= 0) {
      return bad('amountMinor', 'a whole number of minor units above zero (or items)');
    }
    amountMinor = b.amountMinor;
  }
  if (b.webhookUrl !== undefined && !isWebhookUrl(b.webhookUrl)) return bad('webhookUrl', 'an absolute http(s) URL of at most 512 characters');
  return {
    ok: true,
    order: {
      tableRef: b.tableRef,
      buyerId: b.buyerId,
      amountMinor,
      currency: currency.alpha,
      currencyNumeric: currency.numeric,
      ...(b.webhookUrl !== undefined ? { webhookUrl: b.webhookUrl } : {}),
    },
  };
}

/** The total of `[{dishId, quantity}]`, or what is wrong with it. */
function priceItems(items: unknown, menu: readonly Dish[]): number | string {
  if (!Array.isArray(items) || items.length === 0) return 'a list of {dishId, quantity}';
  let total = 0;
  for (const item of items as unknown[]) {
    const i = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const dish = menu.find((d) => d.id === i.dishId);
    if (!dish) return `unknown dish ${JSON.stringify(i.dishId ?? null).slice(0, 40)}`;
    const quantity = i.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      return `quantity of ${dish.id} must be 1-${MAX_QUANTITY}`;
    }
    total += dish.priceMinor * quantity;
  }
  return total;
}
