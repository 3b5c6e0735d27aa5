import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as forge from 'node-forge';
import {
  amsSignContent,
  certSn,
  extractOpenapiResponseSignContent,
  formatAmsSignatureHeader,
  generateRsaKeyPair,
  KeyFormatError,
  loadPrivateKey,
  loadPublicKey,
  mapiMd5Sign,
  mapiMd5Verify,
  mapiSignContent,
  openapiNotifySignContent,
  openapiSignContent,
  parseAmsSignatureHeader,
  rootCertSn,
  rsaSign,
  rsaVerify,
} from '../src/signing';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
const bare = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

const pair = generateRsaKeyPair();
const pkcs8Pem = pair.privateKeyPem;
const pkcs1Pem = createPrivateKey(pkcs8Pem).export({ type: 'pkcs1', format: 'pem' }).toString();
const spkiPem = pair.publicKeyPem;
const pkcs1PubPem = createPublicKey(spkiPem).export({ type: 'pkcs1', format: 'pem' }).toString();

describe('key loading', () => {
  const content = 'a=1&b=2';
  const reference = rsaSign(content, loadPrivateKey(pkcs8Pem));

  it.each([
    ['PKCS#8 PEM', pkcs8Pem],
    ['PKCS#1 PEM', pkcs1Pem],
    ['bare base64 PKCS#8', bare(pkcs8Pem)],
    ['bare base64 PKCS#1', bare(pkcs1Pem)],
  ])('reads a private key given as %s', (_label, text) => {
    // PKCS#1 v1.5 signatures are deterministic, so every form of the same key signs identically.
    expect(rsaSign(content, loadPrivateKey(text))).toBe(reference);
  });

  it.each([
    ['SPKI PEM', spkiPem],
    ['PKCS#1 PEM', pkcs1PubPem],
    ['bare base64 SPKI', bare(spkiPem)],
    ['bare base64 PKCS#1', bare(pkcs1PubPem)],
  ])('reads a public key given as %s', (_label, text) => {
    expect(rsaVerify(content, reference, loadPublicKey(text))).toBe(true);
  });

  it('reads the public key of an X.509 certificate', () => {
    const cert = fixture('app-cert.pem');
    const key = loadPrivateKey(fixture('app-cert.key'));
    expect(rsaVerify('x', rsaSign('x', key), loadPublicKey(cert))).toBe(true);
  });

  it('rejects garbage with a typed error that carries no key text', () => {
    expect(() => loadPrivateKey('not a key!')).toThrow(KeyFormatError);
    expect(() => loadPublicKey('AAAA')).toThrow(KeyFormatError);
    expect(() => loadPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(
      /^cannot read private key/,
    );
  });
});

describe('rsaSign / rsaVerify', () => {
  const priv = loadPrivateKey(pkcs8Pem);
  const pub = loadPublicKey(spkiPem);

  it('RSA2 is SHA256withRSA and RSA is SHA1withRSA', () => {
    const sig2 = rsaSign('hello 世界', priv, 'RSA2');
    const sig1 = rsaSign('hello 世界', priv, 'RSA');
    const f = forge.pki.publicKeyFromPem(spkiPem);
    const sha256 = forge.md.sha256.create().update('hello 世界', 'utf8');
    const sha1 = forge.md.sha1.create().update('hello 世界', 'utf8');
    expect(f.verify(sha256.digest().bytes(), forge.util.decode64(sig2))).toBe(true);
    expect(f.verify(sha1.digest().bytes(), forge.util.decode64(sig1))).toBe(true);
    expect(rsaVerify('hello 世界', sig2, pub)).toBe(true);
    expect(rsaVerify('hello 世界', sig1, pub, 'RSA')).toBe(true);
    expect(rsaVerify('hello 世界', sig1, pub, 'RSA2')).toBe(false);
    expect(Buffer.from(sig2, 'base64')).toHaveLength(256);
  });

  it('returns false, never throws, on tampered content and garbage signatures', () => {
    const sig = rsaSign('amount=100', priv);
    expect(rsaVerify('amount=101', sig, pub)).toBe(false);
    expect(rsaVerify('amount=100', '', pub)).toBe(false);
    expect(rsaVerify('amount=100', '%%%not base64%%%', pub)).toBe(false);
    expect(rsaVerify('amount=100', 'AAAA', pub)).toBe(false);
    expect(rsaVerify('amount=100', undefined as unknown as string, pub)).toBe(false);
    const other = loadPublicKey(generateRsaKeyPair().publicKeyPem);
    expect(rsaVerify('amount=100', sig, other)).toBe(false);
  });
});

describe('AMS signing', () => {
  it('builds the documented sign content', () => {
    expect(amsSignContent('POST', '/ams/api/v1/payments/pay', 'SANDBOX_5Y', '1685599933871', '{"a":1}')).toBe(
      'POST /ams/api/v1/payments/pay\nSANDBOX_5Y.1685599933871.{"a":1}',
    );
    expect(amsSignContent('post', '/n', 'C', 'T', '')).toBe('POST /n\nC.T.');
  });

  it('formats the Signature header with a URL-encoded signature and keyVersion 1 by default', () => {
    expect(formatAmsSignatureHeader('ab+/c==')).toBe('algorithm=RSA256,keyVersion=1,signature=ab%2B%2Fc%3D%3D');
    expect(formatAmsSignatureHeader('x', '7')).toBe('algorithm=RSA256,keyVersion=7,signature=x');
  });

  it('parses headers back to the plain base64, tolerating order, case and spaces', () => {
    expect(parseAmsSignatureHeader('algorithm=RSA256,keyVersion=1,signature=ab%2B%2Fc%3D%3D')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: 'ab+/c==',
    });
    expect(parseAmsSignatureHeader('Signature=ab%2Bc, Algorithm=RSA256')).toEqual({
      algorithm: 'RSA256',
      signature: 'ab+c',
    });
    expect(parseAmsSignatureHeader('algorithm=RSA256,keyVersion=1')).toBeUndefined();
    expect(parseAmsSignatureHeader('')).toBeUndefined();
    expect(parseAmsSignatureHeader('signature=%E0%A4%A')).toBeUndefined();
  });

  it('a signature made and formatted verifies after parsing', () => {
    const priv = loadPrivateKey(pkcs8Pem);
    const content = amsSignContent('POST', '/ams/api/v1/payments/cancel', 'C1', '1', '{"paymentRequestId":"p"}');
    const parsed = parseAmsSignatureHeader(formatAmsSignatureHeader(rsaSign(content, priv)));
    expect(parsed && rsaVerify(content, parsed.signature, loadPublicKey(spkiPem))).toBe(true);
  });
});

