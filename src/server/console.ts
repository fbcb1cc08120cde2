/**
 * Serves the console (the web app built into dist/console by `npm run build`) under /console/,
 * compressed, and redirects / there. The app routes in the URL fragment, so every other path
 * under /console/ that does not name a file answers with index.html; a file that is not in the
 * build (under assets/, or with an extension) answers 404. No token is needed to load the app: it holds no data, and asks for the
 * operator token before it reads anything from /api/v1.
 *
 * @example
 *   void app.register(consoleRoutes); // in the server's route registration
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PREFIX = '/console/';

/**
 * What the console may load: only this node. MapLibre runs its worker from a same-origin file and
 * styles its canvas from script; the map's boundaries are bundled, so nothing is fetched elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** dist/console, seen from dist/src/server (built) or from src/server (tests run the sources). */
export function consoleRoot(): string {
  const candidates = ['../../console/', '../../dist/console/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

export async function consoleRoutes(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? consoleRoot();
  const indexFile = join(root, 'index.html');

  app.get('/', async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 302));

  if (!existsSync(indexFile)) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The Parley console is not built on this node (no ${indexFile}). Run 'npm run build' and restart the node; the operator API at /api/v1 works without it.\n`);
    app.get('/console', notBuilt);
    app.get('/console/*', notBuilt);
    return;
  }

  // Brotli or gzip for the app and its assets (the map chunk is 1.8 MB as built). A middling brotli
  // quality: hashed assets are cached for good by the browser, so each is compressed about once
  // per officer, and a node's CPU serves the hotline first.
  await app.register(fastifyCompress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  });

  const index = readFileSync(indexFile);
  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').header('content-security-policy', CONTENT_SECURITY_POLICY).type('text/html; charset=utf-8').send(index);

  await app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PREFIX,
    // One route per built file (found at start-up), so the fallback below can own /console/*.
    wildcard: false,
    index: false,
    decorateReply: false,
    setHeaders: (reply, path) => {
      void reply.header('x-content-type-options', 'nosniff');
      // Vite names assets by their content hash: they never change under the same name.
      if (path.includes('/assets/')) void reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/console', async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 301));
  app.get('/console/', sendIndex);
  // The app for a navigation (a bookmark, a reload); a missing file — an old build's asset, a
  // mistyped name — is a real 404, so a script tag never runs a page of HTML.
  app.get('/console/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const isFile = path.startsWith('assets/') || /\.[A-Za-z0-9]{1,8}$/.test(path);
    if (!isFile) return sendIndex(request, reply);
    return reply
      .code(404)
      .header('cache-control', 'no-cache')
      .type('application/json; charset=utf-8')
      .send({ error: { code: 'PARLEY_ERR_NOT_FOUND', message: `no file ${CONSOLE_PREFIX}${path} in this node's console build (a newer build may have replaced it: reload the console)` } });
  });
}
