import { ASCII } from './ascii';
import { BCD } from './bcd';
import { Fixed } from './fixed';

export type { Prefixer, PrefixerName } from './prefixer';

/** The prefixers a field spec can name: `prefix.Fixed`, `prefix.ASCII.LL`, `prefix.BCD.LLL`... */
export const prefix = Object.freeze({ Fixed, ASCII, BCD });
