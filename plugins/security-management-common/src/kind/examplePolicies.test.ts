import { Entity } from '@backstage/catalog-model';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { normalizeEntityRef } from '../refs';
import { isSecurityControlEntity } from './SecurityControlEntityV1alpha1';
import {
  isSecurityPolicyEntity,
  SecurityPolicyEntityV1alpha1,
} from './SecurityPolicyEntityV1alpha1';
import {
  policyNextReviewAt,
  securityPolicyProblems,
} from './validateSecurityPolicy';

// The example catalog that `yarn start` loads lives at the repository root.
const examplesDir = path.resolve(__dirname, '../../../../examples');

function read(file: string): Entity[] {
  const text = fs.readFileSync(path.join(examplesDir, file), 'utf8');
  return parseAllDocuments(text).map(doc => {
    if (doc.errors.length) {
      throw new Error(`${file}: ${doc.errors.map(e => e.message).join('; ')}`);
    }
    return doc.toJS() as Entity;
  });
}

describe('examples/policies.yaml', () => {
  const policies = read('policies.yaml').filter(isSecurityPolicyEntity);
  const byName = new Map(policies.map(p => [p.metadata.name, p]));
  const controls = new Set(
    read('controls.yaml')
      .filter(isSecurityControlEntity)
      .map(c => `securitycontrol:default/${c.metadata.name}`),
  );
  const controlRefs = (policy: SecurityPolicyEntityV1alpha1) =>
    policy.spec.statements.flatMap(s =>
      s.controls.map(c =>
        normalizeEntityRef(c, { defaultKind: 'securitycontrol' }),
      ),
    );

  it('holds only valid policies', () => {
    const problems = policies.flatMap(p =>
      securityPolicyProblems(p).map(
        problem => `${p.metadata.name}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('is a tree: the IT Security Policy at the root, 3 to 5 policies under it', () => {
    const roots = policies.filter(p => !p.spec.parent);
    expect(roots.map(p => p.metadata.title)).toEqual(['IT Security Policy']);
    const children = policies.filter(
      p => p.spec.parent === 'it-security-policy',
    );
    expect(children.length).toBeGreaterThanOrEqual(3);
    expect(children.length).toBeLessThanOrEqual(5);
    expect(children.length).toBe(policies.length - 1);
    expect(roots[0].spec.status).toBe('approved');
  });

  it('names controls of the example library, but for the one that shows the warning', () => {
    const missing = policies.flatMap(p =>
      controlRefs(p)
        .filter(ref => !controls.has(ref!))
        .map(ref => `${p.metadata.name}: ${ref}`),
    );
    expect(missing).toEqual([
      'cryptography-policy: securitycontrol:default/hsm-key-custody',
    ]);
  });

  it('has one draft and one policy past its review date', () => {
    expect(
      policies.filter(p => p.spec.status === 'draft').map(p => p.metadata.name),
    ).toEqual(['incident-management-policy']);
    const access = byName.get('access-control-policy')!;
    expect(policyNextReviewAt(access.spec)).toBe('2026-09-15T00:00:00.000Z');
    const others = policies
      .filter(p => p !== access && p.spec.status === 'approved')
      .map(p => policyNextReviewAt(p.spec)!);
    expect(others.every(at => at > '2027-01-01')).toBe(true);
  });
});
