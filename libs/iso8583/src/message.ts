import { describeMessage } from './describe';

/** A field's value: text for n/an/ans/z fields, a Buffer only for type `b` fields. */
export type FieldValue = string | Buffer;

/**
 * Slots indexed by field number; 0 and 1 stay empty (MTI and bitmap are not fields here). Up to 129
 * long; a decoded message without a secondary bitmap gets 65, and grows if a higher field is set.
 */
export type FieldSlots = Array<FieldValue | undefined>;

const SLOT_COUNT = 129;
/** Symbol-keyed so the codec reads slots directly while JSON.stringify and the public type never see them. */
export const SLOTS: unique symbol = Symbol('iso8583.slots');

let adopted: FieldSlots | undefined;

/** For the decoder: wraps slots it has filled, without copying them. */
export function adoptSlots(mti: string, slots: FieldSlots): IsoMessage {
  adopted = slots;
  return new IsoMessage(mti);
}

function checkFieldNumber(field: number): void {
  if (!Number.isInteger(field) || field < 2 || field > 128) {
    throw new RangeError(`ISO 8583 data fields are numbered 2 to 128, got ${String(field)}`);
  }
}

/**
 * One ISO 8583 message: an MTI and field values. It validates nothing but field numbers: the
 * dialect validates values when it encodes, and produces only valid messages when it decodes.
 */
export class IsoMessage {
  mti: string;
  readonly [SLOTS]: FieldSlots;

  constructor(mti: string, fields?: Iterable<readonly [number, FieldValue]> | Record<number, FieldValue>) {
    this.mti = mti;
    if (adopted !== undefined) {
      this[SLOTS] = adopted;
      adopted = undefined;
      return;
    }
    this[SLOTS] = new Array<FieldValue | undefined>(SLOT_COUNT);
    if (fields === undefined) return;
    if (Symbol.iterator in fields) {
      for (const [field, value] of fields) this.set(field, value);
    } else {
      for (const key of Object.keys(fields)) {
        const field = Number(key);
        this.set(field, fields[field]);
      }
    }
  }

  /** The text value; throws TypeError when the field holds bytes (use getBinary). */
  get(field: number): string | undefined {
    const value = this[SLOTS][field];
    if (value === undefined || typeof value === 'string') return value;
    throw new TypeError(`field ${field} holds binary data: use getBinary`);
  }

  /** The byte value; throws TypeError when the field holds text (use get). */
  getBinary(field: number): Buffer | undefined {
    const value = this[SLOTS][field];
    if (value === undefined || typeof value !== 'string') return value;
    throw new TypeError(`field ${field} holds text: use get`);
  }

  has(field: number): boolean {
    return this[SLOTS][field] !== undefined;
  }

  set(field: number, value: FieldValue): this {
    checkFieldNumber(field);
    this[SLOTS][field] = value;
    return this;
  }

  delete(field: number): this {
    checkFieldNumber(field);
    this[SLOTS][field] = undefined;
    return this;
  }

  /** Present field numbers, ascending. */
  fieldNumbers(): number[] {
    const slots = this[SLOTS];
    const numbers: number[] = [];
    const n = Math.min(slots.length, SLOT_COUNT);
    for (let f = 2; f < n; f++) if (slots[f] !== undefined) numbers.push(f);
    return numbers;
  }

  /** A deep copy: Buffers are copied too, so changing one message never changes the other. */
  clone(): IsoMessage {
    const slots = this[SLOTS];
    const n = Math.min(slots.length, SLOT_COUNT);
    const copy = new Array<FieldValue | undefined>(n);
    for (let f = 2; f < n; f++) {
      const value = slots[f];
      if (value !== undefined) copy[f] = typeof value === 'string' ? value : Buffer.from(value);
    }
    return adoptSlots(this.mti, copy);
  }

  /** console.log and util.inspect show the masked dump, never card data. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `IsoMessage ${describeMessage(this)}`;
  }
}
