import { securityRequirementProblems } from '@open-itsm/plugin-security-management-common';
import {
  BASIC_CATALOG,
  fixtureJson,
  LOW_BASELINE,
} from './__testUtils__/fixtures';
import { oscalToRequirements } from './oscalToRequirements';

const options = {
  framework: 'nist-sp-800-53-rev5',
  owner: 'group:default/security-team',
};

/**
 * Controls and enhancements of a catalog counted straight from the JSON:
 * every object in a `controls` array, at any depth, under any group.
 */
function countControls(node: any): { controls: number; enhancements: number } {
  const counts = { controls: 0, enhancements: 0 };
  const walk = (value: any, insideControl: boolean) => {
    if (Array.isArray(value)) {
      value.forEach(item => walk(item, insideControl));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const group of value.groups ?? []) walk(group, false);
    for (const control of value.controls ?? []) {
      counts[insideControl ? 'enhancements' : 'controls']++;
      walk(control, true);
    }
  };
  walk(node.catalog, false);
  return counts;
}

describe('oscalToRequirements on the SP 800-53 rev5 LOW baseline', () => {
  const document = fixtureJson(LOW_BASELINE);
  const requirements = oscalToRequirements(document, options);
  const byId = (id: string) =>
    requirements.find(requirement => requirement.spec.controlId === id)!;

  it('makes one requirement per control and enhancement: 131 + 18 = 149', () => {
    const counted = countControls(document);
    expect(counted).toEqual({ controls: 131, enhancements: 18 });
    expect(requirements).toHaveLength(149);
    expect(requirements.filter(r => r.spec.parent)).toHaveLength(18);
    expect(new Set(requirements.map(r => r.metadata.name)).size).toBe(149);
  });

  it('keeps ids, labels, families and parents', () => {
    expect(byId('ac-2').metadata).toEqual({
      name: 'nist-sp-800-53-rev5-ac-2',
      title: 'Account Management',
    });
    expect(byId('ac-2').spec).toMatchObject({
      framework: 'nist-sp-800-53-rev5',
      frameworkTitle:
        'NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE',
      controlId: 'ac-2',
      label: 'AC-2',
      family: 'Access Control',
      owner: 'group:default/security-team',
    });
    expect(byId('ac-2').spec.parent).toBeUndefined();
    expect(byId('ia-2.1').metadata.name).toBe('nist-sp-800-53-rev5-ia-2.1');
    expect(byId('ia-2.1').spec).toMatchObject({
      label: 'IA-2(1)',
      parent: 'ia-2',
      family: 'Identification and Authentication',
    });
    expect(byId('sr-11.2').spec.label).toBe('SR-11(2)');
  });

  it('writes statements with their labels and parameters substituted', () => {
    const statement = byId('ac-2').spec.statement;
    expect(statement).toContain(
      'a. Define and document the types of accounts allowed and specifically prohibited for use within the system;',
    );
    expect(statement).toContain(
      'c. Require [Assignment: organization-defined prerequisites and criteria] for group and role membership;',
    );
    expect(statement).toContain(
      '\n  1. [Assignment: organization-defined time period] when accounts are no longer required;',
    );
    expect(byId('ac-7').spec.statement).toContain(
      'b. Automatically [Selection (one or more): lock the account or node for [Assignment: organization-defined time period]; lock the account or node until released by an administrator;',
    );
    // An aggregating parameter's label already says "organization-defined".
    expect(byId('ac-1').spec.statement).toContain(
      'a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:',
    );
    expect(byId('ia-2.1').spec.statement).toBe(
      'Implement multi-factor authentication for access to privileged accounts.',
    );
    for (const requirement of requirements) {
      expect(requirement.spec.statement).not.toContain('{{');
      expect(requirement.spec.testProcedure ?? '').not.toContain('{{');
    }
  });

  it('keeps guidance and the assessment objectives and methods as the test procedure', () => {
    const ac2 = byId('ac-2').spec;
    expect(ac2.guidance).toMatch(/^Examples of system account types include/);
    expect(ac2.testProcedure).toContain('Assessment objectives:');
    expect(ac2.testProcedure).toContain(
      '    AC-02a.[01] account types allowed for use within the system are defined and documented;',
    );
    expect(ac2.testProcedure).toContain(
      'Assessment methods:\nEXAMINE:\n  Access control policy\n',
    );
    expect(ac2.testProcedure).toContain('INTERVIEW:');
    expect(ac2.testProcedure).toContain('TEST:');
  });

  it('makes only valid SecurityRequirements', () => {
    for (const requirement of requirements) {
      expect(securityRequirementProblems(requirement)).toEqual([]);
    }
  });
});

describe('oscalToRequirements on other catalogs', () => {
  it("reads NIST's basic catalog: nested groups, a parameter inside a choice", () => {
    const requirements = oscalToRequirements(
      fixtureJson(BASIC_CATALOG),
      options,
    );
    expect(requirements.map(r => [r.spec.controlId, r.spec.label])).toEqual([
      ['s1.1.1', '1.1.1'],
      ['s1.1.2', '1.1.2'],
      ['s2.1.1', '2.1.1'],
      ['s2.1.2', '2.1.2'],
    ]);
    expect(requirements[0].spec.family).toBe('Internal Organization');
    expect(requirements[0].spec.statement).toContain(
      'A value has been assigned to [Selection (one or more): initiating a device lock after [Assignment: organization-defined a duration] of inactivity; requiring the user to initiate a device lock before leaving the system unattended].',
    );
  });

  it('uses values a profile set, derives missing labels and leaves withdrawn controls out', () => {
    const document = {
      catalog: {
        metadata: { title: ' Tailored catalog ' },
        controls: [
          {
            id: 'xy-1',
            title: 'Tailored',
            params: [
              { id: 'xy-1_prm_1', label: 'frequency', values: ['daily'] },
            ],
            parts: [
              {
                name: 'statement',
                prose: 'Review logs {{ insert: param, xy-1_prm_1 }}.',
              },
            ],
            controls: [
              {
                id: 'xy-1.3',
                title: 'Enhanced',
                parts: [{ name: 'statement', prose: 'Do more.' }],
              },
            ],
          },
          {
            id: 'xy-2',
            title: 'Gone',
            props: [{ name: 'status', value: 'withdrawn' }],
          },
        ],
      },
    };
    const requirements = oscalToRequirements(document, options);
    expect(
      requirements.map(r => ({
        id: r.spec.controlId,
        label: r.spec.label,
        statement: r.spec.statement,
        parent: r.spec.parent,
        title: r.spec.frameworkTitle,
      })),
    ).toEqual([
      {
        id: 'xy-1',
        label: 'XY-1',
        statement: 'Review logs daily.',
        parent: undefined,
        title: 'Tailored catalog',
      },
      {
        id: 'xy-1.3',
        label: 'XY-1(3)',
        statement: 'Do more.',
        parent: 'xy-1',
        title: 'Tailored catalog',
      },
    ]);
  });
});
