import { leaksFound } from './leak-scan';

// Runs after every e2e test file: no response of any of its apps may have carried a secret.
afterAll(() => {
  expect(leaksFound()).toEqual([]);
});
