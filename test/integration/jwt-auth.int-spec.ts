import { randomUUID } from 'node:crypto';
import {
  Catch,
  Controller,
  Get,
  Module,
  type ArgumentsHost,
  type ExceptionFilter,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorCache } from '../../src/adapters/auth/actor-cache.js';
import { Argon2PasswordHasher } from '../../src/adapters/auth/argon2-password-hasher.js';
import { AuthSettings } from '../../src/adapters/auth/auth-settings.js';
import { CurrentActor } from '../../src/adapters/auth/current-actor.decorator.js';
import { JoseTokenIssuer } from '../../src/adapters/auth/jose-token-issuer.js';
import { JwtAuthGuard } from '../../src/adapters/auth/jwt-auth.guard.js';
import { JwtStrategy } from '../../src/adapters/auth/jwt.strategy.js';
import { Public } from '../../src/adapters/auth/public.decorator.js';
import { SigningKeys } from '../../src/adapters/auth/signing-keys.js';
import { TypeOrmUserRepository } from '../../src/adapters/persistence/typeorm-user.repository.js';
import { parseEnv } from '../../src/config/env.js';
import type { Actor } from '../../src/core/identity/actor.js';
import { LogIn, RegisterLocalUser } from '../../src/core/identity/local-accounts.use-case.js';
import { ResolveExternalActor, ResolveLocalActor } from '../../src/core/identity/resolve-actor.use-case.js';
import type { User } from '../../src/core/identity/user.js';
import { UserRepository } from '../../src/core/identity/user-repository.port.js';
import { SystemClock } from '../../src/core/shared/clock.port.js';
import { DomainError } from '../../src/core/shared/domain-error.js';
import { createScratchDatabase, testDatabaseUrl } from '../support/database.js';
import { startKeycloakStub, type KeycloakStub, type MintOptions } from '../support/keycloak-stub.js';
import { InMemoryLoginAttempts } from '../support/fakes/identity-fakes.js';
import { RateLimitGuard } from '../../src/adapters/http/rate-limit.guard.js';

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return actor;
  }

  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }
}

@Public()
@Controller('docs')
class PublicController {
  @Get()
  docs() {
    return { docs: true };
  }
}

/** Stands in for the app's problem filter: proves a DomainError thrown in the guard reaches the filters. */
@Catch(DomainError)
class DomainErrorStatusFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost) {
    const status = error.kind === 'forbidden' ? 403 : 500;
    void host.switchToHttp().getResponse<FastifyReply>().status(status).send({ code: error.code });
  }
}

const clock = new SystemClock();
let dataSource: DataSource;
let users: TypeOrmUserRepository;

beforeAll(async () => {
  dataSource = await new DataSource({ type: 'postgres', url: testDatabaseUrl(), poolSize: 5 }).initialize();
  users = new TypeOrmUserRepository(dataSource);
});

afterAll(async () => {
  await dataSource.destroy();
});

@Module({})
class ProbeModule {}

