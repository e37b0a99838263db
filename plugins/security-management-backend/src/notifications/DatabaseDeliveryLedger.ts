import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { Delivery, DeliveryLedger } from './DeliveryLedger';

const TABLE = 'notification_deliveries';

function keyOf(row: {
  recipient: string;
  topic: string;
  delivery_key: string;
}): string {
  return JSON.stringify([row.recipient, row.topic, row.delivery_key]);
}

/**
 * The delivery ledger on the plugin's database. A claim is an insert that
 * the primary key (recipient, topic, key) refuses when the delivery was
 * claimed before. `INSERT ... ON CONFLICT DO NOTHING RETURNING` is one
 * atomic statement (its own transaction) on SQLite and PostgreSQL alike: it
 * returns the row only to the claim that inserted it, and a concurrent
 * claim waits for the first to commit before it is refused.
 */
export class DatabaseDeliveryLedger implements DeliveryLedger {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeliveryLedger> {
    return new DatabaseDeliveryLedger(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async claim(options: {
    deliveries: Delivery[];
    now: Date;
  }): Promise<Delivery[]> {
    const { deliveries, now } = options;
    if (deliveries.length === 0) return [];
    const rows: Array<{
      recipient: string;
      topic: string;
      delivery_key: string;
    }> = await this.db(TABLE)
      .insert(
        deliveries.map(delivery => ({
          recipient: delivery.recipient,
          topic: delivery.topic,
          delivery_key: delivery.key,
          claimed_at: now.getTime(),
          sent_at: null,
        })),
      )
      .onConflict(['recipient', 'topic', 'delivery_key'])
      .ignore()
      .returning(['recipient', 'topic', 'delivery_key']);
    const claimed = new Set(rows.map(row => keyOf(row)));
    return deliveries.filter(delivery =>
      claimed.has(
        keyOf({
          recipient: delivery.recipient,
          topic: delivery.topic,
          delivery_key: delivery.key,
        }),
      ),
    );
  }

  async markSent(options: {
    deliveries: Delivery[];
    now: Date;
  }): Promise<void> {
    const { deliveries, now } = options;
    if (deliveries.length === 0) return;
    await this.db(TABLE)
      .where(q => {
        for (const delivery of deliveries) {
          q.orWhere(one => this.#where(one, delivery));
        }
      })
      .update({ sent_at: now.getTime() });
  }

  async release(options: { delivery: Delivery }): Promise<void> {
    await this.#where(this.db(TABLE), options.delivery)
      .whereNull('sent_at')
      .delete();
  }

  async prune(options: {
    topic: string;
    claimedBefore: Date;
  }): Promise<number> {
    return this.db(TABLE)
      .where('topic', options.topic)
      .where('claimed_at', '<', options.claimedBefore.getTime())
      .delete();
  }

  #where(query: Knex.QueryBuilder, delivery: Delivery): Knex.QueryBuilder {
    return query
      .where('recipient', delivery.recipient)
      .where('topic', delivery.topic)
      .where('delivery_key', delivery.key);
  }
}
