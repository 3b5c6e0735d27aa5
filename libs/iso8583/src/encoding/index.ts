import { ASCII } from './ascii';
import { BCD } from './bcd';
import { Binary } from './binary';

export type { Encoding, EncodingName } from './encoding';

/** The encodings a field spec can name: `encoding.ASCII`, `encoding.BCD`, `encoding.Binary`. */
export const encoding = Object.freeze({ ASCII, BCD, Binary });
