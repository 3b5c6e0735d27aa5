import { loadConfig } from './app-config';
import { ConfigError } from './config-error';

/** For specs: every problem loadConfig names for `env`, one per line ('' when the config is valid). */
export function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}
