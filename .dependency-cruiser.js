/**
 * The layer rules that hold today, checked by `npm run lint` (dependency-cruiser). A violation fails the
 * lint; test/lint/layer-rules.spec.ts proves each rule with a fixture that breaks it.
 */
const FRAMEWORKS = '(^|node_modules/)(@nestjs|typeorm|kafkajs|mysql2|sql\\.js)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      comment:
        'A domain imports no application, delivery, infrastructure, persistence, terminal code, Kafka, Nest or TypeORM: plain code over libs/.',
      severity: 'error',
      from: { path: '^src/[^/]+/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          '^src/[^/]+/(application|delivery|infrastructure|testing)/',
          '^src/(persistence|terminal|config|logging|admin)/',
          FRAMEWORKS,
        ],
      },
    },
    {
      name: 'libs-import-nothing-from-src',
      comment: 'libs/ are pure TypeScript usable outside the switch.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'libs-free-of-frameworks',
      comment: 'libs/ import nothing from Nest, TypeORM or Kafka.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '(^|node_modules/)(@nestjs|typeorm|kafkajs)(/|$)' },
    },
    {
      name: 'no-cycles',
      comment: 'No module reaches itself again through its imports.',
      severity: 'error',
      from: { path: '^(src|libs)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|var)/' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
