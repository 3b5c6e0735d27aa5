// MAPI answers in a small, fixed XML dialect; building it by hand keeps the exact text under control
// (the MD5 sign is over the values, so escaping must be applied only to the XML, never to the signed text).

export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';

function elements(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
}

/** is_success=F: the request itself was refused (signature, partner, service, arguments). */
export function mapiRefusal(error: string): string {
  return `${PROLOG}<alipay><is_success>F</is_success><error>${xmlEscape(error)}</error></alipay>`;
}

/** is_success=T: the request was accepted; `response` holds the business result, `sign` signs it. */
export function mapiAccepted(
  request: Readonly<Record<string, string>>,
  response: Readonly<Record<string, string>>,
  sign: string,
  signType: string,
): string {
  const params = Object.entries(request)
    .map(([k, v]) => `<param name="${xmlEscape(k)}">${xmlEscape(v)}</param>`)
    .join('');
  return (
    `${PROLOG}<alipay><is_success>T</is_success><request>${params}</request>` +
    `<response><alipay>${elements(response)}</alipay></response>` +
    `<sign>${xmlEscape(sign)}</sign><sign_type>${xmlEscape(signType)}</sign_type></alipay>`
  );
}
