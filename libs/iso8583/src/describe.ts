import { SENSITIVE_FIELDS } from './fields';
import type { IsoMessage } from './message';
import { ISO87_FIELDS } from './specs/iso87.fields';

export interface DescribeOptions {
  /** Show sensitive fields in clear. For a developer's terminal only: never for logs. */
  readonly unmasked?: boolean;
}

/**
 * A readable dump, one field per line. Sensitive fields are masked by default: the PAN keeps its
 * first 6 and last 4 digits (PCI DSS 3.3), the others show only their length.
 */
export function describeMessage(message: IsoMessage, options: DescribeOptions = {}): string {
  const lines = [`MTI ${message.mti}`];
  for (const field of message.fieldNumbers()) {
    const value = readValue(message, field);
    const name = ISO87_FIELDS[field]?.description ?? 'Unknown field';
    const shown =
      options.unmasked === true || !SENSITIVE_FIELDS.has(field) ? clear(value) : masked(field, value);
    lines.push(`${String(field).padStart(3)} ${name}: ${shown}`);
  }
  return lines.join('\n');
}

function readValue(message: IsoMessage, field: number): string | Buffer {
  const text = message.has(field) ? tryText(message, field) : undefined;
  return text ?? message.getBinary(field)!;
}

function tryText(message: IsoMessage, field: number): string | undefined {
  try {
    return message.get(field);
  } catch {
    return undefined;
  }
}

function clear(value: string | Buffer): string {
  return typeof value === 'string' ? `[${value}]` : `<${value.toString('hex').toUpperCase()}>`;
}

function masked(field: number, value: string | Buffer): string {
  if (typeof value !== 'string') return `<masked, ${value.length} bytes>`;
  if (field === 2 && value.length >= 13) {
    return `[${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}]`;
  }
  return `<masked, ${value.length} chars>`;
}
