import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { roleFromClaims } from '../../../src/core/identity/role.js';
import { parseYaml, readRepoFile } from '../../support/stack-files.js';

// docker/keycloak/realm.json against what the API validates (src/adapters/auth/jwt.strategy.ts): the audience
// (OIDC_AUDIENCE, default and as the stack sets it) and the realm roles roleFromClaims recognises.
const realm = JSON.parse(readRepoFile('docker/keycloak/realm.json'));
const client = (id: string) => realm.clients.find((c: { clientId: string }) => c.clientId === id);
const user = (name: string) => realm.users.find((u: { username: string }) => u.username === name);
const audienceMappers = (c: { protocolMappers?: { protocolMapper: string; config: Record<string, string> }[] }) =>
  (c.protocolMappers ?? []).filter((m) => m.protocolMapper === 'oidc-audience-mapper');

describe('docker/keycloak/realm.json', () => {
  it('is the realm the stack’s issuer URL names', async () => {
    const compose = await parseYaml(readRepoFile('docker/compose.yml'));

    expect(realm.realm).toBe('tessera');
    expect(realm.enabled).toBe(true);
    expect(compose['x-tessera-env'].OIDC_ISSUER_URL).toMatch(/\/realms\/tessera$/);
  });

  it('defines the realm roles admin and agent, which the API maps to its roles', () => {
    const names = realm.roles.realm.map((r: { name: string }) => r.name);

    expect(names).toEqual(expect.arrayContaining(['admin', 'agent']));
    expect(roleFromClaims(['admin'])).toBe('admin');
    expect(roleFromClaims(['agent'])).toBe('agent');
  });

  it('has a confidential client tessera-api whose tokens carry aud = OIDC_AUDIENCE, for passwords and client credentials', async () => {
    const api = client('tessera-api');
    const compose = await parseYaml(readRepoFile('docker/compose.yml'));

    expect(api).toMatchObject({ enabled: true, publicClient: false, directAccessGrantsEnabled: true, serviceAccountsEnabled: true });
    // The secret is not in the repository: Keycloak fills the placeholder from the container's environment.
    expect(api.secret).toBe('${TESSERA_API_CLIENT_SECRET}');
    expect(compose.services.keycloak.environment.TESSERA_API_CLIENT_SECRET).toBeDefined();
    expect(parseEnv({}).OIDC_AUDIENCE).toBe('tessera-api');
    expect(compose['x-tessera-env'].OIDC_AUDIENCE).toBe('tessera-api');
    expect(audienceMappers(api)).toEqual([
      expect.objectContaining({ config: expect.objectContaining({ 'included.client.audience': 'tessera-api', 'access.token.claim': 'true' }) }),
    ]);
  });

  it('has a public PKCE client tessera-web for front ends, whose tokens are accepted by the API too', () => {
    const web = client('tessera-web');

    expect(web).toMatchObject({ enabled: true, publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false });
    expect(web.secret).toBeUndefined();
    expect(web.attributes['pkce.code.challenge.method']).toBe('S256');
    expect(audienceMappers(web)).toEqual([
      expect.objectContaining({ config: expect.objectContaining({ 'included.client.audience': 'tessera-api', 'access.token.claim': 'true' }) }),
    ]);
  });

  it('has the demo users admin, agent and requester, enabled, holding their roles, with the passwords docs/keycloak.md gives', () => {
    const docs = readRepoFile('docs/keycloak.md');
    for (const [name, role] of [['admin', 'admin'], ['agent', 'agent'], ['requester', 'requester']] as const) {
      const demo = user(name);
      expect(demo, name).toMatchObject({ enabled: true, emailVerified: true, requiredActions: [] });
      expect(demo.email && demo.firstName && demo.lastName, `${name}'s profile is complete`).toBeTruthy();
      expect(roleFromClaims(demo.realmRoles)).toBe(role);
      const [credential] = demo.credentials;
      expect(credential).toMatchObject({ type: 'password', temporary: false });
      expect(docs).toContain(`| \`${name}\` | \`${credential.value}\``);
    }
  });

  it('lets the tessera-api service account act as an agent (machines using client credentials)', () => {
    const account = realm.users.find((u: { serviceAccountClientId?: string }) => u.serviceAccountClientId === 'tessera-api');

    expect(account.enabled).toBe(true);
    expect(roleFromClaims(account.realmRoles)).toBe('agent');
  });
});
