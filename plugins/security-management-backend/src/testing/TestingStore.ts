import {
  Page,
  ScheduleQuery,
  TestingSchedule,
  TestRecord,
  TestRecordInput,
  TestRecordQuery,
} from '@open-itsm/plugin-security-management-common';

/** A test record to store, its defaults filled in. */
export type NewTestRecord = TestRecordInput & {
  testedAt: string;
  method: string;
};

/** The test records of each (entity, control) pair, and what is due. */
export interface TestingStore {
  /** Idempotent by externalId; concurrent identical posts create one record. */
  addTestRecords(options: {
    records: NewTestRecord[];
    tester: string;
    now: Date;
  }): Promise<Array<{ record: TestRecord; created: boolean }>>;
  listTestRecords(query: TestRecordQuery): Promise<Page<TestRecord>>;

  /** Tests and reviews due in a window, overdue, or never done. */
  schedule(options: {
    query: Required<Pick<ScheduleQuery, 'from' | 'to'>> & ScheduleQuery;
    now: Date;
  }): Promise<TestingSchedule>;
}
