import { isEntityRef, isHttpUrl, splitList } from './validation';

describe('form validation', () => {
  it('accepts entity refs with a kind, as the backend does', () => {
    expect(isEntityRef('component:shop')).toBe(true);
    expect(isEntityRef('Group:Default/Payments-Team')).toBe(true);
    expect(isEntityRef('shop')).toBe(false);
    expect(isEntityRef('component:default/a b')).toBe(false);
    expect(isEntityRef('group:a:b')).toBe(false);
  });

  it('accepts only absolute http(s) URLs as evidence', () => {
    expect(isHttpUrl('https://ci.example.com/runs/1')).toBe(true);
    expect(isHttpUrl('ftp://example.com')).toBe(false);
    expect(isHttpUrl('not a url')).toBe(false);
  });

  it('splits comma- and newline-separated lists', () => {
    expect(splitList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c']);
  });
});
