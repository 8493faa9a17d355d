import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { ReqMeta } from '../../../common/http/request-meta';
import type { RequestMeta } from '../../../common/http/request-meta';
import { AdminUpdateUserDto, ListUsersQueryDto } from '../dto/admin.dto';
import { toUserView, UserView } from '../users/user-view';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { Page, pageOf } from '../../../common/http/page';

@ApiTags('admin')
@Auth({ roles: ['admin'] })
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly service: UsersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users, oldest first, optionally filtered by an email substring' })
  @ApiOkResponse({ description: '{ items, total, page, limit }' })
  async list(@Query() q: ListUsersQueryDto): Promise<Page<UserView>> {
    const { items, total } = await this.users.list({
      email: q.email?.trim().toLowerCase(),
      page: q.page,
      limit: q.limit,
    });
    return pageOf(items.map(toUserView), total, q);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role or disabled flag (disabling also revokes their sessions)" })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'Admins cannot disable or demote themselves' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AdminUpdateUserDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserView> {
    return toUserView(await this.service.adminUpdate(p.userId, id, dto, meta));
  }
}
