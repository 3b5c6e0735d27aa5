import { exceedsPurchaseMax } from './merchant-limits';

describe('a merchant’s purchase maximum', () => {
  it('refuses only what is above it, and nothing when the merchant has none', () => {
    expect(exceedsPurchaseMax({ purchaseMaxMinor: 5000 }, 5000)).toBe(false);
    expect(exceedsPurchaseMax({ purchaseMaxMinor: 5000 }, 5001)).toBe(true);
    expect(exceedsPurchaseMax({ purchaseMaxMinor: 0 }, 1)).toBe(true);
    expect(exceedsPurchaseMax({ refundDailyMaxMinor: 10 }, 10 ** 12)).toBe(false);
    expect(exceedsPurchaseMax(undefined, 10 ** 12)).toBe(false);
  });
});
