// Imported, not the global: Node 20 defines the global Buffer as a getter, called on every use.
import { Buffer } from 'node:buffer';
import type { Encoding } from './encoding';

/** Raw bytes: a `b` field's Buffer goes on the wire as it is. */
export const Binary: Encoding = Object.freeze({
  name: 'binary' as const,
  encodedLength: (units: number): number => units,
});

/** Below this, a JavaScript loop beats Buffer#copy, whose cost is mostly the call into native code. */
const NATIVE_COPY_FROM = 64;

/** A copy of [start, end): a decoded message never shares memory with the frame it came from. */
export function readBinary(source: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  if (end - start >= NATIVE_COPY_FROM) source.copy(out, 0, start, end);
  else for (let i = start, k = 0; i < end; i++, k++) out[k] = source[i]!;
  return out;
}
