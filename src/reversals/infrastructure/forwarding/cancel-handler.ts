/** The Kafka consumer's handler: one delivery of a cancel order is one CancelWorker attempt. */
import type { CancelWorker } from '../../application/cancel-worker';
import type { ForwardedMessage, ForwardingHandler, HandlerOutcome } from '../kafka';

export function cancelHandler(worker: CancelWorker): ForwardingHandler {
  return async (message: ForwardedMessage): Promise<HandlerOutcome> => {
    // `attempt` comes from the topic the copy was read from (main = 1, retry topic k = k + 1), so it counts
    // the tries of this order across every worker that handled it.
    const result = await worker.attempt(message.key, message.value.toString('utf8'), message.attempt);
    switch (result.kind) {
      case 'done':
        return 'done';
      case 'retry':
        // The retry topic's own wait (the policy's next step) applies; nothing extra is asked for.
        return { retryAfterMs: 0, reason: result.detail };
      case 'dead':
        return { dead: result.reason };
    }
  };
}
