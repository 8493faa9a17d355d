import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogEntity } from '../../../common/audit/audit-log.entity';
import { AuditService } from '../../../common/audit/audit.service';
import { Auth } from '../../../common/auth/auth.decorators';
import { AuditQueryDto } from '../dto/admin.dto';
import { Page, pageOf } from '../../../common/http/page';

@ApiTags('admin')
@Auth({ roles: ['admin'] })
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log, newest first; filter by actor, action, entity and time range' })
  @ApiOkResponse({ description: '{ items, total, page, limit }' })
  async list(@Query() q: AuditQueryDto): Promise<Page<AuditLogEntity>> {
    const { items, total } = await this.audit.search(q);
    return pageOf(items, total, q);
  }
}
