// A real OpenID provider (the npm package oidc-provider) on loopback, for DS01 Portal's sign-in tests.
// Environment: OIDC_PORT (0 = any free port), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ACCOUNTS (path of a JSON
// object: login -> { password, claims }). Prints "OIDC provider listening at <issuer>" once ready.
// Its login page is a plain form (inputs "login" and "password"); a right password signs in and consents at once.
import http from 'node:http';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const accounts = JSON.parse(fs.readFileSync(process.env.OIDC_ACCOUNTS, 'utf8'));
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

const server = http.createServer();
server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID || 'ds01-portal',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'ds01-test-secret',
      redirect_uris: ['http://127.0.0.1/signin/sso'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account.claims }; } };
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => false },
    cookies: { keys: ['ds01-test-only-cookie-key'] },
  });
  // the portal's tests listen on ports chosen at run time: accept any loopback redirect to /signin/sso
  provider.Client.prototype.redirectUriAllowed = function (uri) {
    const url = new URL(uri);
    return (url.hostname === '127.0.0.1' || url.hostname === 'localhost') && url.pathname === '/signin/sso';
  };
  const oidc = provider.callback();

  async function interaction(req, res, uid) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><title>Lab sign-on</title><h1>Lab single sign-on</h1>
<form method="post" action="/interaction/${escape(uid)}">
<input name="login" value=""><input name="password" type="password" value=""><button type="submit">Sign in</button></form>`);
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const account = accounts[form.get('login')];
    if (!account || account.password !== form.get('password')) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('wrong login or password');
      return;
    }
    const grant = new provider.Grant({ accountId: form.get('login'), clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: form.get('login') }, consent: { grantId } },
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
