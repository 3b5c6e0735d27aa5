/**
 * Request ids numbered 0, 1, 2, ... in the order first seen, kept off the JavaScript heap: the ids' UTF-8
 * bytes end to end in one buffer, and an open-addressing hash table of slot numbers. A million-payment day
 * then costs about 72 bytes a payment outside the heap instead of a string and a Map entry (about 100 bytes)
 * on it, which the collector would otherwise scan and let the heap grow around (bench:reconcile's memory).
 */
const EMPTY = -1;

export class IdTable {
  private bytes: Buffer = Buffer.alloc(1 << 20);
  private used = 0;
  /** Slot n's id is bytes[starts[n], starts[n + 1]). */
  private starts = new Uint32Array(1024 + 1);
  private hashes = new Uint32Array(1024);
  private table = new Int32Array(2048).fill(EMPTY);
  private count = 0;
  private scratch: Buffer = Buffer.alloc(256);

  get size(): number {
    return this.count;
  }

  /** The slot of `id`, numbered next when it is new. */
  slot(id: string): number {
    const length = this.encode(id);
    const hash = fnv1a(this.scratch, length);
    const mask = this.table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const n = this.table[at];
      if (n === EMPTY) return this.add(length, hash, at);
      if (this.hashes[n] === hash && this.equals(n, length)) return n;
    }
  }

  idOf(n: number): string {
    return this.bytes.toString('utf8', this.starts[n], this.starts[n + 1]);
  }

  private add(length: number, hash: number, at: number): number {
    const n = this.count;
    if (n + 1 === this.starts.length) this.growSlots();
    while (this.used + length > this.bytes.length) this.bytes = copied(this.bytes, this.bytes.length * 2);
    this.scratch.copy(this.bytes, this.used, 0, length);
    this.used += length;
    this.starts[n + 1] = this.used;
    this.hashes[n] = hash;
    this.table[at] = n;
    this.count += 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return n;
  }

  private encode(id: string): number {
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(id.length * 3);
    return this.scratch.write(id, 'utf8');
  }

  private equals(n: number, length: number): boolean {
    const start = this.starts[n];
    if (this.starts[n + 1] - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  private growSlots(): void {
    const starts = new Uint32Array(this.starts.length * 2 - 1);
    starts.set(this.starts);
    this.starts = starts;
    const hashes = new Uint32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(EMPTY);
    const mask = this.table.length - 1;
    for (let n = 0; n < this.count; n++) {
      let at = this.hashes[n] & mask;
      while (this.table[at] !== EMPTY) at = (at + 1) & mask;
      this.table[at] = n;
    }
  }
}

function copied(from: Buffer, size: number): Buffer {
  const to = Buffer.alloc(size);
  from.copy(to);
  return to;
}

/** FNV-1a, 32 bits: quick and well spread over ids that share long prefixes. */
function fnv1a(bytes: Buffer, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}