/** The auth wiring the app module uses, around probe controllers. One app at a time: passport is global. */
async function startApp(settings: AuthSettings, extra: Provider[] = []): Promise<NestFastifyApplication> {
  const probe = {
    module: ProbeModule,
    controllers: [ProbeController, PublicController],
    providers: [
      { provide: AuthSettings, useValue: settings },
      { provide: UserRepository, useValue: users },
      { provide: ResolveExternalActor, useValue: new ResolveExternalActor(users, clock) },
      { provide: ResolveLocalActor, useValue: new ResolveLocalActor(users) },
      ActorCache,
      JwtStrategy,
      // Rate limits are not what this file tests (test/e2e/sign-in-limits.e2e-spec.ts does): every request passes.
      { provide: RateLimitGuard, useValue: { canActivate: async () => true } },
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: APP_FILTER, useClass: DomainErrorStatusFilter },
      ...extra,
    ],
  };
  const app = await NestFactory.create<NestFastifyApplication>(probe, new FastifyAdapter(), { logger: ['error'] });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const get = (app: NestFastifyApplication, url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

const countUsersWithSub = async (sub: string): Promise<number> =>
  Number((await dataSource.query('SELECT count(*) AS n FROM users WHERE external_id = $1', [sub]))[0].n);

describe('enterprise mode (Keycloak realm)', () => {
  let keycloak: KeycloakStub;
  let app: NestFastifyApplication;
  const mint = (options: Partial<MintOptions> = {}) => keycloak.mint({ sub: randomUUID(), ...options });

  const expectRejected = async (token: string, reason: RegExp) => {
    const response = await get(app, '/me', token);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(reason);
  };

  beforeAll(async () => {
    keycloak = await startKeycloakStub();
    app = await startApp(AuthSettings.fromEnv(parseEnv({ OIDC_ISSUER_URL: keycloak.issuerUrl })));
  });

  afterAll(async () => {
    await app?.close();
    await keycloak?.close();
  });

  it('accepts a realm-role token and provisions the user from its claims', async () => {
    const sub = randomUUID();
    const token = await mint({ sub, roles: ['agent'], email: 'ada@example.com', preferred_username: 'ada' });

    const response = await get(app, '/me', token);

    expect(response.statusCode).toBe(200);
    const actor = response.json();
    expect(actor.role).toBe('agent');
    expect(await users.findById(actor.id)).toMatchObject({ externalId: sub, email: 'ada@example.com', name: 'ada' });
  });

  it('takes roles from resource_access of the API client', async () => {
    const response = await get(app, '/me', await mint({ clientRoles: ['admin'] }));
    expect(response.json()).toMatchObject({ role: 'admin' });
  });

  it('treats a token without recognised roles as a requester', async () => {
    const response = await get(app, '/me', await mint({ roles: ['other'], name: 'Bo' }));
    expect(response.json()).toMatchObject({ role: 'requester' });
  });

  it('accepts an ES256 token', async () => {
    expect((await get(app, '/me', await mint({ alg: 'ES256' }))).statusCode).toBe(200);
  });

  it('accepts a token whose audience is only in azp', async () => {
    expect((await get(app, '/me', await mint({ aud: 'account', azp: 'tessera-api' }))).statusCode).toBe(200);
    expect((await get(app, '/me', await mint({ aud: null, azp: 'tessera-api' }))).statusCode).toBe(200);
  });

  it('accepts a string aud', async () => {
    expect((await get(app, '/me', await mint({ aud: 'tessera-api', azp: 'web' }))).statusCode).toBe(200);
  });

  it('rejects a token for another client', async () => {
    await expectRejected(await mint({ aud: ['other-api', 'account'], azp: 'other-app' }), /audience/);
  });

  it('rejects a token from another issuer', async () => {
    await expectRejected(await mint({ iss: 'https://sso.example.com/realms/evil' }), /issuer invalid/);
  });

  it('rejects an expired token but tolerates 30 s of clock skew', async () => {
    await expectRejected(await mint({ expiresIn: -60 }), /jwt expired/);
    expect((await get(app, '/me', await mint({ expiresIn: -20 }))).statusCode).toBe(200);
  });

  it('rejects a token that is not valid yet', async () => {
    await expectRejected(await mint({ notBefore: 60 }), /jwt not active/);
    expect((await get(app, '/me', await mint({ notBefore: 20 }))).statusCode).toBe(200);
  });

  it('rejects unsigned and HMAC tokens without asking the realm, and foreign-key tokens', async () => {
    const fetches = keycloak.certsRequests();
    await expectRejected(await mint({ signWith: 'none' }), /invalid algorithm/);
    await expectRejected(await mint({ signWith: 'hs256' }), /invalid algorithm/);
    expect(keycloak.certsRequests()).toBe(fetches);
    await expectRejected(await mint({ signWith: 'other-key' }), /invalid signature/);
  });

  it('rejects garbage and a missing token', async () => {
    await expectRejected('not.a.jwt', /invalid token/i);
    const response = await get(app, '/me');
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toBe('Missing bearer token');
  });

  it('refetches the JWKS for an unknown kid after a key rotation', async () => {
    expect((await get(app, '/me', await mint())).statusCode).toBe(200);
    const fetchesBefore = keycloak.certsRequests();
    await keycloak.rotateKey();

    expect((await get(app, '/me', await mint())).statusCode).toBe(200);
    expect(keycloak.certsRequests()).toBe(fetchesBefore + 1);
    expect((await get(app, '/me', await mint({ kid: 'never-published' }))).statusCode).toBe(401);
  });

  it('lets public routes and public controllers through without a token', async () => {
    expect((await get(app, '/health')).json()).toEqual({ status: 'ok' });
    expect((await get(app, '/docs')).json()).toEqual({ docs: true });
  });

  it('serves a deactivated user from the cache until invalidated, then a 403 (not a 401)', async () => {
    const token = await mint({ roles: ['agent'] });
    const { id } = (await get(app, '/me', token)).json();
    await dataSource.query('UPDATE users SET active = false WHERE id = $1', [id]);
    expect((await get(app, '/me', token)).statusCode).toBe(200);

    app.get(ActorCache).invalidateUser(id);
    const response = await get(app, '/me', token);

    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ code: 'ACCOUNT_DEACTIVATED' });
  });

  it('provisions one user for ten concurrent first requests', async () => {
    const sub = randomUUID();
    const token = await mint({ sub });

    const responses = await Promise.all(Array.from({ length: 10 }, () => get(app, '/me', token)));

    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(await countUsersWithSub(sub)).toBe(1);
  });
});

