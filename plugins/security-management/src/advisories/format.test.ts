import { advisory, finding } from '../__testUtils__/advisories';
import {
  advisoryUrl,
  describeFindingStatus,
  describeKev,
  describeMatch,
} from './format';

describe('advisory formatting', () => {
  it('links an advisory to its first web reference', () => {
    // A feed's reference is not trusted to be a safe link.
    const script = ['java', 'script:alert(1)'].join('');
    expect(
      advisoryUrl(
        advisory({
          references: [script, 'https://example.com/a', 'x'],
        }),
      ),
    ).toBe('https://example.com/a');
  });

  it('links to osv.dev or the NVD when there is no web reference', () => {
    expect(advisoryUrl(advisory({ references: [] }))).toBe(
      'https://osv.dev/vulnerability/GHSA-3h5v-q93c-6h6q',
    );
    expect(
      advisoryUrl(
        advisory({ id: 'CVE-2021-44228', source: 'kev', references: [] }),
      ),
    ).toBe('https://nvd.nist.gov/vuln/detail/CVE-2021-44228');
    expect(
      advisoryUrl(advisory({ id: 'VENDOR-1', source: 'kev', references: [] })),
    ).toBeUndefined();
  });

  it('words a not-affected status with its justification', () => {
    expect(
      describeFindingStatus({
        status: 'not-affected',
        justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
      }),
    ).toBe(
      'Not affected — vulnerable code cannot be controlled by an adversary',
    );
    expect(describeFindingStatus({ status: 'acknowledged' })).toBe(
      'Acknowledged',
    );
  });

  it('says which package, version and range make a finding match', () => {
    expect(describeMatch(finding().matches[0])).toBe(
      'ws 8.17.0 — >=8.0.0 <8.17.1 (SBOM)',
    );
  });

  it("spells out CISA's required action and due date", () => {
    expect(
      describeKev({
        kevRequiredAction: 'Apply updates per vendor instructions.',
        kevDueDate: '2021-12-24',
      }),
    ).toMatch(
      /Required action: Apply updates per vendor instructions\. CISA due date: Dec 24, 2021\.$/,
    );
    expect(describeKev({ kevDueDate: 'soon' })).toMatch(/CISA due date: soon/);
  });
});
