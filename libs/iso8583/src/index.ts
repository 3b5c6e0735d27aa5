/** ISO 8583 wire codec: pure functions over Buffer, no framework imports. */
export { IsoMessage, type FieldValue } from './message';
export { Field, SENSITIVE_FIELDS, type FieldName, type FieldNumber } from './fields';
export {
  asciiDialect,
  createDialect,
  nacBcdDialect,
  type DecodedFrame,
  type Dialect,
  type DialectName,
  type EncodeOptions,
} from './dialect';
export {
  FrameTooLargeError,
  Iso8583Error,
  SpecError,
  type Iso8583ErrorCode,
  type Iso8583ErrorContext,
} from './errors';
export { LengthPrefixedFramer } from './framing/length-prefixed-framer';
export { createTpdu, DEFAULT_TPDU, swapTpdu, TPDU_LENGTH } from './framing/tpdu';
export { retailMac, verifyMac } from './mac';
export { describeMessage, type DescribeOptions } from './describe';
export { requireFields } from './require-fields';
export { fieldsInBitmap } from './bitmap';
export { MAX_PAYLOAD_BYTES } from './pack';
export { encoding, type Encoding, type EncodingName } from './encoding';
export { prefix, type Prefixer, type PrefixerName } from './prefix';
export type { BcdPadding, FieldSpec, FieldType } from './field/field-spec';
export {
  defineSpec,
  formatSpec,
  mergeSpec,
  specToJson,
  type FieldSpecJson,
  type MessageSpec,
  type SpecDefinition,
} from './specs/define-spec';
export { asciiSpec } from './specs/ascii.message-spec';
export { nacBcdSpec } from './specs/nac-bcd.message-spec';
export { ISO87_FIELDS, type Iso87Field, type LengthFormat } from './specs/iso87.fields';
