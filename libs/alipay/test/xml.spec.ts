import { childOf, decodeXmlEntities, leafMap, parseXml, XmlParseError } from '../src/mapi/xml';

describe('xml reader', () => {
  it('reads declarations, comments, attributes, CDATA, self-closing tags and nested elements', () => {
    const root = parseXml(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a x="1" y=\'t&amp;u\'>\n  <b>one &lt;two&gt; &#38; &#x4E2D;</b>\n  <c/><d><![CDATA[<raw> & stuff]]></d><e></e>\n</a>\n',
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: 't&u' });
    expect(childOf(root, 'b')?.text).toBe('one <two> & 中');
    expect(leafMap(root)).toEqual({ b: 'one <two> & 中', c: '', d: '<raw> & stuff', e: '' });
  });

  it('keeps unknown entities literally (no DTD, no expansion)', () => {
    expect(decodeXmlEntities('&foo; &amp; &#xZZ;')).toBe('&foo; & &#xZZ;');
  });

  it.each([
    ['', 'expected <'],
    ['<a>', 'unclosed <a>'],
    ['<a></b>', '</b> closes <a>'],
    ['<a><![CDATA[x</a>', 'unterminated CDATA'],
    ['<a x=1></a>', 'expected a quoted value'],
    ['<a></a><b></b>', 'content after the root element'],
    ['<a>' + '<x>'.repeat(40), 'nesting too deep'],
  ])('rejects %j with a typed error (%s)', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlParseError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});
