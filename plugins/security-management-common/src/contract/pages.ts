import { z } from 'zod';
import { limitSchema, offsetSchema } from './validation';

/*
 * How the contract's lists are shaped, for the schema files of -common
 * (not exported from the package: the schemas they build are).
 */

/** A page of items and how many there are in all. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), totalCount: z.number().int() });
}

/** A list of items without paging. */
export function itemsOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item) });
}

/** The paging query parameters, to spread into a query schema. */
export const paging = { limit: limitSchema, offset: offsetSchema };
