import { isGroupRef, splitList } from './validation';

describe('form validation', () => {
  it('accepts group refs as the backend does, with or without the kind', () => {
    expect(isGroupRef('group:default/payments')).toBe(true);
    expect(isGroupRef('Group:Default/Payments-Team')).toBe(true);
    expect(isGroupRef('payments')).toBe(true);
    expect(isGroupRef('group:default/a b')).toBe(false);
    expect(isGroupRef('group:a:b')).toBe(false);
  });

  it('splits comma- and newline-separated lists', () => {
    expect(splitList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c']);
  });
});
