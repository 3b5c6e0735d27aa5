/** One Jest run for unit, integration and end-to-end specs; SWC keeps decorator metadata for Nest. */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@switch/iso8583$': '<rootDir>/libs/iso8583/src',
    '^@switch/alipay$': '<rootDir>/libs/alipay/src',
  },
  testMatch: ['<rootDir>/{src,libs,test,tools}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
