/**
 * Buffer#latin1Slice is the native routine behind toString('latin1', a, b) without its argument
 * checks; Node has shipped it on every Buffer since v0.x but @types/node does not declare it.
 * Callers check bounds first.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
}

export function latin1Slice(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as Latin1Buffer).latin1Slice(start, end);
}
