import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `npm run build` writes dist/ (served by `vite preview`, or any static server); `npm test`
// runs the unit tests of src/lib with vitest.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  test: { include: ['src/**/*.test.ts', 'cli/**/*.test.ts'] },
});
