import { exampleHandle } from './example-handle';

describe('exampleHandle', () => {
  it('offers bob to anyone but bob', () => {
    expect(exampleHandle('alice')).toBe('bob');
    expect(exampleHandle(null)).toBe('bob');
  });

  it('never offers a person their own handle', () => {
    expect(exampleHandle('bob')).toBe('alice');
  });
});