describe('Open Platform signing', () => {
  const params = {
    sign: 'SHOULD_GO',
    sign_type: 'RSA2',
    app_id: '2021',
    method: 'alipay.trade.pay',
    biz_content: '{"out_trade_no":"a&b=c","total_amount":"0.01"}',
    charset: 'utf-8',
    empty: '',
    missing: undefined,
    Zeta: 'upper sorts before lower',
  };

  it('request rule: drops sign and empties, keeps sign_type, sorts ASCII, raw values', () => {
    expect(openapiSignContent(params)).toBe(
      'Zeta=upper sorts before lower&app_id=2021&biz_content={"out_trade_no":"a&b=c","total_amount":"0.01"}' +
        '&charset=utf-8&method=alipay.trade.pay&sign_type=RSA2',
    );
  });

  it('notify rule (v1): also drops sign_type', () => {
    expect(openapiNotifySignContent({ sign_type: 'RSA2', sign: 's', trade_status: 'TRADE_SUCCESS', a: '1' })).toBe(
      'a=1&trade_status=TRADE_SUCCESS',
    );
  });

  it('extracts the exact raw response node, keeping escapes and whitespace', () => {
    const node = '{ "code":"10000","msg":"Success","buyer_logon_id":"a\\/b\\"}{","x" : {"y":"}"} }';
    const raw = `{"alipay_trade_pay_response" :  ${node},"sign":"abc"}`;
    expect(extractOpenapiResponseSignContent(raw, 'alipay.trade.pay')).toBe(node);
  });

  it('extracts the node before alipay_cert_sn in certificate mode, and error_response as a fallback', () => {
    const node = '{"code":"10000","msg":"Success"}';
    expect(
      extractOpenapiResponseSignContent(
        `{"alipay_trade_query_response":${node},"alipay_cert_sn":"abc","sign":"s"}`,
        'alipay.trade.query',
      ),
    ).toBe(node);
    const err = '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}';
    expect(extractOpenapiResponseSignContent(`{"error_response":${err},"sign":"s"}`, 'alipay.trade.query')).toBe(err);
    expect(extractOpenapiResponseSignContent('{"other":{}}', 'alipay.trade.query')).toBeUndefined();
    expect(extractOpenapiResponseSignContent('{"alipay_trade_query_response":{"a":"', 'alipay.trade.query')).toBeUndefined();
  });

  it('ignores the node name when it appears as a string value rather than a key', () => {
    const node = '{"code":"10000"}';
    const raw = `{"note":"alipay_trade_pay_response","alipay_trade_pay_response":${node}}`;
    expect(extractOpenapiResponseSignContent(raw, 'alipay.trade.pay')).toBe(node);
  });
});

