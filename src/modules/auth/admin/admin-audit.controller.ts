import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogEntity } from '../../../common/audit/audit-log.entity';
import { AuditService } from '../../../common/audit/audit.service';
import { Roles } from '../../../common/auth/auth.decorators';
import { AuditQueryDto } from '../dto/admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiForbiddenResponse({ description: 'Caller is not an admin' })
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log, newest first; filter by actor, action, entity and time range' })
  @ApiOkResponse({ description: '{ items, total, page, limit }' })
  async list(@Query() q: AuditQueryDto): Promise<{ items: AuditLogEntity[]; total: number; page: number; limit: number }> {
    const { items, total } = await this.audit.search(q);
    return { items, total, page: q.page, limit: q.limit };
  }
}
