import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'native-host/**/*.test.ts', 'extension/**/*.test.{ts,tsx}', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          // Firefox ESR gathers no UDP candidate on loopback (NOTES in tests/e2e-veth/README.md):
          // these run in a namespace that also has a veth pair with no way out.
          name: 'e2e-veth',
          include: ['tests/e2e-veth/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real browsers and PBX processes: one file at a time on a 2-core machine.
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
