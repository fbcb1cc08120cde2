/**
 * `parley token issue|list|revoke`: operator tokens of a node folder. tokens.json keeps each
 * token's hash, role and expiry — never the token: `issue` prints a new one this once. Rotation is
 * issuing the new token and revoking the old one; a running node reads the change within a second.
 */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { ROLES, type Role } from '../../http/auth.js';
import { DEFAULT_TOKEN_TTL_MS, issueToken, readTokenFile, writeTokenFile } from '../../http/tokens.js';
import { loadNode, tokensPath } from '../../node/folder.js';
import { action } from '../boundary.js';
import { print, withCommon, type DirOption } from '../io.js';

interface IssueOptions extends DirOption {
  role: string;
  days?: string;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('operator tokens: issue (printed once, stored hashed), list, revoke');
  withCommon(
    token
      .command('issue')
      .description('issue a token for a role; prints it this once (the folder keeps only its hash)')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--days <n>', `days until it expires (default ${DEFAULT_TOKEN_TTL_MS / 86_400_000})`),
  ).action(
    action(async (opts: IssueOptions) => {
      if (!ROLES.includes(opts.role as Role)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--role must be one of ${ROLES.join(', ')}`);
      const days = opts.days === undefined ? DEFAULT_TOKEN_TTL_MS / 86_400_000 : Number(opts.days);
      if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--days must be a number of days from 1 to 3650');
      const file = tokensPath(loadNode(opts.dir).dir);
      const now = Date.now();
      const { token: issued, record } = issueToken(opts.role as Role, now, days * 86_400_000);
      const held = readTokenFile(file, now);
      writeTokenFile(file, { v: 2, tokens: [...held.tokens, record] });
      print(opts.json, { token: issued, id: record.id, role: record.role, expiresAt: record.expiresAt }, () => `${issued}\n(id ${record.id}, ${record.role}, expires ${record.expiresAt}; shown this once)`);
    }),
  );
  withCommon(token.command('list').description('the tokens issued: id, role, expiry (never the tokens)')).action(
    action(async (opts: DirOption) => {
      const held = readTokenFile(tokensPath(loadNode(opts.dir).dir), Date.now()).tokens.map(({ id, role, createdAt, expiresAt }) => ({ id, role, createdAt, expiresAt }));
      print(opts.json, held, () => held.map((t) => `${t.id}  ${t.role}  expires ${t.expiresAt}`).join('\n') || '(no tokens issued)');
    }),
  );
  withCommon(token.command('revoke').description('revoke a token by its id').requiredOption('--id <id>', "the token's id, from 'parley token list'")).action(
    action(async (opts: DirOption & { id: string }) => {
      const file = tokensPath(loadNode(opts.dir).dir);
      const held = readTokenFile(file, Date.now());
      if (!held.tokens.some((t) => t.id === opts.id)) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no token ${opts.id} in ${file}; nothing was revoked`);
      writeTokenFile(file, { v: 2, tokens: held.tokens.filter((t) => t.id !== opts.id) });
      print(opts.json, { revoked: opts.id }, () => `revoked ${opts.id}`);
    }),
  );
}
