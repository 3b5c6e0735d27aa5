// A small, strict-enough XML reader for MAPI's fixed response shape. No DTDs, no custom entities (so no
// entity expansion attacks), a depth limit, and only the five predefined entities plus character references.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Direct text content (CDATA included), entities decoded; children's text is not included. */
  text: string;
}

export class XmlParseError extends Error {
  readonly code = 'ALIPAY.XML';
  constructor(message: string, at: number) {
    super(`${message} at offset ${at}`);
    this.name = 'XmlParseError';
  }
}

const MAX_DEPTH = 32;
const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

export function parseXml(source: string): XmlElement {
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string): never => {
    throw new XmlParseError(message, i);
  };
  const skipUntil = (end: string): void => {
    const at = source.indexOf(end, i);
    if (at < 0) fail(`unterminated, expected ${end}`);
    i = at + end.length;
  };
  const skipSpace = (): void => {
    while (i < source.length && /\s/.test(source[i])) i++;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', i)) skipUntil('?>');
      else if (source.startsWith('<!--', i)) skipUntil('-->');
      else if (source.startsWith('<!DOCTYPE', i)) skipUntil('>');
      else return;
    }
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(source);
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };

  const readElement = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    if (source[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const attr = readName();
      skipSpace();
      if (source[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = source.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute');
      el.attributes[attr] = decodeXmlEntities(source.slice(i + 1, end));
      i = end + 1;
    }
    let text = '';
    for (;;) {
      if (i >= source.length) fail(`unclosed <${el.name}>`);
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (source[i] !== '>') fail('expected >');
        i++;
        el.text = text;
        return el;
      }
      if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i + 9);
        if (end < 0) fail('unterminated CDATA');
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith('<!--', i)) {
        skipUntil('-->');
      } else if (source.startsWith('<?', i)) {
        skipUntil('?>');
      } else if (source[i] === '<') {
        el.children.push(readElement(depth + 1));
      } else {
        const next = source.indexOf('<', i);
        const end = next < 0 ? source.length : next;
        text += decodeXmlEntities(source.slice(i, end));
        i = end;
      }
    }
  };

  skipMisc();
  const root = readElement(0);
  skipMisc();
  if (i < source.length) fail('content after the root element');
  return root;
}

export function childOf(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Leaf children as name -> exact text (the shape MAPI signs and answers in). */
export function leafMap(el: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!el) return out;
  for (const c of el.children) if (c.children.length === 0) out[c.name] = c.text;
  return out;
}
