import {
  TestRecord,
  TestRecordInput,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import {
  applicabilityProblems,
  controlsByRef,
  entitiesByRef,
} from '../applicability/lookups';
import { inputError, isFuture } from '../lib/inputProblems';
import { TestingStore } from './TestingStore';

/**
 * The rules a test record must satisfy beyond its shape: its entity and
 * control exist and apply to each other, and it was not tested in the
 * future; its method defaults to the control's.
 */
export class TestingService {
  readonly #applicability: ApplicabilityStore;
  readonly #testing: TestingStore;

  constructor(options: {
    applicability: ApplicabilityStore;
    testing: TestingStore;
  }) {
    this.#applicability = options.applicability;
    this.#testing = options.testing;
  }

  /**
   * Stores test records after checking all of them; one bad record rejects
   * the whole request, with every problem named.
   */
  async recordTests(options: {
    records: TestRecordInput[];
    tester: string;
    now: Date;
    batch: boolean;
  }): Promise<Array<{ record: TestRecord; created: boolean }>> {
    const { records, tester, now, batch } = options;
    const entities = await entitiesByRef(
      this.#applicability,
      records.map(r => r.entityRef),
    );
    const controls = await controlsByRef(
      this.#applicability,
      records.map(r => r.controlRef),
    );
    const problems: string[] = [];
    const prepared = records.map((record, index) => {
      const prefix = batch ? `records[${index}].` : '';
      const found = applicabilityProblems({
        entity: entities.get(record.entityRef),
        entityRef: record.entityRef,
        controlRef: record.controlRef,
        prefix,
      });
      const control = controls.get(record.controlRef);
      if (!found.length && !control) {
        found.push(
          `${prefix}controlRef: unknown control '${record.controlRef}'`,
        );
      }
      if (record.testedAt && isFuture(record.testedAt, now)) {
        found.push(
          `${prefix}testedAt: ${record.testedAt} is more than 5 minutes in the future`,
        );
      }
      problems.push(...found);
      return {
        ...record,
        testedAt: record.testedAt ?? now.toISOString(),
        method: record.method ?? control?.method ?? 'manual',
      };
    });
    if (problems.length) throw inputError(problems);
    return this.#testing.addTestRecords({
      records: prepared,
      tester,
      now,
    });
  }
}
