import { defineConfig } from '@playwright/test';

// Browser tests of the app against a live dev node with the simulator providers: the node's
// ws URL comes in LLMNET_RPC (tests/tests/web.rs starts node, simulator and providers, then
// runs `npx playwright test`). Chromium is Debian's (`/usr/bin/chromium`, or $CHROMIUM):
// Playwright's own browser downloads are not used.
const port = Number(process.env.LLMNET_WEB_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 300_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
