import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC (not esbuild/oxc) transforms the TypeScript: Nest's DI needs the decorator metadata that only it emits.
// It reads .swcrc at the repo root; tsconfig.json's decorator settings agree with it.
const backingServices = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/setup-env.ts'],
  testTimeout: 20_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  plugins: [swc.vite({ swcrc: true })],
  test: {
    pool: 'forks',
    // 2 cores: more workers only add contention with PostgreSQL and Redis.
    maxWorkers: 2,
    teardownTimeout: 15_000,
    // Console output only from failing tests: keeps a green run short and a red one readable.
    silent: 'passed-only',
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.spec.ts'], testTimeout: 5_000 },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.int-spec.ts'], ...backingServices },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.e2e-spec.ts'], ...backingServices },
      },
    ],
  },
});
