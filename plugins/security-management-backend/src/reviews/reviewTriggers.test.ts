import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { REVIEW_TRIGGERS } from '@open-itsm/plugin-security-management-common';
import {
  detectChanges,
  parseFacts,
  readReviewTriggers,
  ReviewFacts,
  reviewFactsOf,
  serializeFacts,
  tier1RefsOf,
} from './reviewTriggers';

const ALL = new Set(REVIEW_TRIGGERS);

const base: ReviewFacts = {
  lifecycle: 'experimental',
  owner: 'group:default/team-a',
  riskTier: 2,
  tier1Dependencies: ['resource:default/old-db'],
  providedApis: ['api:default/old-api'],
};

describe('reviewFactsOf', () => {
  it('reads lifecycle, owner, risk tier, tier-1 dependencies and APIs', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'shop',
        namespace: 'default',
        annotations: { 'security.open-itsm.dev/risk-tier': '2' },
      },
      spec: { lifecycle: ' Production ', owner: 'team-a' },
      relations: [
        { type: 'dependsOn', targetRef: 'resource:default/Payments-DB' },
        { type: 'dependsOn', targetRef: 'resource:default/cache' },
        { type: 'providesApi', targetRef: 'api:default/shop-api' },
        { type: 'providesApi', targetRef: 'api:default/shop-api' },
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ],
    };
    const tier1 = tier1RefsOf([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'payments-db',
          namespace: 'default',
          annotations: { 'security.open-itsm.dev/risk-tier': ' 1' },
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'cache',
          namespace: 'default',
          annotations: { 'security.open-itsm.dev/risk-tier': '2' },
        },
      },
    ]);
    const facts = reviewFactsOf(entity, tier1);
    expect(facts).toEqual({
      lifecycle: 'production',
      owner: 'group:default/team-a',
      riskTier: 2,
      tier1Dependencies: ['resource:default/payments-db'],
      providedApis: ['api:default/shop-api'],
    });
    expect(parseFacts(serializeFacts(facts))).toEqual(facts);
  });
});

describe('detectChanges', () => {
  const detect = (current: Partial<ReviewFacts>, triggers = ALL) =>
    detectChanges({
      previous: base,
      current: { ...base, ...current },
      triggers,
    });

  it('notices each security-relevant change', () => {
    expect(detect({ lifecycle: 'production' })).toEqual([
      {
        trigger: 'lifecycle-production',
        detail: 'lifecycle experimental → production',
      },
    ]);
    expect(detect({ owner: 'group:default/team-b' })).toEqual([
      {
        trigger: 'owner-changed',
        detail: 'owner group:default/team-a → group:default/team-b',
      },
    ]);
    expect(
      detect({
        tier1Dependencies: [
          'resource:default/new-db',
          'resource:default/old-db',
        ],
      }),
    ).toEqual([
      {
        trigger: 'tier1-dependency',
        detail: 'depends on resource:default/new-db (risk tier 1)',
      },
    ]);
    expect(
      detect({ providedApis: ['api:default/new-api', 'api:default/old-api'] }),
    ).toEqual([
      { trigger: 'provided-api', detail: 'provides api:default/new-api' },
    ]);
    expect(detect({ riskTier: 1 })).toEqual([
      { trigger: 'risk-tier-raised', detail: 'risk tier 2 → 1' },
    ]);
  });

  it('ignores changes that make things safer or say nothing new', () => {
    expect(detect({})).toEqual([]);
    expect(detect({ lifecycle: 'deprecated' })).toEqual([]);
    expect(detect({ riskTier: 3 })).toEqual([]);
    expect(detect({ tier1Dependencies: [], providedApis: [] })).toEqual([]);
    // Already in production: staying there is no change.
    expect(
      detectChanges({
        previous: { ...base, lifecycle: 'production' },
        current: { ...base, lifecycle: 'production', riskTier: 2 },
        triggers: ALL,
      }),
    ).toEqual([]);
  });

  it('reports only the configured triggers', () => {
    const everything = {
      lifecycle: 'production',
      owner: 'group:default/team-b',
      riskTier: 1,
    };
    expect(detect(everything).map(c => c.trigger)).toEqual([
      'lifecycle-production',
      'owner-changed',
      'risk-tier-raised',
    ]);
    expect(
      detect(everything, new Set(['owner-changed'] as const)).map(
        c => c.trigger,
      ),
    ).toEqual(['owner-changed']);
    expect(detect(everything, new Set())).toEqual([]);
  });
});

describe('readReviewTriggers', () => {
  it('enables every trigger by default and takes a list', () => {
    expect(readReviewTriggers(new ConfigReader({}))).toEqual(ALL);
    expect(
      readReviewTriggers(
        new ConfigReader({
          securityManagement: {
            reviews: { triggers: ['owner-changed', 'provided-api'] },
          },
        }),
      ),
    ).toEqual(new Set(['owner-changed', 'provided-api']));
    expect(
      readReviewTriggers(
        new ConfigReader({ securityManagement: { reviews: { triggers: [] } } }),
      ),
    ).toEqual(new Set());
  });

  it('refuses an unknown trigger, naming the key', () => {
    expect(() =>
      readReviewTriggers(
        new ConfigReader({
          securityManagement: { reviews: { triggers: ['owner-change'] } },
        }),
      ),
    ).toThrow(
      "Invalid config at 'securityManagement.reviews.triggers': 'owner-change' is not a review trigger",
    );
  });
});
