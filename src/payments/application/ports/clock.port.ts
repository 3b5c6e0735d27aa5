/** The time source; UTC. Injected so tests control time. */
export interface Clock {
  now(): Date;
}
