import { describeMessage } from './describe';

/** A field's value: text for n/an/ans/z fields, a Buffer only for type `b` fields. */
export type FieldValue = string | Buffer;

/**
 * Slots indexed by field number; 0 and 1 stay empty (MTI and bitmap are not fields here). Up to 129
 * long; a decoded message without a secondary bitmap gets 65, and grows if a higher field is set.
 */
export type FieldSlots = Array<FieldValue | undefined>;

/**
 * Which slots hold a value, as four 32-bit bitmap words laid out like the wire's (field 1 is the top
 * bit of word 0, which stays clear): listing the fields walks set bits instead of every slot, and a
 * decoded message takes the words straight from its frame.
 */
export type FieldPresence = number[];

const SLOT_COUNT = 129;
/** Symbol-keyed so the codec reads slots directly while JSON.stringify and the public type never see them. */
export const SLOTS: unique symbol = Symbol('iso8583.slots');
const PRESENCE: unique symbol = Symbol('iso8583.presence');

let adoptedSlots: FieldSlots | undefined;
let adoptedPresence: FieldPresence | undefined;

/**
 * For the decoder: wraps slots it has filled, without copying them. `presence` must name exactly the
 * filled slots.
 */
export function adoptSlots(mti: string, slots: FieldSlots, presence: FieldPresence): IsoMessage {
  adoptedSlots = slots;
  adoptedPresence = presence;
  return new IsoMessage(mti);
}

function checkFieldNumber(field: number): void {
  if (!Number.isInteger(field) || field < 2 || field > 128) {
    throw new RangeError(`ISO 8583 data fields are numbered 2 to 128, got ${String(field)}`);
  }
}

/** Set bits in a 32-bit word (the usual SWAR count). */
function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function setAll(
  message: IsoMessage,
  fields: Iterable<readonly [number, FieldValue]> | Record<number, FieldValue>,
): void {
  if (Symbol.iterator in fields) {
    for (const [field, value] of fields) message.set(field, value);
  } else {
    for (const key of Object.keys(fields)) {
      const field = Number(key);
      message.set(field, fields[field]);
    }
  }
}

/**
 * One ISO 8583 message: an MTI and field values. It validates nothing but field numbers: the
 * dialect validates values when it encodes, and produces only valid messages when it decodes.
 */
export class IsoMessage {
  // Declared, not class fields: plain stores in the constructor keep construction cheap.
  declare mti: string;
  declare readonly [SLOTS]: FieldSlots;
  declare readonly [PRESENCE]: FieldPresence;

  constructor(mti: string, fields?: Iterable<readonly [number, FieldValue]> | Record<number, FieldValue>) {
    // Kept short, so V8 inlines the constructor into the decoder: filling from `fields` is out of line.
    this.mti = mti;
    this[SLOTS] = adoptedSlots ?? new Array<FieldValue | undefined>(SLOT_COUNT);
    this[PRESENCE] = adoptedPresence ?? [0, 0, 0, 0];
    adoptedSlots = undefined;
    adoptedPresence = undefined;
    if (fields !== undefined) setAll(this, fields);
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
    const mask = (0x80000000 >>> ((field - 1) & 31)) | 0;
    const word = (field - 1) >> 5;
    // JavaScript callers can pass undefined: the slot is then empty, and so is its bit.
    if (value === undefined) this[PRESENCE][word] &= ~mask;
    else this[PRESENCE][word] |= mask;
    return this;
  }

  delete(field: number): this {
    checkFieldNumber(field);
    this[SLOTS][field] = undefined;
    this[PRESENCE][(field - 1) >> 5] &= ~(0x80000000 >>> ((field - 1) & 31));
    return this;
  }

  /** Present field numbers, ascending. */
  fieldNumbers(): number[] {
    const presence = this[PRESENCE];
    const w0 = presence[0];
    const w1 = presence[1];
    const w2 = presence[2];
    const w3 = presence[3];
    const numbers = new Array<number>(bitCount(w0) + bitCount(w1) + bitCount(w2) + bitCount(w3));
    let i = 0;
    for (let word = 0; word < 4; word++) {
      let bits = word === 0 ? w0 : word === 1 ? w1 : word === 2 ? w2 : w3;
      while (bits !== 0) {
        const z = Math.clz32(bits);
        bits ^= 0x80000000 >>> z;
        numbers[i++] = (word << 5) + z + 1;
      }
    }
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
    return adoptSlots(this.mti, copy, this[PRESENCE].slice());
  }

  /** console.log and util.inspect show the masked dump, never card data. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `IsoMessage ${describeMessage(this)}`;
  }
}
