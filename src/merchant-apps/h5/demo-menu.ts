/** The demo restaurant's dishes: the server prices an order from here, never from what the page sends. */
export interface Dish {
  id: string;
  name: string;
  priceMinor: number;
}

export const DEMO_CURRENCY = 'CNY';

export const DEMO_MENU: readonly Dish[] = [
  { id: 'dumplings', name: 'Pork dumplings (12)', priceMinor: 2800 },
  { id: 'noodles', name: 'Beef noodle soup', priceMinor: 3200 },
  { id: 'greens', name: 'Garlic greens', priceMinor: 1800 },
  { id: 'tea', name: 'Jasmine tea', priceMinor: 600 },
];
