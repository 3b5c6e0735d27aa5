/** The manual-intervention list's port lives with the cancellation that fills it (src/payments). */
export * from '../../../payments/application/ports/manual-interventions.port';
