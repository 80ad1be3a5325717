import { Body, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { isStaff, type Actor } from '../../../core/identity/actor.js';
import { AgentStandings } from '../../../core/recognition/agent-standings.js';
import { LogIn, RegisterLocalUser } from '../../../core/identity/local-accounts.use-case.js';
import { UserDirectory } from '../../../core/identity/manage-users.use-case.js';
import { AuthSettings } from '../../auth/auth-settings.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { ApiAuthenticated, ApiProblems } from '../api-problems.decorator.js';
import { LoginRequest, MeResponse, RegisterRequest, TokenResponse, UserResponse } from '../users/user.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly settings: AuthSettings,
    private readonly register: RegisterLocalUser,
    private readonly logIn: LogIn,
    private readonly directory: UserDirectory,
    private readonly standings: AgentStandings,
  ) {}

  /** Local accounts exist only in embedded mode; with Keycloak, people sign in there. */
  private assertEmbedded(): void {
    if (this.settings.mode !== 'embedded') {
      throw new NotFoundException('Local accounts are disabled: sign in through the identity provider');
    }
  }

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserResponse, description: 'Embedded mode only; new accounts are requesters' })
  @ApiProblems(400, 404, 409, 429)
  async registerUser(@Body() body: RegisterRequest): Promise<UserResponse> {
    this.assertEmbedded();
    return UserResponse.from(await this.register.execute(body));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400, 401, 403, 404, 429)
  async login(@Body() body: LoginRequest): Promise<TokenResponse> {
    this.assertEmbedded();
    return this.logIn.execute(body);
  }

  @Get('me')
  @ApiOkResponse({ type: MeResponse })
  @ApiAuthenticated()
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    const user = UserResponse.from(await this.directory.get(actor, actor.id));
    if (!isStaff(actor)) return user;
    const { points, level } = await this.standings.ofOne(actor.id);
    return { ...user, points, level };
  }
}
