import { matchFramework } from './frameworkRequirements';

const NIST = 'nist-sp-800-53-rev5';
const stored = (controlId: string, label: string) => ({
  requirementRef: `securityrequirement:default/${NIST}-${controlId}`,
  framework: NIST,
  frameworkTitle: 'LOW baseline',
  controlId,
  label,
});

describe('matchFramework', () => {
  it('matches mappings by id or label however they are written, once per control', () => {
    const matched = matchFramework({
      framework: NIST,
      requirements: [stored('ac-2.1', 'AC-2(1)'), stored('ac-10', 'AC-10')],
      controls: [
        {
          controlRef: 'securitycontrol:default/a',
          title: 'A',
          frameworks: [
            { framework: NIST, ref: 'AC-02(01)' },
            { framework: NIST, ref: 'ac-2.1' },
          ],
        },
        {
          controlRef: 'securitycontrol:default/b',
          title: 'B',
          frameworks: [
            { framework: NIST, ref: 'AC-10' },
            { framework: 'iso-27001-2022', ref: 'AC-2(1)' },
          ],
        },
      ],
    });
    expect(matched?.requirements).toEqual([
      expect.objectContaining({
        label: 'AC-2(1)',
        controls: [{ controlRef: 'securitycontrol:default/a', title: 'A' }],
      }),
      expect.objectContaining({
        label: 'AC-10',
        controls: [{ controlRef: 'securitycontrol:default/b', title: 'B' }],
      }),
    ]);
    expect(matched?.warnings).toEqual([]);
  });

  it('makes one requirement per ref of a framework only mapped, in natural order', () => {
    const matched = matchFramework({
      framework: 'soc2-2017',
      requirements: [],
      controls: [
        {
          controlRef: 'securitycontrol:default/a',
          title: 'A',
          frameworks: [
            { framework: 'soc2-2017', ref: 'CC6.10' },
            { framework: 'soc2-2017', ref: 'CC6.7' },
          ],
        },
        {
          controlRef: 'securitycontrol:default/b',
          title: 'B',
          frameworks: [{ framework: 'soc2-2017', ref: 'cc6.7' }],
        },
      ],
    });
    expect(matched).toMatchObject({
      title: 'SOC 2 Trust Services Criteria (2017)',
      source: 'mapped',
      requirements: [
        { label: 'CC6.7', controls: [{ title: 'A' }, { title: 'B' }] },
        { label: 'CC6.10', controls: [{ title: 'A' }] },
      ],
    });
    expect(
      matchFramework({ framework: 'other', requirements: [], controls: [] }),
    ).toBeUndefined();
  });
});
