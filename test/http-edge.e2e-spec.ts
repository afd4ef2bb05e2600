/**
 * What the HTTP edge does differently by deployment: the CSP's upgrade-insecure-requests only
 * where BASE_URL is https.
 */
import request from 'supertest';
import { createTestApp, TestApp } from './utils/test-app';

describe('HTTP edge by deployment (e2e)', () => {
  describe('Content-Security-Policy', () => {
    let plain: TestApp;
    let secure: TestApp;

    beforeAll(async () => {
      [plain, secure] = await Promise.all([
        createTestApp({ name: 'edge_http', env: { BASE_URL: 'http://quiz.test:3000' } }),
        createTestApp({ name: 'edge_https', env: { BASE_URL: 'https://quiz.example.com' } }),
      ]);
    });
    afterAll(async () => Promise.all([plain?.close(), secure?.close()]));

    it('served over plain http: no upgrade-insecure-requests, no COOP (browsers ignore it there)', async () => {
      const res = await request(plain.url).get('/docs').expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    });

    it('served over https: upgrade-insecure-requests and COOP', async () => {
      const res = await request(secure.url).get('/docs').expect(200);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    });
  });
});
