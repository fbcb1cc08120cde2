/**
 * Serves the console (the web app built into dist/console by `npm run build`) under /console/,
 * and redirects / there. The app routes in the URL fragment, so every other path under /console/
 * that is not a built file answers with index.html (a bookmark of an old build's asset still
 * opens the console). No token is needed to load the app: it holds no data, and asks for the
 * operator token before it reads anything from /api/v1.
 *
 * @example
 *   void app.register(consoleRoutes); // in the server's route registration
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
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
  app.get('/console/*', sendIndex);
}
