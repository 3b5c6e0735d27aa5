export * from './outbox.port';
export * from './early-reversal.store.port';
export * from './manual-interventions.port';
export * from './cancel-jobs.port';
export * from './reversals-log.port';
export * from './tokens';
