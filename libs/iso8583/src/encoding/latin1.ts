import { Buffer } from 'node:buffer';

/**
 * Buffer#latin1Slice is the native routine behind toString('latin1', a, b) without its argument
 * checks; Node has shipped it on every Buffer since v0.x but @types/node does not declare it.
 * Callers check bounds first.
 */
interface Latin1Buffer {
  latin1Slice(this: Buffer, start: number, end: number): string;
}

/*
 * Taken once from the prototype: V8 does not constant-fold a method loaded from Buffer.prototype,
 * so `buffer.latin1Slice(...)` pays a generic property lookup on every call.
 */
const nativeLatin1Slice = (Buffer.prototype as unknown as Latin1Buffer).latin1Slice;

export function latin1Slice(buffer: Buffer, start: number, end: number): string {
  return nativeLatin1Slice.call(buffer, start, end);
}
