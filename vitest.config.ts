import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code they test (*.test.ts); e2e/ is Playwright's.
export default defineConfig({
  test: {
    include: ['{shared,server,client,bench}/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
  },
});