describe('MAPI signing', () => {
  it('sign content drops sign, sign_type and empties, sorted', () => {
    expect(mapiSignContent({ b: '2', sign: 'x', sign_type: 'MD5', a: '1', c: '' })).toBe('a=1&b=2');
  });

  it('MD5 sign is md5(content + key), key appended directly', () => {
    const key = '760bdzec6y9goq7ctyx96ezkz78287de';
    // Hand-computed from the rule: md5("a=1&b=2760bdzec6y9goq7ctyx96ezkz78287de").
    expect(mapiMd5Sign({ b: '2', a: '1', sign_type: 'MD5' }, key)).toBe(md5('a=1&b=2' + key));
    expect(mapiMd5Sign({ b: '2', a: '1' }, key)).toBe('eba3ec3a4c07f0520d90b13c527fb064');
  });

  it('verifies case-insensitively and rejects anything else', () => {
    const key = 'k'.repeat(32);
    const sign = mapiMd5Sign({ a: '1' }, key);
    expect(mapiMd5Verify({ a: '1', sign, sign_type: 'MD5' }, sign.toUpperCase(), key)).toBe(true);
    expect(mapiMd5Verify({ a: '2' }, sign, key)).toBe(false);
    expect(mapiMd5Verify({ a: '1' }, 'zz', key)).toBe(false);
  });
});

describe('certificate serial numbers', () => {
  it('certSn = md5(issuer DN most-specific first + decimal serial)', () => {
    const pem = fixture('app-cert.pem');
    const serialDecimal = BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString(10);
    expect(serialDecimal).toBe('123456789012345678901234567890');
    expect(certSn(pem)).toBe(
      md5('CN=Switch Test Root RSA,OU=Certification Authority,O=Switch Test,C=CN123456789012345678901234567890'),
    );
  });

  it('rootCertSn keeps only RSA-signed certificates of the chain', () => {
    const chain = fixture('root-chain.pem');
    // The chain is an RSA root (serial 0x0A1B2C3D, self-issued) followed by an ECDSA root that is skipped.
    expect(rootCertSn(chain)).toBe(
      md5(`CN=Switch Test Root RSA,OU=Certification Authority,O=Switch Test,C=CN${0x0a1b2c3d}`),
    );
    const rsaRoot = chain.slice(0, chain.indexOf('-----END CERTIFICATE-----') + 25);
    expect(rootCertSn(`${rsaRoot}\n${rsaRoot}`)).toBe(`${certSn(rsaRoot)}_${certSn(rsaRoot)}`);
  });

  it('throws a typed error on something that is not a certificate', () => {
    expect(() => certSn('nothing here')).toThrow(KeyFormatError);
    expect(() => certSn('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(KeyFormatError);
  });
});
