import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A Keycloak realm stand-in: discovery document, JWKS, and Keycloak-shaped access tokens (good and forged). */

type SigningAlg = 'RS256' | 'ES256';

interface RealmKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  jwk: JWK;
  pem: string;
}

export interface MintOptions {
  sub: string;
  /** Realm roles (`realm_access.roles`). */
  roles?: string[];
  /** Roles of the API client (`resource_access[clientId].roles`). */
  clientRoles?: string[];
  email?: string;
  name?: string;
  preferred_username?: string;
  /** Seconds from now; negative for an already expired token. Default 300. */
  expiresIn?: number;
  /** `nbf` in seconds from now. */
  notBefore?: number;
  /** Default `[clientId, 'account']`; null leaves the claim out. */
  aud?: string | string[] | null;
  /** Default clientId; null leaves the claim out. */
  azp?: string | null;
  iss?: string;
  alg?: SigningAlg;
  kid?: string;
  /** Forgeries: an unpublished RSA key under the published kid, HMAC keyed with the public PEM, or unsigned. */
  signWith?: 'other-key' | 'hs256' | 'none';
}

export interface KeycloakStub {
  issuerUrl: string;
  mint(options: MintOptions): Promise<string>;
  /** Publishes a new current RS256 key (the old one stays in the JWKS, as Keycloak does). */
  rotateKey(): Promise<void>;
  /** How often the JWKS was fetched. */
  certsRequests(): number;
  close(): Promise<void>;
}

async function newKey(alg: SigningAlg): Promise<RealmKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk, pem: await exportSPKI(publicKey) };
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startKeycloakStub({ realm = 'tessera', clientId = 'tessera-api' } = {}): Promise<KeycloakStub> {
  let rsa = await newKey('RS256');
  const ec = await newKey('ES256');
  const published = [rsa, ec];
  const stranger = await newKey('RS256');
  let certsRequests = 0;

  const server = createServer((req, res) => {
    const base = `/realms/${realm}`;
    let body: object | undefined;
    if (req.url === `${base}/protocol/openid-connect/certs`) {
      certsRequests++;
      body = { keys: published.map((k) => k.jwk) };
    } else if (req.url === `${base}/.well-known/openid-configuration`) {
      body = { issuer: issuerUrl, jwks_uri: `${issuerUrl}/protocol/openid-connect/certs` };
    }
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/${realm}`;

  async function mint(o: MintOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const key = o.alg === 'ES256' ? ec : rsa;
    const claims = {
      exp: now + (o.expiresIn ?? 300),
      iat: now,
      ...(o.notBefore !== undefined && { nbf: now + o.notBefore }),
      jti: randomUUID(),
      iss: o.iss ?? issuerUrl,
      ...(o.aud !== null && { aud: o.aud ?? [clientId, 'account'] }),
      sub: o.sub,
      typ: 'Bearer',
      ...(o.azp !== null && { azp: o.azp ?? clientId }),
      realm_access: { roles: ['offline_access', 'uma_authorization', ...(o.roles ?? [])] },
      resource_access: { [clientId]: { roles: o.clientRoles ?? [] }, account: { roles: ['view-profile'] } },
      scope: 'openid email profile',
      email_verified: true,
      ...(o.email !== undefined && { email: o.email }),
      ...(o.name !== undefined && { name: o.name }),
      ...(o.preferred_username !== undefined && { preferred_username: o.preferred_username }),
    };
    const kid = o.kid ?? key.kid;
    if (o.signWith === 'none') return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    if (o.signWith === 'hs256') {
      const secret = new TextEncoder().encode(key.pem);
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(secret);
    }
    const signer = o.signWith === 'other-key' ? stranger : key;
    return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ: 'JWT', kid }).sign(signer.privateKey);
  }

  return {
    issuerUrl,
    mint,
    rotateKey: async () => {
      rsa = await newKey('RS256');
      published.push(rsa);
    },
    certsRequests: () => certsRequests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
