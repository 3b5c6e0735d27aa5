import type { Prefixer } from './prefixer';

/** No prefix: the spec's length is the length. */
export const Fixed: Prefixer = Object.freeze({
  name: 'fixed' as const,
  digits: 0 as const,
  byteLength: 0,
  maxLength: 999,
  encoding: 'none' as const,
});
