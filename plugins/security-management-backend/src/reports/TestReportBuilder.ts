import { InputError, NotFoundError } from '@backstage/errors';
import {
  TEST_RESULTS,
  TestReport,
  TestReportItem,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { ReportStore, TestReportScope } from './ReportStore';

/** The most tests one test report lists; a longer period is refused. */
export const MAX_TEST_REPORT_TESTS = 50_000;

const iso = (millis: number) => new Date(millis).toISOString();

/**
 * Builds the test report of a control, an entity or one pair for a period:
 * every test tested within it, newest first, with result, method, tester,
 * evidence and notes, and the applicable pairs that went untested.
 */
export class TestReportBuilder {
  readonly #applicability: ApplicabilityStore;
  readonly #store: ReportStore;

  constructor(options: {
    applicability: ApplicabilityStore;
    store: ReportStore;
  }) {
    this.#applicability = options.applicability;
    this.#store = options.store;
  }

  /**
   * Throws NotFoundError when neither the catalog nor any test record
   * knows the control or the entity, and InputError when the period holds
   * more than {@link MAX_TEST_REPORT_TESTS} tests.
   */
  async build(options: {
    scope: TestReportScope;
    from: number;
    to: number;
    now: Date;
  }): Promise<TestReport> {
    const { scope, from, to } = options;
    const [[control], entity, tests, pairs] = await Promise.all([
      scope.controlRef
        ? this.#applicability.getControls([scope.controlRef])
        : [],
      scope.entityRef
        ? this.#applicability.getEntity(scope.entityRef)
        : undefined,
      this.#store.listTests({
        scope,
        from,
        to,
        limit: MAX_TEST_REPORT_TESTS + 1,
      }),
      this.#store.applicablePairs(scope),
    ]);
    if (scope.controlRef && !control) {
      await this.requireTests({ controlRef: scope.controlRef });
    }
    if (scope.entityRef && !entity) {
      await this.requireTests({ entityRef: scope.entityRef });
    }
    if (tests.length > MAX_TEST_REPORT_TESTS) {
      throw new InputError(
        `Invalid query parameters: from: the period holds more than ${MAX_TEST_REPORT_TESTS} tests; choose a shorter one`,
      );
    }

    const byResult = Object.fromEntries(
      TEST_RESULTS.map(result => [result, 0]),
    ) as Record<TestResult, number>;
    const tested = new Set<string>();
    const items = tests.map((test): TestReportItem => {
      byResult[test.result] += 1;
      tested.add(JSON.stringify([test.entityRef, test.controlRef]));
      return {
        ...test,
        testedAt: iso(test.testedAt),
        recordedAt: iso(test.recordedAt),
      };
    });
    const notTested = pairs.filter(
      pair => !tested.has(JSON.stringify([pair.entityRef, pair.controlRef])),
    );
    return {
      generatedAt: options.now.toISOString(),
      period: { from: iso(from), to: iso(to) },
      ...(scope.controlRef
        ? {
            control: {
              ref: scope.controlRef,
              title: control?.title,
              cadence: control?.cadence,
              method: control?.method,
            },
          }
        : {}),
      ...(scope.entityRef
        ? {
            entity: {
              ref: scope.entityRef,
              title: entity?.title,
              owner: entity?.owner,
            },
          }
        : {}),
      summary: {
        tests: items.length,
        byResult,
        applicable: pairs.length,
        testedInPeriod: pairs.length - notTested.length,
      },
      tests: items,
      notTested,
    };
  }

  /** A control or entity unknown to the catalog is known by its tests, if any. */
  private async requireTests(scope: TestReportScope): Promise<void> {
    if (await this.#store.hasTests(scope)) return;
    const [what, ref] = scope.controlRef
      ? ['control', scope.controlRef]
      : ['entity', scope.entityRef];
    throw new NotFoundError(
      `No ${what} '${ref}' in the catalog, and no test records name it`,
    );
  }
}
