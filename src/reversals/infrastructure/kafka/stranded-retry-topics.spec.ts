import { forwardingTopics } from './kafka.config';
import { strandedRetryTopics } from './stranded-retry-topics';

describe('strandedRetryTopics', () => {
  it('finds the retry topics of a longer former layout, with the attempt each holds', () => {
    const topics = forwardingTopics('switch.reversals', 2);
    const existing = [
      'switch.reversals',
      'switch.reversals.retry.1',
      'switch.reversals.retry.2',
      'switch.reversals.retry.14',
      'switch.reversals.retry.3',
      'switch.reversals.dlq',
      'switch.reversalsXretry.5', // a dot in the prefix is a dot, not any character
      'other.reversals.retry.3',
      'switch.reversals.retry.3x',
    ];
    expect(strandedRetryTopics(existing, topics)).toEqual([
      { topic: 'switch.reversals.retry.3', attempt: 4 },
      { topic: 'switch.reversals.retry.14', attempt: 15 },
    ]);
    expect(strandedRetryTopics(['switch.reversals.retry.1'], topics)).toEqual([]);
  });
});
