import { Field, type IsoMessage } from '@switch/iso8583';

/**
 * The character sets of the fields that name things the switch looks up (docs/terminal-interface.md): 37 RRN
 * (an 12: letters and digits), 41 terminal id and 42 merchant id (letters and digits, right-padded with
 * spaces). The codec accepts any printable ASCII for them (ans); these are checked before any lookup, so a
 * quote, backslash or wildcard never reaches a query, a cache key or a log as an identifier.
 */
const IDENTIFIER_FIELDS: ReadonlyArray<{ field: number; name: string; pattern: RegExp }> = [
  { field: Field.Rrn, name: '37 (RRN)', pattern: /^[A-Za-z0-9]{12}$/ },
  { field: Field.TerminalId, name: '41 (terminal id)', pattern: /^[A-Za-z0-9]+ *$/ },
  { field: Field.MerchantId, name: '42 (merchant id)', pattern: /^[A-Za-z0-9]+ *$/ },
];

/** The first identifier field outside its character set, as text for the log; undefined when all are fine. */
export function identifierFieldProblem(message: IsoMessage): string | undefined {
  for (const { field, name, pattern } of IDENTIFIER_FIELDS) {
    const value = message.get(field);
    if (value !== undefined && !pattern.test(value)) return `field ${name} outside its character set`;
  }
  return undefined;
}
