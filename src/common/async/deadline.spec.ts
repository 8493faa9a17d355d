import { rejectAfter, settlesWithin } from './deadline';

const after = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('boom')) : resolve(value)), ms));

describe('settlesWithin', () => {
  it('is true when the promise settles in time, whether it fulfils or rejects', async () => {
    expect(await settlesWithin(after(5, 'x'), 500)).toBe(true);
    expect(await settlesWithin(after(5, 'x', true), 500)).toBe(true);
  });

  it('is false when the promise is still pending at the deadline', async () => {
    const started = Date.now();
    expect(await settlesWithin(new Promise(() => undefined), 30)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('rejectAfter', () => {
  it('passes the value or the rejection of a timely promise through', async () => {
    await expect(rejectAfter(after(5, 42), 500, () => new Error('late'))).resolves.toBe(42);
    await expect(rejectAfter(after(5, 0, true), 500, () => new Error('late'))).rejects.toThrow('boom');
  });

  it('rejects with the given error at the deadline', async () => {
    await expect(rejectAfter(new Promise(() => undefined), 20, () => new Error('late'))).rejects.toThrow('late');
  });
});
