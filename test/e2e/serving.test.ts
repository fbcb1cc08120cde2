/**
 * How a node serves the console: / leads to /console/, built files as they are (hashed assets
 * cached for good), every other path under /console/ the app itself, a node without a build says
 * so — and none of it needs a token or touches the API's refusals.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../src/server/console.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'parley-console-'));
  dirs.push(root);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Parley console</title>');
  writeFileSync(join(root, 'assets/index-abc123.js'), 'console.log(1)');
  return root;
}

async function app(root: string) {
  const a = Fastify({ logger: false });
  await a.register(async (scope) => consoleRoutes(scope, { root }));
  return a;
}

describe('serving the console', () => {
  it('redirects / to /console/ and answers the app with a content security policy', async () => {
    const a = await app(fakeBuild());
    const home = await a.inject('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/console/');
    const index = await a.inject('/console/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(index.body).toContain('Parley console');
    expect((await a.inject('/console')).headers.location).toBe('/console/');
    await a.close();
  });

  it('serves built files, hashed assets cached for good, and the app for any other navigation under /console/; a missing file is a 404', async () => {
    const a = await app(fakeBuild());
    const asset = await a.inject('/console/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/console/dashboard', '/console/findings/ab12']) {
      const r = await a.inject(path);
      expect(r.statusCode, path).toBe(200);
      expect(r.body, path).toContain('Parley console');
    }
    for (const path of ['/console/assets/gone-000.js', '/console/assets/MapPage-old.css', '/console/favicon.ico']) {
      const r = await a.inject(path);
      expect(r.statusCode, path).toBe(404);
      expect(r.headers['content-type'], path).toMatch(/^application\/json/);
      expect(r.json().error.code, path).toBe('PARLEY_ERR_NOT_FOUND');
    }
    // Nothing outside the build is reachable.
    for (const path of ['/console/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/console/..%2f..%2f..%2f..%2fetc/passwd', '/console/assets/../../../../etc/passwd']) {
      const r = await a.inject(path);
      expect(r.body, path).not.toContain('root:');
    }
    await a.close();
  });

  it('compresses what it serves (brotli, else gzip), byte for byte the same once decoded', async () => {
    const root = fakeBuild();
    const big = `export const data = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ i, name: `area ${i}` })))};\n`;
    writeFileSync(join(root, 'assets/big-def456.js'), big);
    const a = await app(root);
    const br = await a.inject({ url: '/console/assets/big-def456.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(big.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(big);
    const gz = await a.inject({ url: '/console/assets/big-def456.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(big);
    const plain = await a.inject({ url: '/console/assets/big-def456.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(big);
    await a.close();
  });

  it('a node without a build says how to make one', async () => {
    const a = await app(join(tmpdir(), 'parley-no-console-here'));
    const r = await a.inject('/console/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build');
    await a.close();
  });
});
