import { Entity } from '@backstage/catalog-model';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  isSecurityControlEntity,
  SecurityControlEntityV1alpha1,
} from './SecurityControlEntityV1alpha1';
import { securityControlProblems } from './validateSecurityControl';

// The example catalog that `yarn start` loads lives at the repository root.
const examplesDir = path.resolve(__dirname, '../../../../examples');

function readControls(file: string): SecurityControlEntityV1alpha1[] {
  const text = fs.readFileSync(path.join(examplesDir, file), 'utf8');
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length) {
        throw new Error(
          `${file}: ${doc.errors.map(e => e.message).join('; ')}`,
        );
      }
      return doc.toJS() as Entity;
    })
    .filter(isSecurityControlEntity);
}

describe('examples/controls.yaml', () => {
  const controls = readControls('controls.yaml');

  it('holds a library of at least 12 controls', () => {
    expect(controls.length).toBeGreaterThanOrEqual(12);
    const names = controls.map(c => c.metadata.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has only valid controls', () => {
    const problems = controls.flatMap(c =>
      securityControlProblems(c).map(p => `${c.metadata.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('covers technical, organizational and procedural controls', () => {
    const categories = new Set<string>(controls.map(c => c.spec.category));
    expect(categories).toContain('technical');
    expect(categories).toContain('organizational');
    expect(categories).toContain('procedural');
  });

  it.each(['nist-sp-800-53-rev5', 'iso-27001-2022'])(
    'maps every control to %s',
    framework => {
      const unmapped = controls
        .filter(c => !c.spec.frameworks?.some(f => f.framework === framework))
        .map(c => c.metadata.name);
      expect(unmapped).toEqual([]);
    },
  );

  it('uses the id formats of each framework', () => {
    const formats: Record<string, RegExp> = {
      'nist-sp-800-53-rev5': /^[A-Z]{2}-\d{1,2}(\(\d{1,2}\))?$/,
      'iso-27001-2022': /^A\.[5-8]\.\d{1,2}$/,
      'soc2-2017': /^(CC\d\.\d|A1\.\d|C1\.\d|PI1\.\d|P\d\.\d)$/,
    };
    const wrong = controls.flatMap(c =>
      (c.spec.frameworks ?? [])
        .filter(f => !formats[f.framework]?.test(f.ref))
        .map(f => `${c.metadata.name}: ${f.framework} ${f.ref}`),
    );
    expect(wrong).toEqual([]);
  });
});

describe('examples/broken-control.yaml', () => {
  it('holds one control that fails with messages naming its fields', () => {
    const controls = readControls('broken-control.yaml');
    expect(controls).toHaveLength(1);
    const problems = securityControlProblems(controls[0]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^spec\.testing\.cadence '90 days'/),
        expect.stringMatching(
          /^spec\.appliesTo\[0\]\.team is not a selector key/,
        ),
      ]),
    );
    expect(controls[0].metadata.description).toMatch(/deliberately broken/i);
  });
});
