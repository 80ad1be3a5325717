import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { DataSource } from 'typeorm';
import { ActorCache } from '../adapters/auth/actor-cache.js';
import { Argon2PasswordHasher } from '../adapters/auth/argon2-password-hasher.js';
import { AuthSettings } from '../adapters/auth/auth-settings.js';
import { JoseTokenIssuer } from '../adapters/auth/jose-token-issuer.js';
import { JwtAuthGuard } from '../adapters/auth/jwt-auth.guard.js';
import { JwtStrategy } from '../adapters/auth/jwt.strategy.js';
import { SigningKeys } from '../adapters/auth/signing-keys.js';
import { AuthController } from '../adapters/http/auth/auth.controller.js';
import { RateLimitGuard } from '../adapters/http/rate-limit.guard.js';
import { UsersController } from '../adapters/http/users/users.controller.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { RedisLoginAttempts } from '../adapters/redis/redis-login-attempts.js';
import { AppConfig } from '../config/app-config.js';
import { BootstrapAdmin, LogIn, RegisterLocalUser } from '../core/identity/local-accounts.use-case.js';
import { UpdateUser, UserDirectory } from '../core/identity/manage-users.use-case.js';
import { AccessChanges } from '../core/identity/access-changes.port.js';
import { LoginAttempts } from '../core/identity/login-attempts.port.js';
import { LiveEventBus } from '../core/live/live-events.js';
import { PasswordHasher } from '../core/identity/password-hasher.port.js';
import { ResolveExternalActor, ResolveLocalActor } from '../core/identity/resolve-actor.use-case.js';
import { TokenIssuer } from '../core/identity/token-issuer.port.js';
import { UserRepository } from '../core/identity/user-repository.port.js';
import { Clock } from '../core/shared/clock.port.js';
import { useCase } from './use-case.provider.js';

@Module({
  imports: [PassportModule],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: AuthSettings, useFactory: (c: AppConfig) => AuthSettings.fromEnv(c.env), inject: [AppConfig] },
    ActorCache,
    { provide: SigningKeys, useFactory: (ds: DataSource) => SigningKeys.loadOrCreate(ds), inject: [DataSource] },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    useCase(JoseTokenIssuer, [SigningKeys, AuthSettings]),
    { provide: TokenIssuer, useExisting: JoseTokenIssuer },
    useCase(ResolveExternalActor, [UserRepository, Clock]),
    useCase(ResolveLocalActor, [UserRepository]),
    useCase(RegisterLocalUser, [UserRepository, PasswordHasher, Clock]),
    {
      provide: LoginAttempts,
      inject: [RedisConnection, AppConfig],
      useFactory: (redis: RedisConnection, c: AppConfig) =>
        new RedisLoginAttempts(
          redis,
          { maxFailures: c.env.LOGIN_MAX_FAILURES, windowSeconds: c.env.LOGIN_FAILURE_WINDOW_SECONDS, prefix: c.env.QUEUE_PREFIX },
          new Logger('SignIn'),
        ),
    },
    useCase(LogIn, [UserRepository, PasswordHasher, TokenIssuer, LoginAttempts]),
    useCase(BootstrapAdmin, [UserRepository, RegisterLocalUser]),
    useCase(UserDirectory, [UserRepository]),
    useCase(UpdateUser, [UserRepository, Clock, AccessChanges]),
    JwtStrategy,
    RateLimitGuard,
    JwtAuthGuard,
  ],
  exports: [JwtAuthGuard, RateLimitGuard, ActorCache, AuthSettings],
})
export class IdentityModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(BootstrapAdmin) private readonly bootstrapAdmin: BootstrapAdmin,
    @Inject(LogIn) private readonly logIn: LogIn,
    @Inject(LiveEventBus) private readonly bus: LiveEventBus,
    @Inject(ActorCache) private readonly actors: ActorCache,
  ) {}

  /** A user changed on another instance: this one stops serving the cached role and active flag at once. */
  onModuleInit(): void {
    this.bus.onAccessChanged((userId) => this.actors.invalidateUser(userId));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = this.config.env;
    this.logger.log(
      this.settings.mode === 'oidc'
        ? `Enterprise sign-in: tokens from ${this.settings.issuer} for audience ${this.settings.audience}`
        : 'Embedded sign-in: local accounts, tokens signed by this service',
    );
    if (this.settings.mode === 'embedded') await this.logIn.prepare();
    if (this.settings.mode === 'embedded' && email && password) {
      const outcome = await this.bootstrapAdmin.execute({ email, password });
      this.logger.log(`Bootstrap admin ${email}: ${outcome === 'created' ? 'created' : 'already exists'}`);
    }
  }
}
