import { linkSorted, SignParams } from './params';

/** v2 request rule: every parameter except `sign` (sign_type IS signed), empties dropped, sorted. */
export function openapiSignContent(params: SignParams): string {
  return linkSorted(params, ['sign']);
}

/** v1 async-notify rule: drop `sign` AND `sign_type`. Values must already be form-decoded. */
export function openapiNotifySignContent(params: SignParams): string {
  return linkSorted(params, ['sign', 'sign_type']);
}

/**
 * The exact raw text of the `<method_with_underscores>_response` (or `error_response`) JSON value, as
 * Alipay signed it: re-serialising parsed JSON would lose escapes such as `\/` and break the signature.
 */
export function extractOpenapiResponseSignContent(rawBody: string, method: string): string | undefined {
  const node = `${method.replace(/\./g, '_')}_response`;
  return rawObjectValue(rawBody, node) ?? rawObjectValue(rawBody, 'error_response');
}

function rawObjectValue(raw: string, key: string): string | undefined {
  const needle = `"${key}"`;
  let from = 0;
  for (;;) {
    const at = raw.indexOf(needle, from);
    if (at < 0) return undefined;
    let i = at + needle.length;
    while (i < raw.length && isJsonSpace(raw.charCodeAt(i))) i++;
    if (raw[i] === ':') {
      i++;
      while (i < raw.length && isJsonSpace(raw.charCodeAt(i))) i++;
      if (raw[i] !== '{') return undefined;
      const end = matchingBrace(raw, i);
      return end < 0 ? undefined : raw.slice(i, end + 1);
    }
    from = at + 1;
  }
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Index of the `}` closing the object opened at `open`, skipping braces inside strings; -1 if unbalanced. */
function matchingBrace(raw: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < raw.length; i++) {
    const ch = raw[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
