import { createHash } from 'node:crypto';
import * as forge from 'node-forge';
import { KeyFormatError } from './errors';

// Certificate-mode serial numbers (app_cert_sn, alipay_root_cert_sn, alipay_cert_sn). Certificates are read
// at the ASN.1 level with node-forge because Alipay's root chain also holds non-RSA (SM2/ECC) certificates,
// which forge's high-level certificate parser rejects; we only need issuer, serial and signature OID.

const RSA_SIGNATURE_OID_PREFIX = '1.2.840.113549.1.1';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

interface CertFields {
  issuerAttributes: { shortName: string; value: string }[];
  serialDecimal: string;
  signatureOid: string;
}

/** md5(issuer DN in "CN=..,OU=..,O=..,C=.." order + serial in decimal), lowercase hex. */
export function certSn(certPem: string): string {
  const blocks = pemCertificates(certPem);
  if (blocks.length === 0) throw new KeyFormatError('certificate');
  return snOf(readCert(blocks[0]));
}

/** SNs of the RSA-signed certificates of a root chain, joined with "_" (others are skipped, as Alipay does). */
export function rootCertSn(chainPem: string): string {
  const blocks = pemCertificates(chainPem);
  if (blocks.length === 0) throw new KeyFormatError('certificate chain');
  return blocks
    .map(readCert)
    .filter((c) => c.signatureOid.startsWith(RSA_SIGNATURE_OID_PREFIX))
    .map(snOf)
    .join('_');
}

function snOf(cert: CertFields): string {
  // X500Principal.getName() lists the RDNs most-specific first, the reverse of their DER order.
  const dn = [...cert.issuerAttributes]
    .reverse()
    .map((a) => `${a.shortName}=${a.value}`)
    .join(',');
  return createHash('md5').update(dn + cert.serialDecimal, 'utf8').digest('hex');
}

function pemCertificates(text: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

function readCert(der: Buffer): CertFields {
  try {
    const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const [tbs, sigAlg] = children(cert);
    const tbsFields = children(tbs);
    // tbsCertificate: [0] EXPLICIT version (optional), serialNumber, signature, issuer, ...
    const first = tbsFields[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    const serialBytes = tbsFields[first].value as string;
    const issuer = tbsFields[first + 2];
    const signatureOid = forge.asn1.derToOid(children(sigAlg)[0].value as string);
    return {
      issuerAttributes: rdnAttributes(issuer),
      serialDecimal: BigInt(`0x${forge.util.bytesToHex(serialBytes) || '0'}`).toString(10),
      signatureOid,
    };
  } catch (err) {
    if (err instanceof KeyFormatError) throw err;
    throw new KeyFormatError('certificate');
  }
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  if (!Array.isArray(node.value)) throw new KeyFormatError('certificate');
  return node.value;
}

function rdnAttributes(name: forge.asn1.Asn1): { shortName: string; value: string }[] {
  const out: { shortName: string; value: string }[] = [];
  for (const set of children(name)) {
    for (const attr of children(set)) {
      const [type, value] = children(attr);
      const oid = forge.asn1.derToOid(type.value as string);
      out.push({ shortName: SHORT_NAMES[oid] ?? oid, value: decodeString(value) });
    }
  }
  return out;
}

function decodeString(node: forge.asn1.Asn1): string {
  const bytes = node.value as string;
  if (node.type === forge.asn1.Type.UTF8) return forge.util.decodeUtf8(bytes);
  if (node.type === forge.asn1.Type.BMPSTRING) return Buffer.from(bytes, 'binary').swap16().toString('utf16le');
  return bytes;
}