describe('enterprise mode with the actor cache disabled', () => {
  let keycloak: KeycloakStub;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    keycloak = await startKeycloakStub();
    const env = parseEnv({ OIDC_ISSUER_URL: keycloak.issuerUrl, ACTOR_CACHE_SECONDS: '0' });
    app = await startApp(AuthSettings.fromEnv(env));
  });

  afterAll(async () => {
    await app?.close();
    await keycloak?.close();
  });

  it('provisions one user when ten first requests upsert concurrently', async () => {
    const sub = randomUUID();
    const token = await keycloak.mint({ sub, roles: ['agent'] });

    const responses = await Promise.all(Array.from({ length: 10 }, () => get(app, '/me', token)));

    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await countUsersWithSub(sub)).toBe(1);
  });

  it('sees a deactivation on the next request', async () => {
    const token = await keycloak.mint({ sub: randomUUID() });
    const { id } = (await get(app, '/me', token)).json();
    await dataSource.query('UPDATE users SET active = false WHERE id = $1', [id]);
    expect((await get(app, '/me', token)).statusCode).toBe(403);
  });
});

describe('embedded mode (own signing key)', () => {
  const settings = AuthSettings.fromEnv(parseEnv({}));
  const account = { email: `eve-${randomUUID()}@example.com`, password: 'correct horse battery', name: 'Eve' };
  let app: NestFastifyApplication;
  let issuer: JoseTokenIssuer;
  let login: () => Promise<string>;

  beforeAll(async () => {
    const keys = await SigningKeys.loadOrCreate(dataSource);
    issuer = new JoseTokenIssuer(keys, settings);
    const hasher = new Argon2PasswordHasher();
    await new RegisterLocalUser(users, hasher, clock).execute(account);
    const logIn = new LogIn(users, hasher, issuer, new InMemoryLoginAttempts(clock));
    login = async () => (await logIn.execute(account)).accessToken;
    app = await startApp(settings, [{ provide: SigningKeys, useValue: keys }]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('accepts a token issued at login and resolves the user from the database', async () => {
    const token = await login();
    const response = await get(app, '/me', token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'requester' });
  });

  it('issues ES256 tokens with the documented claims', async () => {
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
    const [header, payload] = (await login()).split('.').slice(0, 2).map(decode);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(payload).toMatchObject({ iss: 'tessera', aud: 'tessera-api', role: 'requester', name: 'Eve' });
    expect(payload.exp - payload.iat).toBe(settings.tokenTtlSeconds);
  });

  it('rejects a token whose payload was tampered with', async () => {
    const [header, payload, signature] = (await login()).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');

    const response = await get(app, '/me', `${header}.${forged}.${signature}`);

    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/invalid signature/);
  });

  it('rejects a well-signed token for a user that does not exist', async () => {
    const now = new Date();
    const ghost: User = {
      id: randomUUID(),
      externalId: null,
      email: null,
      name: 'Ghost',
      role: 'admin',
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    const { accessToken } = await issuer.issue(ghost);
    const response = await get(app, '/me', accessToken);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/not a known user/);
  });

  it('rejects Keycloak tokens', async () => {
    const keycloak = await startKeycloakStub();
    try {
      const token = await keycloak.mint({ sub: randomUUID(), iss: 'tessera' });
      expect((await get(app, '/me', token)).statusCode).toBe(401);
    } finally {
      await keycloak.close();
    }
  });
});

describe('SigningKeys', () => {
  it('agrees on one key when two processes create it at the same time', async () => {
    const scratch = await createScratchDatabase();
    const processes = [1, 2].map(() => new DataSource({ type: 'postgres', url: scratch.url, poolSize: 1 }));
    try {
      await Promise.all(processes.map((p) => p.initialize()));
      const [first, second] = await Promise.all(processes.map((p) => SigningKeys.loadOrCreate(p)));
      expect(first!.kid).toBe(second!.kid);
      expect((await processes[0]!.query('SELECT id FROM signing_keys')).map((r: { id: string }) => r.id)).toEqual([
        'embedded',
      ]);
      expect((await SigningKeys.loadOrCreate(processes[0]!)).kid).toBe(first!.kid);
    } finally {
      await Promise.all(processes.map((p) => (p.isInitialized ? p.destroy() : undefined)));
      await scratch.drop();
    }
  });
});

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher();

  it('hashes with argon2id and verifies', async () => {
    const hash = await hasher.hash('s3cret passphrase');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await hasher.verify(hash, 's3cret passphrase')).toBe(true);
    expect(await hasher.verify(hash, 'wrong')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'wrong')).toBe(false);
  });
});
