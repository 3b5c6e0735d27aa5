import { DEMO_MENU } from './demo-menu';
import { parseOrderRequest } from './order-request';

const base = { tableRef: 'T7', buyerId: '2088000011112222', currency: 'CNY' };

describe('parseOrderRequest', () => {
  it('prices dishes from the menu', () => {
    expect(parseOrderRequest({ ...base, items: [{ dishId: 'dumplings', quantity: 2 }, { dishId: 'tea', quantity: 1 }] }, DEMO_MENU)).toEqual({
      ok: true,
      order: { tableRef: 'T7', buyerId: '2088000011112222', amountMinor: 6200, currency: 'CNY', currencyNumeric: '156' },
    });
  });

  it('takes a typed amount in minor units when there are no dishes', () => {
    expect(parseOrderRequest({ ...base, amountMinor: 4550 }, DEMO_MENU)).toMatchObject({ ok: true, order: { amountMinor: 4550 } });
  });

  it('keeps a webhookUrl, checked as the payments API checks it', () => {
    expect(parseOrderRequest({ ...base, amountMinor: 100, webhookUrl: 'http://127.0.0.1:9000/hooks' }, DEMO_MENU)).toMatchObject({
      ok: true,
      order: { webhookUrl: 'http://127.0.0.1:9000/hooks' },
    });
  });

  it.each([
    [{ ...base, tableRef: 'table 7!' }, 'tableRef'],
    [{ ...base, buyerId: '2088' }, 'buyerId'],
    [{ ...base, currency: 'XXY', amountMinor: 1 }, 'currency'],
    [{ ...base, amountMinor: 12.5 }, 'amountMinor'],
    [{ ...base, amountMinor: -1 }, 'amountMinor'],
    [{ ...base, items: [] }, 'items'],
    [{ ...base, items: [{ dishId: 'tea', quantity: 0 }] }, 'items'],
    [{ ...base, items: [{ dishId: 'caviar', quantity: 1 }] }, 'items'],
    [{ ...base, items: [{ dishId: 'tea', quantity: 1 }], amountMinor: 1 }, 'amountMinor'],
    [{ ...base, amountMinor: 1, webhookUrl: 'ftp://merchant.example/hook' }, 'webhookUrl'],
    [{ ...base, amountMinor: 1, webhookUrl: '/relative/hook' }, 'webhookUrl'],
    [{ ...base, amountMinor: 1, webhookUrl: `https://merchant.example/${'x'.repeat(512)}` }, 'webhookUrl'],
    [null, 'tableRef'],
  ])('refuses %j naming %s', (body, field) => {
    expect(parseOrderRequest(body, DEMO_MENU)).toMatchObject({ ok: false, field });
  });
});
