import {
  FrameworkCoverage,
  FrameworkList,
  StatementOfApplicability,
} from '@open-itsm/plugin-security-management-common';

export const NIST = 'nist-sp-800-53-rev5';
export const SHOP = 'component:default/shop';

const counts = (overrides: Partial<Record<string, number>> = {}) => ({
  passing: 0,
  failing: 0,
  overdue: 0,
  untested: 0,
  excepted: 0,
  ...overrides,
});

export function frameworkList(): FrameworkList {
  return {
    items: [
      {
        framework: NIST,
        title: 'NIST SP 800-53 Rev 5 LOW baseline',
        source: 'imported',
        requirementCount: 149,
        controlCount: 12,
      },
      {
        framework: 'iso-27001-2022',
        title: 'ISO/IEC 27001:2022 Annex A',
        source: 'mapped',
        requirementCount: 9,
        controlCount: 8,
      },
    ],
  };
}

export function soa(
  overrides: Partial<StatementOfApplicability> = {},
): StatementOfApplicability {
  return {
    entityRef: SHOP,
    entityTitle: 'Shop',
    framework: NIST,
    frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
    source: 'imported',
    generatedAt: '2026-11-30T00:00:00.000Z',
    summary: {
      requirementCount: 2,
      applicableCount: 1,
      notApplicableCount: 1,
      byStatus: counts({ failing: 1 }),
    },
    requirements: [
      {
        requirementRef: `securityrequirement:default/${NIST}-ac-2`,
        controlId: 'ac-2',
        label: 'AC-2',
        title: 'Account Management',
        applicable: false,
        justification: 'No control in the library satisfies this requirement.',
        controls: [],
      },
      {
        requirementRef: `securityrequirement:default/${NIST}-sc-8`,
        controlId: 'sc-8',
        label: 'SC-8',
        title: 'Transmission Confidentiality and Integrity',
        applicable: true,
        status: 'failing',
        controls: [
          {
            controlRef: 'securitycontrol:default/encrypt-data-in-transit',
            title: 'Encrypt data in transit',
            applies: true,
            status: 'failing',
            lastResult: 'fail',
            lastTestedAt: '2026-11-20T10:00:00.000Z',
            evidenceUrl: 'https://ci.example.com/runs/7',
          },
        ],
      },
    ],
    warnings: [
      {
        controlRef: 'securitycontrol:default/encrypt-data-in-transit',
        controlTitle: 'Encrypt data in transit',
        ref: 'SC-99',
        message: 'names no requirement',
      },
    ],
    ...overrides,
  };
}

export function coverage(): FrameworkCoverage {
  return {
    framework: NIST,
    frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
    source: 'imported',
    generatedAt: '2026-11-30T00:00:00.000Z',
    summary: {
      requirementCount: 2,
      coveredCount: 1,
      uncoveredCount: 1,
      byStatus: {
        ...counts({ failing: 1 }),
        'not-applied': 0,
        uncovered: 1,
      },
    },
    requirements: [
      {
        requirementRef: `securityrequirement:default/${NIST}-ac-2`,
        controlId: 'ac-2',
        label: 'AC-2',
        title: 'Account Management',
        family: 'Access Control',
        covered: false,
        status: 'uncovered',
        applicableCount: 0,
        counts: counts(),
        controls: [],
      },
      {
        requirementRef: `securityrequirement:default/${NIST}-sc-8`,
        controlId: 'sc-8',
        label: 'SC-8',
        title: 'Transmission Confidentiality and Integrity',
        family: 'System and Communications Protection',
        covered: true,
        status: 'failing',
        applicableCount: 3,
        counts: counts({ failing: 1, passing: 2 }),
        controls: [
          {
            controlRef: 'securitycontrol:default/encrypt-data-in-transit',
            title: 'Encrypt data in transit',
            applicableCount: 3,
            counts: counts({ failing: 1, passing: 2 }),
          },
        ],
      },
    ],
    warnings: [],
  };
}
