export * from './in-memory-payments-db';
export * from './in-memory-merchants';
export * from './scripted-channel';
export * from './fixtures';
export * from './test-engine';
export * from './repository-contract';
