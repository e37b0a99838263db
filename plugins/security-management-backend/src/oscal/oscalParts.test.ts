import {
  componentType,
  libraryControlId,
  oneLine,
  oscalControlId,
  prop,
  propsOf,
} from './oscalParts';
import { safeHref } from './safeHref';

describe('OSCAL parts', () => {
  it('writes framework refs as the control ids of NIST catalogs', () => {
    expect(oscalControlId('AC-2(1)')).toBe('ac-2.1');
    expect(oscalControlId('SC-8')).toBe('sc-8');
    expect(oscalControlId('SC-8 (1)')).toBe('sc-8.1');
    expect(oscalControlId('AC-2(4)(a)')).toBe('ac-2.4.a');
    expect(oscalControlId('A.8.24')).toBe('a.8.24');
    expect(oscalControlId('CC6.7')).toBe('cc6.7');
    // A token starts with a letter or an underscore.
    expect(oscalControlId('5.1 Policies')).toBe('_5.1-policies');
  });

  it('names a library control by its name, and its namespace when not default', () => {
    expect(
      libraryControlId('securitycontrol:default/encrypt-data-in-transit'),
    ).toBe('encrypt-data-in-transit');
    expect(libraryControlId('securitycontrol:payments/pci-scan')).toBe(
      'payments.pci-scan',
    );
    expect(libraryControlId('securitycontrol:default/2fa')).toBe('_2fa');
  });

  it('keeps property values on one line and leaves out empty ones', () => {
    expect(oneLine('  Restore took\n5 hours ')).toBe('Restore took 5 hours');
    expect(prop('notes', ' \n ')).toBeUndefined();
    expect(prop('risk-tier', 1)).toEqual({
      name: 'risk-tier',
      ns: 'https://security.open-itsm.dev/ns/oscal',
      value: '1',
    });
    expect(propsOf(undefined, prop('a', ''))).toBeUndefined();
  });

  it('makes only components that are not operated software', () => {
    const subject = { entityRef: 'x', kind: 'Component', riskTier: 3 };
    expect(componentType({ ...subject, type: 'service' })).toBe('service');
    expect(componentType({ ...subject, type: 'website' })).toBe('service');
    expect(componentType({ ...subject, type: 'library' })).toBe('software');
    expect(componentType(subject)).toBe('service');
    expect(
      componentType({ ...subject, kind: 'Resource', type: 'database' }),
    ).toBe('service');
  });

  it('writes evidence URLs as RFC 3986 URI references, without credentials', () => {
    expect(safeHref('https://ci.example.com/runs/1?a=b#log')).toBe(
      'https://ci.example.com/runs/1?a=b#log',
    );
    expect(safeHref('https://wiki.example.com/a|b^c[d]{e} f')).toBe(
      'https://wiki.example.com/a%7Cb%5Ec%5Bd%5D%7Be%7D%20f',
    );
    expect(safeHref('https://x.example.com/100%')).toBe(
      'https://x.example.com/100%25',
    );
    expect(safeHref('https://user:secret@x.example.com/a')).toBe(
      'https://x.example.com/a',
    );
    expect(safeHref('ftp://x.example.com/a')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });
});
