// A real OpenID provider (the npm package oidc-provider) on loopback, for DS01 Portal's sign-in tests. Plain http:
// it listens on 127.0.0.1 only, and its issuer is http://127.0.0.1:<port>.
//
// Environment:
//   OIDC_PORT            port to listen on (default 0: any free port; the chosen one is in the ready line)
//   OIDC_CLIENT_ID       the one confidential client (default ds01-portal)
//   OIDC_CLIENT_SECRET   its secret, sent with client_secret_basic or client_secret_post (default ds01-test-secret)
//   OIDC_REDIRECT_URIS   comma-separated redirect URIs (default http://127.0.0.1/signin/sso,http://localhost/signin/sso).
//                        While all of them are http on a loopback host the client is registered as a "native"
//                        application, and oidc-provider then matches them on any port (RFC 8252 7.3): the tests'
//                        portal listens on a port chosen at run time.
//   OIDC_ACCOUNTS        path of a JSON object, login -> account (default: test-accounts.json beside this file), or
//   OIDC_ACCOUNTS_JSON   the same object inline. An account is {"password": "...", "claims": {...}} or, flat,
//                        {"password": "...", "preferred_username": "...", "email": "...", "name": "..."}.
//
// Prints "OIDC provider listening at <issuer>" once ready. Its login page is a plain form (inputs "login" and
// "password", a submit button) at /interaction/<uid>; a right password signs in and consents at once (no consent
// page), a wrong one answers 403 with the form again and the text "wrong login or password".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS_JSON
  || fs.readFileSync(process.env.OIDC_ACCOUNTS || path.join(here, 'test-accounts.json'), 'utf8'));
const claimsOf = (account) => {
  if (account.claims) return account.claims;
  const { password, ...claims } = account;
  return claims;
};
const redirectUris = (process.env.OIDC_REDIRECT_URIS || 'http://127.0.0.1/signin/sso,http://localhost/signin/sso')
  .split(',').map((uri) => uri.trim()).filter(Boolean);
const loopbackOnly = redirectUris.every((uri) => {
  const url = new URL(uri);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
});
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const loginPage = (uid, message) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Lab sign-on</title></head><body>
<h1>Lab single sign-on</h1>${message ? `\n<p id="error">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Login <input id="login" name="login" value="" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password" value="" autocomplete="current-password"></label>
<button id="submit" type="submit">Sign in</button>
</form>
</body></html>`;

const server = http.createServer();
server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID || 'ds01-portal',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'ds01-test-secret',
      application_type: loopbackOnly ? 'native' : 'web',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // quarkus-oidc sends client_secret_basic; accept client_secret_post as well, for other clients
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    async findAccount(ctx, id) {
      const account = Object.hasOwn(accounts, id) ? accounts[id] : undefined;
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...claimsOf(account) }; } };
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
    // the claims of the granted scopes go into the ID token itself, not only to the userinfo endpoint
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => false },
    cookies: { keys: ['ds01-test-only-cookie-key'] },
  });
  const oidc = provider.callback();

  async function interaction(req, res, uid) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const login = form.get('login') || '';
    const account = Object.hasOwn(accounts, login) ? accounts[login] : undefined;
    if (!account || account.password === undefined || account.password !== form.get('password')) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, 'wrong login or password'));
      return;
    }
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } },
      { mergeWithLastSubmission: false });
  }

  server.on('request', (req, res) => {
    const match = /^\/interaction\/([^/?]+)$/.exec(new URL(req.url, issuer).pathname);
    if (match) {
      interaction(req, res, match[1]).catch((err) => {
        console.error('interaction error', err);
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      return;
    }
    oidc(req, res);
  });
  provider.on('server_error', (ctx, err) => console.error('provider error', err));
  console.log(`OIDC provider listening at ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
