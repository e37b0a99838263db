import { OSCAL_UUID_NAMESPACE, oscalUuid, uuidV5 } from './uuid';

describe('uuidV5', () => {
  it('gives the UUIDs of RFC 4122 name-based version 5', () => {
    // The DNS namespace of RFC 4122 and a name whose v5 UUID is well known.
    expect(
      uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
    ).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives each object of the exports its own UUID, the same every time', () => {
    const ref = 'component:default/payments-api';
    expect(oscalUuid('component', ref)).toBe(oscalUuid('component', ref));
    expect(oscalUuid('component', ref)).toBe(
      uuidV5(`component\u0000${ref}`, OSCAL_UUID_NAMESPACE),
    );
    expect(oscalUuid('component', ref)).not.toBe(
      oscalUuid('component-definition', ref),
    );
    expect(oscalUuid('component', ref)).not.toBe(
      oscalUuid('component', 'component:default/ledger'),
    );
  });
});
