/** One notification to one recipient: what the ledger keeps once. */
export interface Delivery {
  /** Entity ref of the owner the notification is addressed to. */
  recipient: string;
  /** The topic as Backstage shows it. */
  topic: string;
  /** What makes it the same notification: a day, an event, a caller's key. */
  key: string;
}

/**
 * The notifications delivered, so each is sent once across replicas and
 * retries: a delivery is claimed before it is sent, and only one claim of
 * it ever succeeds.
 */
export interface DeliveryLedger {
  /**
   * Claims deliveries before they are sent, in one statement: returns
   * those this call claimed; the others were claimed before, here or on
   * another replica.
   */
  claim(options: { deliveries: Delivery[]; now: Date }): Promise<Delivery[]>;
  /** Records that claimed deliveries were sent. */
  markSent(options: { deliveries: Delivery[]; now: Date }): Promise<void>;
  /** Gives up a claim whose sending failed, so that a later call retries it. */
  release(options: { delivery: Delivery }): Promise<void>;
  /** Forgets deliveries of a topic claimed before a time. */
  prune(options: { topic: string; claimedBefore: Date }): Promise<number>;
}
