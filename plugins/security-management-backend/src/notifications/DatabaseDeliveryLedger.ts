import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import { Delivery, DeliveryLedger } from './DeliveryLedger';

const TABLE = 'notification_deliveries';

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

  async claim(options: { delivery: Delivery; now: Date }): Promise<boolean> {
    const { delivery, now } = options;
    const rows = await this.db(TABLE)
      .insert({
        recipient: delivery.recipient,
        topic: delivery.topic,
        delivery_key: delivery.key,
        claimed_at: now.getTime(),
        sent_at: null,
      })
      .onConflict(['recipient', 'topic', 'delivery_key'])
      .ignore()
      .returning('recipient');
    return rows.length > 0;
  }

  async markSent(options: { delivery: Delivery; now: Date }): Promise<void> {
    await this.#where(this.db(TABLE), options.delivery).update({
      sent_at: options.now.getTime(),
    });
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
